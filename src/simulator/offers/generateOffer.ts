import type { Offer } from '../../vast/types';
import type { Random } from '../random/prng';
import { DRIVERS, findGpuModel, GPU_MODELS, type GpuModel } from './gpuModels';
import { LOCATIONS } from './locations';
import { DEFAULT_ALLOCATED_STORAGE_GB, priceOffer, round } from './pricing';

export interface MachineIdentity {
  id: number;
  machineId: number;
  hostId: number;
}

export interface OfferShape {
  /** A model name from GPU_MODELS; an unknown name gets generic 24 GB hardware under that name. */
  gpuName?: string;
  numGpus?: number;
}

const CONSUMER_COUNTS = [[1, 8], [2, 3], [4, 2], [8, 1]] as const;
const DATACENTER_COUNTS = [[1, 3], [2, 2], [4, 2], [8, 4]] as const;

const CPUS = [
  'AMD EPYC 7543 32-Core Processor',
  'AMD EPYC 9654 96-Core Processor',
  'AMD Ryzen 9 7950X 16-Core Processor',
  'AMD Ryzen Threadripper PRO 5975WX',
  'Intel Xeon Gold 6338 CPU @ 2.00GHz',
  'Intel Core i9-13900K',
];

/** One machine's offer with every `Offer` field filled, drawn from `random`. */
export function generateOffer(random: Random, identity: MachineIdentity, nowMs: number, shape: OfferShape = {}): Offer {
  const model = pickModel(random, shape.gpuName);
  const numGpus = shape.numGpus ?? random.weighted(model.datacenter ? DATACENTER_COUNTS : CONSUMER_COUNTS);
  // Bigger boxes are slightly cheaper per GPU.
  const perGpu = random.between(model.pricePerGpu[0], model.pricePerGpu[1]) * (numGpus >= 4 ? 0.95 : 1);
  const dphBase = round(perGpu * numGpus, 4);
  const datacenter = model.datacenter ? random.chance(0.8) : random.chance(0.15);
  const verification = random.weighted([['verified', 80], ['unverified', 15], ['deverified', 5]] as const);
  const [region, country] = random.weighted(LOCATIONS.map(([r, c, w]) => [[r, c] as const, w] as const));
  const [driver, cuda] = random.pick(DRIVERS.filter(([version]) => Number(version.split('.')[0]) >= model.minDriver));
  const directPorts = random.chance(0.1) ? 0 : random.int(10, 500);
  const inetDown = Math.round(10 ** random.between(1.8, 4));
  // Skewed towards the top: most hosts are reliable, a few are not.
  const reliability = round(0.999 - random.float() ** 2 * 0.149, 4);
  const durationSeconds = random.int(1, 180) * 86400 + random.int(0, 86399);
  const dlperf = round(model.dlperf * numGpus * random.between(0.85, 1.05), 2);
  const cpuCores = random.int(4, 16) * numGpus;
  const base: Offer = {
    id: identity.id,
    ask_contract_id: identity.id,
    bundle_id: identity.id + 400_000_000,
    machine_id: identity.machineId,
    host_id: identity.hostId,
    gpu_name: model.name,
    num_gpus: numGpus,
    gpu_ram: model.vramMb,
    gpu_total_ram: model.vramMb * numGpus,
    gpu_arch: 'nvidia',
    gpu_frac: 1,
    gpu_mem_bw: round(model.memBandwidth * random.between(0.93, 1), 1),
    gpu_display_active: !datacenter && random.chance(0.1),
    cpu_name: random.pick(CPUS),
    cpu_arch: 'amd64',
    cpu_cores: cpuCores * 2,
    cpu_cores_effective: cpuCores,
    cpu_ghz: round(random.between(2.4, 5), 1),
    cpu_ram: numGpus * random.pick([16, 32, 64, 128]) * 1024,
    has_avx: 1,
    disk_space: Math.round(random.between(40, 500) * (numGpus >= 4 ? 4 : 1)),
    disk_bw: random.int(500, 7000),
    pcie_bw: round(random.between(6, 25), 1),
    cuda_max_good: cuda,
    driver_version: driver,
    compute_cap: model.computeCap,
    os_version: random.pick(['20.04', '22.04', '24.04']),
    dph_base: dphBase,
    dph_total: dphBase,
    discounted_dph_total: dphBase,
    min_bid: round(dphBase * random.between(0.35, 0.7), 4),
    storage_cost: round(random.between(0.05, 0.25), 3),
    inet_up_cost: round(random.between(0, 0.02), 4),
    inet_down_cost: round(random.between(0, 0.02), 4),
    reliability,
    reliability2: reliability,
    dlperf,
    dlperf_per_dphtotal: 0,
    flops_per_dphtotal: 0,
    total_flops: round(model.tflops * numGpus, 1),
    score: 0,
    inet_up: Math.round(inetDown * random.between(0.3, 1)),
    inet_down: inetDown,
    direct_port_count: directPorts,
    static_ip: datacenter || random.chance(0.3),
    public_ipaddr: `${random.pick(['192.0.2', '198.51.100', '203.0.113'])}.${random.int(1, 254)}`,
    geolocation: `${region}, ${country}`,
    verification,
    verified: verification === 'verified',
    rentable: random.chance(0.97),
    rented: random.chance(0.12),
    external: random.chance(0.05),
    datacenter,
    hosting_type: datacenter ? 1 : 0,
    vms_enabled: random.chance(0.2),
    cluster_id: datacenter && numGpus === 8 && random.chance(0.5) ? random.int(100, 999) : null,
    is_bid: false,
    duration: durationSeconds,
    end_date: Math.round(nowMs / 1000) + durationSeconds,
  };
  // Score is value for money weighted by reliability, priced like a default search.
  const priced = priceOffer(base, 'on-demand', DEFAULT_ALLOCATED_STORAGE_GB, nowMs);
  return { ...priced, score: round((priced.dlperf_per_dphtotal * reliability ** 4) / 10, 4) };
}

function pickModel(random: Random, name: string | undefined): GpuModel {
  if (name === undefined) return random.weighted(GPU_MODELS.map((model) => [model, model.weight] as const));
  return findGpuModel(name) ?? { ...GPU_MODELS[4], name, vramMb: 24576 };
}
