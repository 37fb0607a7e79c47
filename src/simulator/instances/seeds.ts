import type { InstanceStatus } from '../../vast/types';
import type { Random } from '../random/prng';
import type { BootOutcome } from './lifecycle';

/** An instance a scenario starts with (or adds later). Every field is optional. */
export interface InstanceSeed {
  /** Explicit id (must be unused); otherwise the next id. */
  id?: number;
  label?: string | null;
  /** Status right now. Default 'running'. `null`, created, loading and rebooting continue on their own. */
  status?: InstanceStatus | null;
  statusMsg?: string;
  /** For a transitional status: ms until the next stage (otherwise drawn from the lifecycle settings). */
  nextInMs?: number;
  /** How a transitional boot ends. Default: drawn with the failure rate. */
  outcome?: BootOutcome;
  /** Take the hardware (and price, location) of this catalogue offer and mark it rented. */
  offerId?: number;
  /** GPU model name ("RTX 4090"); ignored with `offerId`. */
  gpu?: string;
  numGpus?: number;
  /** Total $/h (`dph_total`) to report. */
  price?: number;
  image?: string;
  runtype?: string;
  diskGb?: number;
  /** How long ago it was started (`start_date`). Default: a few hours, seeded. */
  ageMs?: number;
  /** GPU utilisation (%) it reports while running (default: drawn, 5-100 %); null reports none. */
  gpuUtil?: number | null;
  /** Interruptible at this bid ($/h). */
  bidPrice?: number;
}

const LABELS = [
  'train-llama-3', 'sd-webui', 'whisper-batch', 'comfyui', 'vllm-serve', 'finetune-qwen', 'jupyter-scratch',
  'render-blender', 'eval-harness',
];

const IMAGES = [
  'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
  'vastai/base-image:cuda-12.4.1-auto',
  'nvidia/cuda:12.4.1-devel-ubuntu22.04',
  'vllm/vllm-openai:latest',
  'jupyter/tensorflow-notebook:latest',
];

/** A mixed fleet: mostly running, some in every other state, labels often shared. */
export function mixedSeeds(random: Random, count: number): InstanceSeed[] {
  const statuses: ReadonlyArray<readonly [InstanceStatus | null, number]> = [
    ['running', 50], ['loading', 10], ['stopped', 15], ['exited', 8], ['created', 4], [null, 3],
    ['rebooting', 5], ['offline', 3], ['unknown', 2],
  ];
  return Array.from({ length: count }, () => ({
    status: random.weighted(statuses),
    label: random.chance(0.2) ? null : random.pick(LABELS),
    image: random.pick(IMAGES),
  }));
}

export function defaultImage(random: Random): string {
  return random.pick(IMAGES);
}
