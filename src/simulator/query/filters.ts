import type { FilterOp } from '../../vast/types';

/**
 * The filter grammar shared by offer search and `select_filters`: `field: {op: value, ...}` with
 * ops eq neq gt gte lt lte in notin. Values are coerced to the field's kind, so the CLI's numeric
 * strings (`{"num_gpus":{"eq":"1"}}`) work like numbers.
 */
export const FILTER_OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin'];

export type FieldKind = 'number' | 'string' | 'boolean';
export type Scalar = string | number | boolean | null;

export interface Condition {
  field: string;
  op: FilterOp;
  value: Scalar | Scalar[];
}

/** Builds the caller's error (search answers `invalid_args`, instance lists `invalid_request`). */
export type Fail = (message: string) => Error;

export function parseConditions(field: string, spec: unknown, kind: FieldKind, fail: Fail): Condition[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw fail(`filter ${field} must be an object of operators, e.g. {"eq": value}`);
  }
  return Object.entries(spec).map(([op, raw]) => {
    if (!(FILTER_OPS as readonly string[]).includes(op)) throw fail(`unknown operator ${op} for ${field}`);
    if (op === 'in' || op === 'notin') {
      if (!Array.isArray(raw)) throw fail(`operator ${op} for ${field} needs an array`);
      return { field, op: op as FilterOp, value: raw.map((item) => coerce(field, item, kind, fail)) };
    }
    const value = coerce(field, raw, kind, fail);
    if (value === null && op !== 'eq' && op !== 'neq') throw fail(`operator ${op} for ${field} needs a value`);
    return { field, op: op as FilterOp, value };
  });
}

/**
 * Whether a row value satisfies a condition. `actual` may list several readings of one value
 * (geolocation is both "California, US" and "US"): positive ops need one to match, negative ops none.
 */
export function satisfies(actual: Scalar | readonly Scalar[], condition: Condition): boolean {
  const readings: readonly Scalar[] = Array.isArray(actual) ? actual : [actual as Scalar];
  const { op, value } = condition;
  switch (op) {
    case 'eq':
      return readings.some((r) => r === value);
    case 'neq':
      return !readings.some((r) => r === value);
    case 'in':
      return readings.some((r) => (value as Scalar[]).includes(r));
    case 'notin':
      return !readings.some((r) => (value as Scalar[]).includes(r));
    default: {
      const primary = readings[0];
      if (primary === null || typeof primary !== typeof value) return false;
      const order = compareValues(primary, value as Scalar);
      if (op === 'gt') return order > 0;
      if (op === 'gte') return order >= 0;
      if (op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

/** A total order for sorting mixed columns: null < booleans < numbers < strings. */
export function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a === b || rank(a) === 0) return 0;
  return (a as number | string | boolean) < (b as number | string | boolean) ? -1 : 1;
}

export function kindOf(value: unknown): FieldKind | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return undefined;
}

function coerce(field: string, raw: unknown, kind: FieldKind, fail: Fail): Scalar {
  if (raw === null) return null;
  if (kind === 'number') {
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    throw fail(`${field} needs a number, got ${JSON.stringify(raw)}`);
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const text = String(raw).toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw fail(`${field} needs true or false, got ${JSON.stringify(raw)}`);
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw fail(`${field} needs a string, got ${JSON.stringify(raw)}`);
}
