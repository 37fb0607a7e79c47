// The simulator alone in its own process, rate limits off, on the system clock: the CPU benchmark
// runs the client in the parent so `process.cpuUsage()` there is the client's own. Prints one JSON
// line ({url, apiKey}) once listening; exits when its stdin closes (the parent went away).
import { startSimulator } from '../../../src/simulator';

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 42, instances: 50, rateLimits: { enabled: false } });
  process.stdout.write(`${JSON.stringify({ url: sim.url, apiKey: sim.apiKey })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
