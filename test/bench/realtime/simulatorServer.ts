// A simulator alone in its own process, on real timers, for the real-time workloads. Options come
// as JSON in argv[2]. Prints {url, apiKey} once listening; then answers each stdin line "log" with
// one JSON line: the request log as [ms since start, endpoint, status]. Exits when stdin closes.
import { createInterface } from 'node:readline';
import { startSimulator, type SimulatorOptions } from '../../../src/simulator';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
  const sim = await startSimulator({ seed: 42, ...options });
  const started = Date.now();
  process.stdout.write(`${JSON.stringify({ url: sim.url, apiKey: sim.apiKey })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'log') {
      process.stdout.write(`${JSON.stringify(sim.log.entries().map((e) => [e.at - started, e.endpoint, e.status]))}\n`);
    }
  });
  lines.on('close', () => void sim.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
