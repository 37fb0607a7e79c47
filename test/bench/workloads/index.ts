import { bootWave } from './bootWave';
import { createBatch } from './createBatch';
import { searchBurst } from './searchBurst';
import { staleQuota } from './staleQuota';
import type { Workload } from './workload';

/** The six workloads of the issue, in its order. */
export function workloads(): Workload[] {
  return [
    searchBurst('W1', 'strict'),
    bootWave('W2'),
    createBatch('W3'),
    searchBurst('W4', 'probabilistic'),
    staleQuota('W5'),
    bootWave('W6', { fromMs: 30_000, durationMs: 30_000 }),
  ];
}
