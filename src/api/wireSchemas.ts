import * as v from 'valibot';
import { isSafeHost } from '../vast/hostAddress';
import { fieldReader, INVALID } from './fieldReader';
import type { Instance, InstanceStatus, Offer, User } from '../vast/types';

/**
 * The boundary: what Vast sends is checked field by field before anything else reads it. A bad
 * field becomes an explicit unknown (null, or NaN for an offer's display numbers) so one odd value
 * degrades one cell of one row; a row without a usable id (or an offer without a price) is left out.
 * Every drop is reported, so the log can say what was ignored.
 *
 * Valibot rather than zod: its functions tree-shake, so these schemas add a few KB to the bundle
 * (zod's classes pull in most of the library; the bundle budget is 120 KB minified).
 */

export type WireKind = 'instance' | 'offer' | 'user' | 'sshKey';

/** A field (or a whole row, field "(row)") that was ignored. */
export interface FieldDrop {
  kind: WireKind;
  field: string;
  /** The row's id, when it had a readable one. */
  id?: number;
}

type FieldSchema = v.GenericSchema<unknown, unknown>;

const id = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const readId = fieldReader(id);
const finite = v.pipe(v.number(), v.finite());
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const host = v.pipe(v.string(), v.check((value: string) => isSafeHost(value), 'not a plain host name or IP address'));
const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
/** Epoch seconds a Date can show (±8.64e15 ms). */
const epochSeconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(8.64e12));
/** Docker's port map: {"22/tcp": [{HostIp, HostPort}]}, small and flat. */
const portMap = v.pipe(
  v.record(
    v.pipe(v.string(), v.regex(/^\d{1,5}\/(tcp|udp)$/)),
    v.pipe(v.array(v.object({ HostIp: v.optional(text(64)), HostPort: v.pipe(v.string(), v.regex(/^\d{1,5}$/)) })), v.maxLength(16)),
  ),
  v.check((map) => Object.keys(map).length <= 256, 'too many ports'),
);

const INSTANCE_STATUSES: readonly InstanceStatus[] = ['created', 'loading', 'running', 'stopped', 'frozen', 'exited', 'rebooting', 'unknown', 'offline'];

/** Exported for the test that holds the fast field readers to valibot. */
export const INSTANCE_FIELDS: Record<string, FieldSchema> = {
  actual_status: v.picklist(INSTANCE_STATUSES),
  intended_status: v.picklist(['running', 'stopped', 'frozen']),
  cur_state: text(64),
  next_state: text(64),
  status_msg: text(4096),
  label: text(1024),
  machine_id: id,
  host_id: id,
  image_uuid: text(1024),
  image_runtype: text(256),
  onstart: text(65536),
  gpu_name: text(128),
  num_gpus: count,
  gpu_ram: nonNegative,
  gpu_totalram: nonNegative,
  cpu_cores_effective: nonNegative,
  cpu_ram: nonNegative,
  gpu_util: finite,
  gpu_temp: finite,
  disk_space: nonNegative,
  ssh_host: host,
  ssh_port: port,
  public_ipaddr: host,
  direct_port_start: port,
  direct_port_end: port,
  jupyter_token: text(1024),
  ports: portMap,
  dph_total: nonNegative,
  dph_base: nonNegative,
  is_bid: v.boolean(),
  min_bid: nonNegative,
  storage_total_cost: finite,
  credit_balance: finite,
  uptime_mins: finite,
  start_date: epochSeconds,
  end_date: epochSeconds,
  duration: finite,
  geolocation: text(256),
  verification: text(64),
  reliability2: finite,
};

/** Made once: every poll row and every show-instance answer walks this list. */
const INSTANCE_READERS = Object.entries(INSTANCE_FIELDS).map(([field, schema]) => [field, fieldReader(schema)] as const);

/** An unrecognised `actual_status` string is shown as Vast's own "unknown", not as provisioning. */
const UNKNOWN_STATUS: Partial<Record<string, unknown>> = { actual_status: 'unknown' };

/** Offer fields without which an offer cannot be shown or rented: the offer is left out. */
const OFFER_REQUIRED: Record<string, FieldSchema> = {
  id,
  gpu_name: text(128),
  num_gpus: v.pipe(count, v.minValue(1)),
  dph_total: nonNegative,
};
/** Display numbers: unknown is NaN (formatters show "?"). */
const OFFER_NUMBERS = [
  'ask_contract_id', 'bundle_id', 'machine_id', 'host_id', 'gpu_ram', 'gpu_total_ram', 'cpu_cores_effective', 'cpu_ram', 'disk_space',
  'cuda_max_good', 'compute_cap', 'dph_base', 'min_bid', 'storage_cost', 'reliability', 'reliability2', 'dlperf', 'dlperf_per_dphtotal',
  'total_flops', 'score', 'inet_up', 'inet_down', 'direct_port_count', 'duration', 'end_date',
];
const OFFER_BOOLEANS = ['static_ip', 'verified', 'rentable', 'rented', 'external', 'datacenter', 'is_bid'];
const OFFER_STRINGS: Record<string, FieldSchema> = { driver_version: text(64), geolocation: text(256), public_ipaddr: host };

const USER_FIELDS: Record<string, FieldSchema> = {
  credit: finite,
  balance: finite,
  fullname: text(256),
  has_billing: v.boolean(),
  can_pay: v.boolean(),
  email_verified: v.boolean(),
};

export function parseInstances(raw: unknown, onDrop: (drop: FieldDrop) => void): Instance[] {
  if (!Array.isArray(raw)) return [];
  const out: Instance[] = [];
  for (const row of raw) {
    const instance = parseInstance(row, onDrop);
    if (instance) out.push(instance);
  }
  return out;
}

export function parseInstance(raw: unknown, onDrop: (drop: FieldDrop) => void): Instance | undefined {
  const row = rowId(raw, 'instance', onDrop);
  if (!row) return undefined;
  const out: Record<string, unknown> = { ...row.raw, id: row.id };
  for (const [field, read] of INSTANCE_READERS) {
    const value = row.raw[field];
    if (value === undefined || value === null) {
      out[field] = null;
      continue;
    }
    const output = read(value);
    if (output !== INVALID) {
      out[field] = output;
    } else {
      out[field] = field in UNKNOWN_STATUS ? UNKNOWN_STATUS[field] : null;
      onDrop({ kind: 'instance', field, id: row.id });
    }
  }
  return out as Instance;
}

export function parseOffers(raw: unknown, onDrop: (drop: FieldDrop) => void): Offer[] {
  if (!Array.isArray(raw)) return [];
  const out: Offer[] = [];
  for (const row of raw) {
    const offer = parseOffer(row, onDrop);
    if (offer) out.push(offer);
  }
  return out;
}

export function parseOffer(raw: unknown, onDrop: (drop: FieldDrop) => void): Offer | undefined {
  const row = rowId(raw, 'offer', onDrop);
  if (!row) return undefined;
  const out: Record<string, unknown> = { ...row.raw, id: row.id };
  for (const [field, schema] of Object.entries(OFFER_REQUIRED)) {
    const result = v.safeParse(schema, row.raw[field]);
    if (!result.success) {
      onDrop({ kind: 'offer', field, id: row.id });
      onDrop({ kind: 'offer', field: '(row)', id: row.id });
      return undefined;
    }
    out[field] = result.output;
  }
  const check = (field: string, schema: FieldSchema, unknown: unknown) => {
    const value = row.raw[field];
    if (value === undefined || value === null) return void (out[field] = unknown);
    const result = v.safeParse(schema, value);
    if (result.success) return void (out[field] = result.output);
    out[field] = unknown;
    onDrop({ kind: 'offer', field, id: row.id });
  };
  for (const field of OFFER_NUMBERS) check(field, finite, NaN);
  for (const field of OFFER_BOOLEANS) check(field, v.boolean(), false);
  for (const [field, schema] of Object.entries(OFFER_STRINGS)) check(field, schema, '');
  check('verification', v.picklist(['verified', 'unverified', 'deverified']), undefined);
  return out as Offer;
}

/** The account; without a numeric id the answer is not an account at all (undefined). */
export function parseUser(raw: unknown, onDrop: (drop: FieldDrop) => void): User | undefined {
  const row = rowId(raw, 'user', onDrop);
  if (!row) return undefined;
  const out: Record<string, unknown> = { ...row.raw, id: row.id };
  for (const field of ['username', 'email']) {
    const result = v.safeParse(text(256), row.raw[field]);
    out[field] = result.success ? result.output : '';
    if (!result.success && row.raw[field] != null) onDrop({ kind: 'user', field, id: row.id });
  }
  for (const [field, schema] of Object.entries(USER_FIELDS)) {
    const value = row.raw[field];
    const result = v.safeParse(schema, value);
    out[field] = result.success ? result.output : null;
    if (!result.success && value != null) onDrop({ kind: 'user', field, id: row.id });
  }
  return out as User;
}

function rowId(raw: unknown, kind: WireKind, onDrop: (drop: FieldDrop) => void): { raw: Record<string, unknown>; id: number } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    onDrop({ kind, field: '(row)' });
    return undefined;
  }
  const record = raw as Record<string, unknown>;
  const rowIdValue = readId(record.id);
  if (rowIdValue === INVALID) {
    onDrop({ kind, field: 'id' });
    return undefined;
  }
  return { raw: record, id: rowIdValue as number };
}

/** One SSH key row (account or instance): Vast names the key `public_key`, `key` or `ssh_key` depending on the endpoint. */
export interface SshKeyRow {
  id?: number;
  publicKey: string;
  createdAt?: string;
  source?: string;
}

const KEY_TEXT = text(16_384);

/**
 * SSH key rows: a bare array, or one under `ssh_keys` / `keys`. A row without key text is left
 * out (and reported); the key text itself is parsed by whoever compares or shows it.
 */
export function parseSshKeys(raw: unknown, onDrop: (drop: FieldDrop) => void): SshKeyRow[] | undefined {
  const wrapped = raw as { ssh_keys?: unknown; keys?: unknown } | null;
  const rows = Array.isArray(raw) ? raw : wrapped?.ssh_keys ?? wrapped?.keys;
  if (!Array.isArray(rows)) return undefined;
  const out: SshKeyRow[] = [];
  for (const row of rows) {
    if (row === null || typeof row !== 'object') {
      onDrop({ kind: 'sshKey', field: '(row)' });
      continue;
    }
    const fields = row as Record<string, unknown>;
    const rowId = v.safeParse(id, fields.id);
    const keyText = [fields.public_key, fields.key, fields.ssh_key].map((value) => v.safeParse(KEY_TEXT, value)).find((result) => result.success);
    if (!keyText?.success) {
      onDrop({ kind: 'sshKey', field: '(row)', id: rowId.success ? rowId.output : undefined });
      continue;
    }
    const createdAt = v.safeParse(text(64), fields.created_at);
    const source = v.safeParse(text(32), fields.source);
    out.push({
      id: rowId.success ? rowId.output : undefined,
      publicKey: keyText.output,
      createdAt: createdAt.success ? createdAt.output : undefined,
      source: source.success ? source.output : undefined,
    });
  }
  return out;
}
