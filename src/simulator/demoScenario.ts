import { randomBytes } from 'node:crypto';
import type { Clock } from '../util/clock';
import type { InstanceSeed } from './instances/seeds';
import { startSimulator, type Simulator } from './simulator';

/**
 * The fleet the demo mode (and `npm start`) shows: one instance in each state a user meets, two of
 * them still on their way, with Vast's rate limits on so the status bar has something to show.
 */
export const DEMO_INSTANCES: readonly InstanceSeed[] = [
  { label: 'train-llama-3', status: 'running', gpu: 'RTX 4090', numGpus: 2, price: 0.82, ageMs: 3 * 3600_000 + 12 * 60_000 },
  { label: 'jupyter-scratch', status: 'running', gpu: 'RTX 3090', numGpus: 1, price: 0.22, runtype: 'jupyter_direc ssh_direc ssh_proxy', ageMs: 26 * 60_000, gpuUtil: 1 },
  { label: 'vllm-serve', status: 'loading', gpu: 'H100 SXM', numGpus: 1, price: 2.35, nextInMs: 45_000, outcome: 'running' },
  { label: 'finetune-qwen', status: 'created', gpu: 'A100 SXM4', numGpus: 4, price: 4.1, nextInMs: 8000, outcome: 'running', bidPrice: 3.9 },
  { label: 'sd-webui', status: 'stopped', gpu: 'RTX 4080', numGpus: 1, price: 0.18 },
  { label: 'eval-harness', status: 'exited', gpu: 'L40S', numGpus: 1, price: 0.79, statusMsg: 'Error response from daemon: OCI runtime create failed' },
];

/** New instances boot in 10-25 s: realistic steps, without making a demo wait minutes. */
export const DEMO_LIFECYCLE = { provisionMs: [3000, 6000] as [number, number], loadingMs: [8000, 20000] as [number, number], failureRate: 0 };

/**
 * The demo runs on a loopback port any web page could aim at: a fresh random key per start, taken
 * only from the Authorization header, and only for requests addressed to 127.0.0.1 or localhost.
 */
export function startDemoSimulator(options: { clock?: Clock; port?: number } = {}): Promise<Simulator> {
  return startSimulator({
    ...options,
    seed: 2026,
    instances: [...DEMO_INSTANCES],
    credit: 48.2,
    lifecycle: DEMO_LIFECYCLE,
    apiKeys: [`sim-${randomBytes(20).toString('hex')}`],
    localOnly: true,
  });
}
