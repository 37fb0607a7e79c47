// `npm run simulator`: a Vast.ai look-alike on the system clock, for trying the extension or the
// official CLI without an account. Prints the URL and key, then one line per request.
import { startSimulator } from './index';
import type { InstanceSeed } from './instances/seeds';

interface CliOptions {
  port: number;
  seed: number;
  instances?: number;
  rateLimits: boolean;
}

const USAGE = `Usage: npm run simulator -- [--port N] [--seed N] [--instances N] [--no-rate-limits]`;

/** A small fleet showing every status the tree view has to draw. */
const DEMO_FLEET: InstanceSeed[] = [
  { label: 'train-llama-3', status: 'running', gpu: 'H100 SXM', numGpus: 8 },
  { label: 'sd-webui', status: 'running', gpu: 'RTX 4090' },
  { label: 'whisper-batch', status: 'loading', gpu: 'RTX 3090' },
  { label: 'jupyter-scratch', status: 'stopped', gpu: 'A100 SXM4' },
  { label: 'broken-image', status: 'exited', gpu: 'RTX 5090' },
  { label: null, status: 'created', gpu: 'L40S' },
];

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { port: 0, seed: 42, rateLimits: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) fail(`${arg} needs a non-negative integer`);
      return value;
    };
    if (arg === '--port') options.port = number();
    else if (arg === '--seed') options.seed = number();
    else if (arg === '--instances') options.instances = number();
    else if (arg === '--no-rate-limits') options.rateLimits = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  return options;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({
    port: options.port,
    seed: options.seed,
    instances: options.instances ?? DEMO_FLEET,
    rateLimits: { enabled: options.rateLimits },
  });
  console.log(`Vast.ai simulator listening on ${sim.url}`);
  console.log(`API key: ${sim.apiKey}`);
  console.log(`Rate limits: ${options.rateLimits ? 'on (Vast published intervals)' : 'off'}; seed ${options.seed}`);
  console.log('');
  console.log('Try:');
  console.log(`  curl -s -H "Authorization: Bearer ${sim.apiKey}" ${sim.url}/api/v0/users/current/`);
  console.log(`  curl -s -H "Authorization: Bearer ${sim.apiKey}" '${sim.url}/api/v1/instances/?limit=5'`);
  console.log('Or the official CLI:');
  console.log(`  VAST_URL=${sim.url} vastai --api-key ${sim.apiKey} show instances`);
  console.log('');
  sim.log.onEntry((entry) => {
    const time = new Date(entry.at).toISOString().slice(11, 23);
    const status = entry.status === 0 ? '---' : String(entry.status);
    const note = entry.fault ?? entry.limited ?? '';
    console.log(`${time} ${entry.method.padEnd(6)} ${entry.path} ${status}${note ? ` (${note})` : ''}`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping simulator.');
    sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
