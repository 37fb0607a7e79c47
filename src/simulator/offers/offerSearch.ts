import type { Offer } from '../../vast/types';
import { ApiError } from '../server/apiError';
import { compareValues, parseConditions, satisfies, type Condition, type FieldKind, type Scalar } from '../query/filters';
import { countryCode } from './locations';
import { DEFAULT_ALLOCATED_STORAGE_GB, priceOffer, type OfferType } from './pricing';

/** Results per search when the body has no `limit`. */
export const DEFAULT_SEARCH_LIMIT = 64;
/** Larger limits are clamped (Vast's own cap is undocumented). */
export const MAX_SEARCH_LIMIT = 1000;

/** Every field a search may filter or order on. Anything else is a 400 naming the field. */
const FIELD_KINDS: Record<string, FieldKind> = {
  ...kinds('number', [
    'id', 'ask_contract_id', 'bundle_id', 'machine_id', 'host_id', 'num_gpus', 'gpu_ram', 'gpu_total_ram',
    'gpu_frac', 'gpu_mem_bw', 'cpu_cores', 'cpu_cores_effective', 'cpu_ghz', 'cpu_ram', 'disk_space', 'disk_bw',
    'pcie_bw', 'cuda_max_good', 'driver_version', 'compute_cap', 'dph_base', 'dph_total', 'discounted_dph_total',
    'min_bid', 'storage_cost', 'inet_up_cost', 'inet_down_cost', 'reliability', 'reliability2', 'dlperf',
    'dlperf_per_dphtotal', 'flops_per_dphtotal', 'total_flops', 'score', 'inet_up', 'inet_down',
    'direct_port_count', 'duration', 'end_date', 'hosting_type', 'cluster_id', 'has_avx',
  ]),
  ...kinds('boolean', [
    'static_ip', 'verified', 'rentable', 'rented', 'external', 'datacenter', 'is_bid', 'vms_enabled',
    'gpu_display_active',
  ]),
  ...kinds('string', [
    'gpu_name', 'gpu_arch', 'cpu_name', 'cpu_arch', 'os_version', 'public_ipaddr', 'geolocation', 'verification',
  ]),
};

/** The CLI's aliases (`vastai/api/query.py`). */
const ALIASES: Record<string, string> = {
  dph: 'dph_total',
  cuda_vers: 'cuda_max_good',
  dlperf_usd: 'dlperf_per_dphtotal',
  flops_usd: 'flops_per_dphtotal',
};

/** Body keys that are not filters. */
const CONTROL_KEYS = new Set(['order', 'limit', 'type', 'allocated_storage', 'disable_bundling']);

const TYPES: Record<string, OfferType> = { 'on-demand': 'on-demand', ondemand: 'on-demand', bid: 'bid', reserved: 'reserved' };

export interface SearchQuery {
  conditions: Condition[];
  order: Array<[field: string, direction: 'asc' | 'desc']>;
  limit: number;
  type: OfferType;
  allocatedStorageGb: number;
}

const invalid = (message: string) => new ApiError(400, 'invalid_args', message);

/**
 * Parses a `POST /bundles/` body. No defaults are added for omitted filters (rented offers come
 * back unless `rented: {eq: false}` is sent), and `gpu_name` is compared exactly: "RTX_4090" matches
 * nothing. The client applies the CLI's defaults and spelling.
 */
export function parseSearchBody(body: unknown): SearchQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('search body must be a JSON object');
  const record = body as Record<string, unknown>;
  const conditions: Condition[] = [];
  for (const [key, spec] of Object.entries(record)) {
    if (CONTROL_KEYS.has(key)) continue;
    const field = resolveField(key);
    const normalized = field === 'driver_version' ? mapOperands(spec, driverNumber) : spec;
    conditions.push(...parseConditions(field, normalized, FIELD_KINDS[field], invalid));
  }
  return {
    conditions,
    order: parseOrder(record.order),
    limit: parseLimit(record.limit),
    type: parseType(record.type),
    allocatedStorageGb: parseStorage(record.allocated_storage),
  };
}

/** Prices every offer for the query, filters, sorts (id breaks ties) and cuts to the limit. */
export function runSearch(offers: readonly Offer[], query: SearchQuery, nowMs: number): Offer[] {
  return offers
    .map((offer) => priceOffer(offer, query.type, query.allocatedStorageGb, nowMs))
    .filter((offer) => query.conditions.every((condition) => satisfies(readings(offer, condition.field), condition)))
    .sort((a, b) => {
      for (const [field, direction] of query.order) {
        const order = compareValues(a[field], b[field]);
        if (order !== 0) return direction === 'asc' ? order : -order;
      }
      return a.id - b.id;
    })
    .slice(0, query.limit);
}

function readings(offer: Offer, field: string): Scalar | Scalar[] {
  if (field === 'geolocation') return [offer.geolocation, countryCode(offer.geolocation)];
  if (field === 'driver_version') return driverNumber(offer.driver_version) as Scalar;
  return (offer[field] ?? null) as Scalar;
}

function resolveField(name: string): string {
  const field = ALIASES[name] ?? name;
  if (!(field in FIELD_KINDS)) throw invalid(`unknown search field ${name}`);
  return field;
}

function parseOrder(raw: unknown): SearchQuery['order'] {
  if (raw === undefined) return [['score', 'desc']];
  if (!Array.isArray(raw)) throw invalid('order must be an array of [field, "asc"|"desc"]');
  return raw.map((item) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') throw invalid('order must be an array of [field, "asc"|"desc"]');
    const direction = item[1] ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') {
      throw invalid(`order direction must be asc or desc, got ${JSON.stringify(direction)}`);
    }
    return [resolveField(item[0]), direction];
  });
}

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_SEARCH_LIMIT;
  const limit = Number(raw);
  if (typeof raw === 'boolean' || !Number.isInteger(limit) || limit < 1) throw invalid('limit must be a positive integer');
  return Math.min(limit, MAX_SEARCH_LIMIT);
}

function parseType(raw: unknown): OfferType {
  if (raw === undefined) return 'on-demand';
  const type = typeof raw === 'string' ? TYPES[raw] : undefined;
  if (!type) throw invalid(`type must be on-demand, bid or reserved, got ${JSON.stringify(raw)}`);
  return type;
}

function parseStorage(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_ALLOCATED_STORAGE_GB;
  const gigabytes = Number(raw);
  if (typeof raw === 'boolean' || !Number.isFinite(gigabytes) || gigabytes < 0) {
    throw invalid('allocated_storage must be a number of GB');
  }
  return gigabytes;
}

/** The CLI sends driver versions as integers: "535.86.05" → 535086005. */
function driverNumber(value: unknown): unknown {
  if (typeof value !== 'string' || !value.includes('.')) return value;
  const [major = 0, minor = 0, patch = 0] = value.split('.').map(Number);
  return major * 1_000_000 + minor * 1000 + patch;
}

function mapOperands(spec: unknown, map: (value: unknown) => unknown): unknown {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  return Object.fromEntries(
    Object.entries(spec).map(([op, value]) => [op, Array.isArray(value) ? value.map(map) : map(value)]),
  );
}

function kinds(kind: FieldKind, fields: string[]): Record<string, FieldKind> {
  return Object.fromEntries(fields.map((field) => [field, kind]));
}
