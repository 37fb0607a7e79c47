/**
 * GPU models the catalogue draws from, with realistic VRAM and on-demand price ranges as seen on
 * Vast.ai. Names are spelled the way the API spells them (spaces, no underscores).
 */
export interface GpuModel {
  name: string;
  /** MB per GPU, as the API reports it. */
  vramMb: number;
  /** On-demand $/h for one GPU. */
  pricePerGpu: readonly [min: number, max: number];
  /** Compute capability ×100. */
  computeCap: number;
  /** FP32 TFLOPS per GPU (`total_flops` = this × num_gpus). */
  tflops: number;
  /** Vast's DL performance score per GPU (roughly). */
  dlperf: number;
  /** GB/s. */
  memBandwidth: number;
  /** Lowest driver major that supports the card. */
  minDriver: number;
  /** Mostly hosted in datacenters (more 8-GPU boxes, static IPs). */
  datacenter: boolean;
  /** Relative share of the catalogue. */
  weight: number;
}

export const GPU_MODELS: readonly GpuModel[] = [
  { name: 'RTX 3060', vramMb: 12288, pricePerGpu: [0.05, 0.1], computeCap: 860, tflops: 12.7, dlperf: 9, memBandwidth: 360, minDriver: 535, datacenter: false, weight: 7 },
  { name: 'RTX 3080', vramMb: 10240, pricePerGpu: [0.07, 0.14], computeCap: 860, tflops: 29.8, dlperf: 17, memBandwidth: 760, minDriver: 535, datacenter: false, weight: 5 },
  { name: 'RTX 3090', vramMb: 24576, pricePerGpu: [0.13, 0.25], computeCap: 860, tflops: 35.6, dlperf: 22, memBandwidth: 936, minDriver: 535, datacenter: false, weight: 14 },
  { name: 'RTX 4080', vramMb: 16376, pricePerGpu: [0.15, 0.25], computeCap: 890, tflops: 48.7, dlperf: 30, memBandwidth: 717, minDriver: 535, datacenter: false, weight: 6 },
  { name: 'RTX 4090', vramMb: 24564, pricePerGpu: [0.25, 0.55], computeCap: 890, tflops: 82.6, dlperf: 45, memBandwidth: 1008, minDriver: 535, datacenter: false, weight: 20 },
  { name: 'RTX 5090', vramMb: 32607, pricePerGpu: [0.45, 0.95], computeCap: 1200, tflops: 104.8, dlperf: 60, memBandwidth: 1792, minDriver: 570, datacenter: false, weight: 9 },
  { name: 'RTX A6000', vramMb: 49140, pricePerGpu: [0.35, 0.6], computeCap: 860, tflops: 38.7, dlperf: 26, memBandwidth: 768, minDriver: 535, datacenter: true, weight: 6 },
  { name: 'A40', vramMb: 46068, pricePerGpu: [0.3, 0.5], computeCap: 860, tflops: 37.4, dlperf: 25, memBandwidth: 696, minDriver: 535, datacenter: true, weight: 4 },
  { name: 'L40S', vramMb: 46068, pricePerGpu: [0.5, 0.9], computeCap: 890, tflops: 91.6, dlperf: 50, memBandwidth: 864, minDriver: 535, datacenter: true, weight: 5 },
  { name: 'A100 PCIE', vramMb: 40960, pricePerGpu: [0.6, 1.1], computeCap: 800, tflops: 19.5, dlperf: 55, memBandwidth: 1555, minDriver: 535, datacenter: true, weight: 4 },
  { name: 'A100 SXM4', vramMb: 81920, pricePerGpu: [0.8, 1.5], computeCap: 800, tflops: 19.5, dlperf: 65, memBandwidth: 2039, minDriver: 535, datacenter: true, weight: 5 },
  { name: 'H100 PCIE', vramMb: 81559, pricePerGpu: [1.5, 2.3], computeCap: 900, tflops: 51.2, dlperf: 100, memBandwidth: 2000, minDriver: 535, datacenter: true, weight: 4 },
  { name: 'H100 SXM', vramMb: 81559, pricePerGpu: [1.7, 2.9], computeCap: 900, tflops: 66.9, dlperf: 130, memBandwidth: 3350, minDriver: 535, datacenter: true, weight: 7 },
  { name: 'H200', vramMb: 143771, pricePerGpu: [2.5, 3.8], computeCap: 900, tflops: 66.9, dlperf: 140, memBandwidth: 4800, minDriver: 550, datacenter: true, weight: 3 },
  { name: 'Tesla V100', vramMb: 16384, pricePerGpu: [0.1, 0.3], computeCap: 700, tflops: 15.7, dlperf: 14, memBandwidth: 900, minDriver: 535, datacenter: true, weight: 3 },
];

/** Driver versions hosts run, with the newest CUDA each supports (`cuda_max_good`). */
export const DRIVERS: ReadonlyArray<readonly [version: string, cuda: number]> = [
  ['535.183.01', 12.2],
  ['550.54.15', 12.4],
  ['550.127.05', 12.4],
  ['560.35.03', 12.6],
  ['565.57.01', 12.7],
  ['570.86.15', 12.8],
  ['575.57.08', 12.9],
];

export function findGpuModel(name: string): GpuModel | undefined {
  return GPU_MODELS.find((model) => model.name === name);
}
