import * as v from 'valibot';

type FieldSchema = v.GenericSchema<unknown, unknown>;

/** What a field reader returns for a value its schema refuses. */
export const INVALID: unique symbol = Symbol('invalid');

/** Reads one field: the value to keep, or INVALID. */
export type FieldReader = (value: unknown) => unknown;

type Predicate = (value: unknown) => boolean;

/** A valibot schema or pipe action, by its public, typed properties. */
interface SchemaNode {
  kind: string;
  type: string;
  pipe?: readonly SchemaNode[];
  requirement?: unknown;
  options?: readonly unknown[];
  wrapped?: SchemaNode;
  default?: unknown;
  item?: SchemaNode;
  key?: SchemaNode;
  value?: SchemaNode;
  entries?: Record<string, SchemaNode>;
}

/**
 * A reader for one field, made once from its valibot schema. Running valibot costs a dataset and a
 * call per schema and pipe item for every field of every row (most of a poll's parsing time), so
 * the schema is also turned into plain comparisons that say "valibot would keep this value exactly
 * as it is". Values that pass are kept as they are; anything else (a bad value, or one valibot would
 * reshape, such as an object with extra keys) goes through valibot itself, which stays the judge.
 */
export function fieldReader(schema: FieldSchema): FieldReader {
  const unchanged = unchangedCheck(schema as unknown as SchemaNode);
  const judge = (value: unknown) => {
    const result = v.safeParse(schema, value);
    return result.success ? result.output : INVALID;
  };
  return unchanged ? (value) => (unchanged(value) ? value : judge(value)) : judge;
}

/**
 * A predicate true only for values the schema accepts and outputs unchanged (deep-equal), or
 * undefined when the schema uses something this does not know. False means "ask valibot".
 */
export function unchangedCheck(schema: SchemaNode): Predicate | undefined {
  const [base, ...actions] = (schema.pipe ?? [schema]).filter((item) => item.kind !== 'metadata');
  if (base.kind !== 'schema') return undefined;
  const fused = base.type === 'number' ? numberCheck(actions) : base.type === 'string' ? stringCheck(actions) : undefined;
  if (fused) return fused;
  const checks = [baseCheck(base)];
  for (const action of actions) checks.push(action.kind === 'validation' ? actionCheck(action) : undefined);
  if (!checks.every((check) => check !== undefined)) return undefined;
  return allOf(checks as Predicate[]);
}

function baseCheck(schema: SchemaNode): Predicate | undefined {
  switch (schema.type) {
    case 'number':
      return (value) => typeof value === 'number' && !Number.isNaN(value); // valibot's number() refuses NaN
    case 'string':
      return (value) => typeof value === 'string';
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'picklist': {
      const options = schema.options;
      return options ? (value) => options.includes(value) : undefined;
    }
    case 'array': {
      const item = schema.item && unchangedCheck(schema.item);
      if (!item) return undefined;
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (const element of value) if (!item(element)) return false;
        return true;
      };
    }
    case 'record':
      return recordCheck(schema);
    case 'object':
      return objectCheck(schema);
    default:
      return undefined;
  }
}

/**
 * The common pipes (a number within bounds, a string within a length) as one comparison chain:
 * a poll reads about forty such fields per row, and a call per pipe item is most of that time.
 */
function numberCheck(actions: readonly SchemaNode[]): Predicate | undefined {
  let min = -Infinity;
  let max = Infinity;
  let finite = false;
  let integer = false;
  let safe = false;
  for (const { kind, type, requirement } of actions) {
    if (kind !== 'validation') return undefined;
    if (type === 'min_value' && typeof requirement === 'number') min = Math.max(min, requirement);
    else if (type === 'max_value' && typeof requirement === 'number') max = Math.min(max, requirement);
    else if (type === 'finite') finite = true;
    else if (type === 'integer') integer = true;
    else if (type === 'safe_integer') safe = true;
    else return undefined;
  }
  return (value) =>
    typeof value === 'number' &&
    value >= min && // also refuses NaN, as valibot's number() does
    value <= max &&
    (!finite || Number.isFinite(value)) &&
    (!integer || Number.isInteger(value)) &&
    (!safe || Number.isSafeInteger(value));
}

function stringCheck(actions: readonly SchemaNode[]): Predicate | undefined {
  let maxLength = Infinity;
  let test: ((value: string) => boolean) | undefined;
  for (const { kind, type, requirement } of actions) {
    if (kind !== 'validation') return undefined;
    if (type === 'max_length' && typeof requirement === 'number') maxLength = Math.min(maxLength, requirement);
    else if (test) return undefined; // one pattern or check at most; more go the general way
    else if (type === 'regex' && requirement instanceof RegExp) test = (value) => requirement.test(value);
    else if (type === 'check' && typeof requirement === 'function') test = (value) => Boolean(requirement(value));
    else return undefined;
  }
  return test ? (value) => typeof value === 'string' && value.length <= maxLength && test(value) : (value) => typeof value === 'string' && value.length <= maxLength;
}

/** valibot's record() skips keys that are not own or are __proto__/prototype/constructor: such a map would be reshaped. */
function recordCheck(schema: SchemaNode): Predicate | undefined {
  const key = schema.key && unchangedCheck(schema.key);
  const item = schema.value && unchangedCheck(schema.value);
  if (!key || !item) return undefined;
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const name in value) {
      if (!Object.prototype.hasOwnProperty.call(value, name) || UNSAFE_KEYS.has(name)) return false;
      if (!key(name) || !item(value[name])) return false;
    }
    return true;
  };
}

/** valibot's object() drops unknown keys and fills defaults: only objects with known keys (and no default to fill) pass. */
function objectCheck(schema: SchemaNode): Predicate | undefined {
  if (!schema.entries) return undefined;
  const entries: Array<{ name: string; check: Predicate; optional: boolean }> = [];
  for (const [name, entry] of Object.entries(schema.entries)) {
    const optional = entry.type === 'optional' && entry.default === undefined;
    const check = unchangedCheck(optional ? entry.wrapped! : entry);
    if (!check || (entry.type === 'optional' && !optional)) return undefined;
    entries.push({ name, check, optional });
  }
  const known = new Set(entries.map((entry) => entry.name));
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const name in value) if (!known.has(name)) return false;
    for (const { name, check, optional } of entries) {
      if (!(name in value)) {
        if (optional) continue;
        return false;
      }
      const field = value[name];
      if (!(optional && field === undefined) && !check(field)) return false;
    }
    return true;
  };
}

/** Each as valibot words it (e.g. min_value fails unless `value >= requirement`, so NaN fails). */
function actionCheck(action: SchemaNode): Predicate | undefined {
  const requirement = action.requirement;
  switch (action.type) {
    case 'safe_integer':
    case 'integer':
    case 'finite':
    case 'check':
      return typeof requirement === 'function' ? (value) => Boolean(requirement(value)) : undefined;
    case 'min_value':
      return (value) => (value as number) >= (requirement as number);
    case 'max_value':
      return (value) => (value as number) <= (requirement as number);
    case 'max_length':
      return (value) => (value as { length: number }).length <= (requirement as number);
    case 'min_length':
      return (value) => (value as { length: number }).length >= (requirement as number);
    case 'regex':
      return requirement instanceof RegExp ? (value) => requirement.test(value as string) : undefined;
    default:
      return undefined;
  }
}

const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.getPrototypeOf(value) === Object.prototype; // valibot's output has this prototype
}

function allOf(checks: Predicate[]): Predicate {
  if (checks.length === 1) return checks[0];
  return (value) => {
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}
