import type { Instance, InstancesPage } from '../../vast/types';
import { ApiError } from '../server/apiError';
import { compareValues, parseConditions, satisfies, type Condition, type FieldKind, type Scalar } from '../query/filters';

export const PAGE_LIMIT_MAX = 25;
/** What Vast does with `limit <= 0`. */
const PAGE_LIMIT_NON_POSITIVE = 5;

/**
 * Columns `select_filters` accepts: stored columns only. Computed ones (dph_total, num_gpus...) are
 * refused with Vast's message, which is how a client learns to filter those itself.
 */
const STORED_COLUMNS: Record<string, FieldKind> = {
  id: 'number',
  machine_id: 'number',
  host_id: 'number',
  actual_status: 'string',
  intended_status: 'string',
  cur_state: 'string',
  next_state: 'string',
  status_msg: 'string',
  label: 'string',
  gpu_name: 'string',
  verification: 'string',
  image_uuid: 'string',
  image_runtype: 'string',
  geolocation: 'string',
  ssh_host: 'string',
  public_ipaddr: 'string',
  start_date: 'number',
  end_date: 'number',
  disk_space: 'number',
  is_bid: 'boolean',
  template_id: 'number',
  template_hash_id: 'string',
};

interface OrderColumn {
  col: string;
  dir: 'asc' | 'desc';
}

export interface ListQuery {
  limit: number;
  /** Always ends with id, the tiebreaker that makes the keyset total. */
  order: OrderColumn[];
  filters: Condition[];
  /** Undefined means every column ("*"). */
  columns?: string[];
  /** Sort key of the last row of the previous page. */
  after?: Scalar[];
}

const badQuery = (message: string) => new ApiError(400, 'invalid_request', `Error in query parameters: ${message}`);
const badToken = () => new ApiError(400, 'invalid_token', 'Error in query parameters: after_token is not a valid token');

/** Parses `GET /api/v1/instances/` parameters, each JSON-encoded then URL-quoted. */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const order = parseOrder(jsonParam(params, 'order_by'));
  const token = jsonParam(params, 'after_token', true);
  return {
    limit: parseLimit(jsonParam(params, 'limit')),
    order,
    filters: parseFilters(jsonParam(params, 'select_filters')),
    columns: parseColumns(jsonParam(params, 'select_cols')),
    after: token === undefined || token === null ? undefined : decodeToken(token, order),
  };
}

/**
 * One page by keyset: rows strictly after the token's sort key. Unlike offsets, creating or
 * destroying instances between pages neither repeats nor skips the rows that remain.
 */
export function listPage(all: readonly Instance[], query: ListQuery): InstancesPage {
  const matching = all.filter((row) => query.filters.every((c) => satisfies((row[c.field] ?? null) as Scalar, c)));
  const sorted = [...matching].sort((a, b) => compareKeys(sortKey(a, query.order), sortKey(b, query.order), query.order));
  const after = query.after;
  const rest = after ? sorted.filter((row) => compareKeys(sortKey(row, query.order), after, query.order) > 0) : sorted;
  const page = rest.slice(0, query.limit);
  const more = rest.length > page.length;
  const labelCounts: Record<string, number> = {};
  for (const row of matching) {
    const label = typeof row.label === 'string' ? row.label : '';
    labelCounts[label] = (labelCounts[label] ?? 0) + 1;
  }
  return {
    success: true,
    instances_found: page.length,
    total_instances: matching.length,
    label_counts: labelCounts,
    next_token: more ? encodeToken(sortKey(page[page.length - 1], query.order), query.order) : null,
    instances: page.map((row) => project(row, query.columns)),
  };
}

function jsonParam(params: URLSearchParams, name: string, lenient = false): unknown {
  const raw = params.get(name);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    // A token sent without JSON quotes is still recognisable; structured parameters are not.
    if (lenient) return raw;
    throw badQuery(`${name} is not valid JSON`);
  }
}

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === null) return PAGE_LIMIT_MAX;
  const limit = Number(raw);
  if (typeof raw === 'boolean' || !Number.isFinite(limit)) throw badQuery('limit must be a number');
  if (limit <= 0) return PAGE_LIMIT_NON_POSITIVE;
  return Math.min(Math.floor(limit), PAGE_LIMIT_MAX);
}

function parseOrder(raw: unknown): OrderColumn[] {
  const order: OrderColumn[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw badQuery('order_by must be a list of {"col": ..., "dir": "asc"|"desc"}');
    for (const item of raw) {
      const { col, dir = 'asc' } = (item ?? {}) as { col?: unknown; dir?: unknown };
      if (typeof col !== 'string' || !/^[a-z0-9_]+$/.test(col)) {
        throw badQuery(`${JSON.stringify(col)} is not a valid order column`);
      }
      if (dir !== 'asc' && dir !== 'desc') throw badQuery(`order direction must be asc or desc, got ${JSON.stringify(dir)}`);
      order.push({ col, dir });
    }
  }
  if (!order.some((column) => column.col === 'id')) order.push({ col: 'id', dir: 'asc' });
  return order;
}

function parseFilters(raw: unknown): Condition[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badQuery('select_filters must be an object');
  return Object.entries(raw).flatMap(([field, spec]) => {
    const kind = STORED_COLUMNS[field];
    if (!kind) throw badQuery(`${field} is not a valid search key`);
    return parseConditions(field, spec, kind, badQuery);
  });
}

function parseColumns(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((col) => typeof col !== 'string')) {
    throw badQuery('select_cols must be a list of column names');
  }
  return raw.includes('*') ? undefined : (raw as string[]);
}

/** Unknown columns come back null, as Vast does. */
function project(row: Instance, columns: string[] | undefined): Instance {
  if (!columns) return row;
  return Object.fromEntries(columns.map((col) => [col, row[col] ?? null])) as Instance;
}

function sortKey(row: Instance, order: readonly OrderColumn[]): Scalar[] {
  return order.map(({ col }) => {
    const value = row[col];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  });
}

function compareKeys(a: readonly Scalar[], b: readonly Scalar[], order: readonly OrderColumn[]): number {
  for (let i = 0; i < order.length; i++) {
    const result = compareValues(a[i], b[i]);
    if (result !== 0) return order[i].dir === 'asc' ? result : -result;
  }
  return 0;
}

/** Opaque to clients: the sort key plus the order it belongs to (a token is only valid for its order). */
function encodeToken(key: Scalar[], order: readonly OrderColumn[]): string {
  return Buffer.from(JSON.stringify({ o: orderSignature(order), k: key }), 'utf8').toString('base64url');
}

function decodeToken(token: unknown, order: readonly OrderColumn[]): Scalar[] {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+$/.test(token)) throw badToken();
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    if (decoded.o !== orderSignature(order) || !Array.isArray(decoded.k) || decoded.k.length !== order.length) throw badToken();
    return decoded.k as Scalar[];
  } catch {
    throw badToken();
  }
}

function orderSignature(order: readonly OrderColumn[]): string {
  return order.map(({ col, dir }) => `${col}:${dir}`).join(',');
}
