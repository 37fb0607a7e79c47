import type { OfferFilters, SearchBody } from '../vast/types';
import { VastApiError } from './errors';

/**
 * What a person asks for when looking for GPUs; `buildSearchBody` turns it into Vast's search
 * grammar with the CLI's defaults (verified, rentable, not rented), checking every value first.
 */
export interface OfferQuery {
  /** "RTX 4090", the CLI's "RTX_4090", or several models. */
  gpuName?: string | readonly string[];
  /** Highest total price, $/h. */
  maxDph?: number;
  /** Exact GPU count, or a range. */
  numGpus?: number | { min?: number; max?: number };
  /** Minimum memory per GPU, GB. */
  minGpuRamGb?: number;
  /** 0 to 1, e.g. 0.98. */
  minReliability?: number;
  /** Verified hosts only (default true). */
  verified?: boolean;
  /** Country codes ("US") or region names ("europe", "north-america", ...). */
  region?: string | readonly string[];
  minCudaVersion?: number;
  /** At least this many direct ports (1 or more for direct SSH). */
  minDirectPorts?: number;
  order?: OfferOrder | ReadonlyArray<[field: string, direction: 'asc' | 'desc']>;
  /** How many offers at most (default 64). */
  limit?: number;
  type?: 'on-demand' | 'bid';
  /** Disk the instance will get, GB: Vast prices it into `dph_total` (default 10). */
  diskGb?: number;
  /** Also list offers that are not rentable now or already rented. */
  includeUnavailable?: boolean;
  /** Raw filters in Vast's grammar, applied last. */
  filters?: OfferFilters;
}

export type OfferOrder = 'price' | 'score' | 'reliability' | 'value' | 'vram';

export const OFFER_ORDERS: Readonly<Record<OfferOrder, Array<[string, 'asc' | 'desc']>>> = {
  price: [['dph_total', 'asc']],
  score: [['score', 'desc']],
  reliability: [['reliability', 'desc']],
  value: [['dlperf_per_dphtotal', 'desc']],
  vram: [['gpu_ram', 'desc']],
};

export const REGIONS: Readonly<Record<string, readonly string[]>> = {
  'north-america': ['US', 'CA', 'MX'],
  'south-america': ['BR', 'AR', 'CL', 'CO', 'PE', 'UY'],
  europe: ['GB', 'IE', 'FR', 'DE', 'NL', 'BE', 'LU', 'ES', 'PT', 'IT', 'CH', 'AT', 'DK', 'NO', 'SE', 'FI', 'IS', 'PL', 'CZ', 'SK', 'HU', 'RO', 'BG', 'GR', 'SI', 'HR', 'RS', 'EE', 'LV', 'LT', 'UA'],
  asia: ['JP', 'KR', 'CN', 'TW', 'HK', 'SG', 'IN', 'TH', 'VN', 'MY', 'ID', 'PH', 'IL', 'AE', 'TR', 'KZ'],
  oceania: ['AU', 'NZ'],
  africa: ['ZA', 'EG', 'NG', 'KE', 'MA'],
};

export const DEFAULT_OFFER_LIMIT = 64;
export const DEFAULT_DISK_GB = 10;

/** "RTX_4090" and " RTX  4090 " both become Vast's "RTX 4090". Case is kept: Vast names are case-sensitive. */
export function normalizeGpuName(name: string): string {
  return name.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

export function buildSearchBody(query: OfferQuery): SearchBody {
  const body: SearchBody = {};
  const filter = (field: string, op: string, value: unknown) => {
    body[field] = { ...(body[field] as object | undefined), [op]: value };
  };

  if (query.verified ?? true) filter('verified', 'eq', true);
  if (!query.includeUnavailable) {
    filter('rentable', 'eq', true);
    filter('rented', 'eq', false);
  }
  filter('external', 'eq', false);

  if (query.gpuName !== undefined) {
    const names = (typeof query.gpuName === 'string' ? [query.gpuName] : [...query.gpuName]).map(normalizeGpuName);
    if (names.length === 0 || names.some((n) => n === '')) invalid('GPU name must not be empty (e.g. "RTX 4090").');
    if (names.length === 1) filter('gpu_name', 'eq', names[0]);
    else filter('gpu_name', 'in', names);
  }
  if (query.maxDph !== undefined) filter('dph_total', 'lte', positive(query.maxDph, 'Max price ($/h)'));
  if (query.numGpus !== undefined) {
    if (typeof query.numGpus === 'number') filter('num_gpus', 'eq', gpuCount(query.numGpus));
    else {
      const { min, max } = query.numGpus;
      if (min !== undefined) filter('num_gpus', 'gte', gpuCount(min));
      if (max !== undefined) filter('num_gpus', 'lte', gpuCount(max));
      if (min !== undefined && max !== undefined && min > max) invalid(`GPU count range is empty (${min} > ${max}).`);
    }
  }
  if (query.minGpuRamGb !== undefined) filter('gpu_ram', 'gte', positive(query.minGpuRamGb, 'Min GPU memory (GB)') * 1000);
  if (query.minReliability !== undefined) {
    const r = query.minReliability;
    if (!Number.isFinite(r) || r < 0 || r > 1) invalid(`Min reliability must be between 0 and 1 (e.g. 0.98), got ${r}.`);
    filter('reliability', 'gte', r);
  }
  if (query.region !== undefined) filter('geolocation', 'in', countryCodes(query.region));
  if (query.minCudaVersion !== undefined) filter('cuda_max_good', 'gte', positive(query.minCudaVersion, 'Min CUDA version'));
  if (query.minDirectPorts !== undefined) filter('direct_port_count', 'gte', wholeNumber(query.minDirectPorts, 'Min direct ports', 0, 65535));
  for (const [field, ops] of Object.entries(query.filters ?? {})) {
    for (const [op, value] of Object.entries(ops)) filter(field, op, value);
  }

  const order = query.order ?? 'score';
  if (typeof order === 'string') {
    if (!(order in OFFER_ORDERS)) invalid(`Unknown sort order "${order}"; use one of ${Object.keys(OFFER_ORDERS).join(', ')}.`);
    body.order = OFFER_ORDERS[order];
  } else {
    body.order = order.map(([field, direction]) => [field, direction]);
  }
  body.limit = wholeNumber(query.limit ?? DEFAULT_OFFER_LIMIT, 'Limit', 1, 1000);
  body.type = query.type ?? 'on-demand';
  body.allocated_storage = positive(query.diskGb ?? DEFAULT_DISK_GB, 'Disk (GB)');
  return body;
}

/** The same query always gives the same key, whatever the order its fields were written in. */
export function searchKey(body: SearchBody): string {
  return canonicalJson(body);
}

/** "RTX 4090 · ≤ $0.60/h · 1 GPU · ≥ 24 GB · ≥ 98% reliable · US, CA": a query in one line. */
export function describeOfferQuery(query: OfferQuery): string {
  const parts: string[] = [];
  if (query.gpuName !== undefined) {
    const names = typeof query.gpuName === 'string' ? [query.gpuName] : [...query.gpuName];
    parts.push(names.map(normalizeGpuName).join(' or '));
  } else parts.push('any GPU');
  if (query.maxDph !== undefined) parts.push(`≤ $${query.maxDph.toFixed(2)}/h`);
  if (typeof query.numGpus === 'number') parts.push(`${query.numGpus} GPU${query.numGpus === 1 ? '' : 's'}`);
  else if (query.numGpus) parts.push(`${query.numGpus.min ?? 1}-${query.numGpus.max ?? '∞'} GPUs`);
  if (query.minGpuRamGb !== undefined) parts.push(`≥ ${query.minGpuRamGb} GB`);
  if (query.minReliability !== undefined) parts.push(`≥ ${Math.round(query.minReliability * 1000) / 10}% reliable`);
  if (query.region !== undefined) parts.push((typeof query.region === 'string' ? [query.region] : [...query.region]).map(regionName).join(', '));
  if (query.verified === false) parts.push('unverified too');
  return parts.join(' · ');
}

/** "north-america" → "North America"; country codes stay as they are. */
function regionName(region: string): string {
  const key = region.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return REGIONS[key] ? key.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join(' ') : region.trim();
}

function countryCodes(region: string | readonly string[]): string[] {
  const codes = new Set<string>();
  for (const item of typeof region === 'string' ? [region] : region) {
    const key = item.trim().toLowerCase().replace(/[\s_]+/g, '-');
    if (REGIONS[key]) REGIONS[key].forEach((code) => codes.add(code));
    else if (/^[a-z]{2}$/.test(key)) codes.add(key.toUpperCase());
    else invalid(`Unknown region "${item}": use a two-letter country code or one of ${Object.keys(REGIONS).join(', ')}.`);
  }
  if (codes.size === 0) invalid('Region must name at least one country or region.');
  return [...codes];
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) invalid(`${what} must be a positive number, got ${value}.`);
  return value;
}

function gpuCount(value: number): number {
  return wholeNumber(value, 'GPU count', 1, 64);
}

function wholeNumber(value: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) invalid(`${what} must be a whole number from ${min} to ${max}, got ${value}.`);
  return value;
}

function invalid(message: string): never {
  throw new VastApiError('invalid-input', message);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
