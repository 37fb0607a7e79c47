import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as v from 'valibot';
import { fieldReader, INVALID, unchangedCheck } from '../../../src/api/fieldReader';
import { INSTANCE_FIELDS } from '../../../src/api/wireSchemas';
import { hostileInstance } from '../../support/hostileArbitraries';

type Schema = v.GenericSchema<unknown, unknown>;

/** What valibot alone makes of a value: the output, or INVALID. */
function byValibot(schema: Schema, value: unknown): unknown {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : INVALID;
}

const FIELDS = Object.entries(INSTANCE_FIELDS);
const READERS = new Map(FIELDS.map(([field, schema]) => [field, fieldReader(schema)]));

describe('field readers (the boundary without valibot per call)', () => {
  it('read every instance field exactly as valibot does, for hostile rows', () => {
    fc.assert(
      fc.property(hostileInstance, (row) => {
        for (const [field, schema] of FIELDS) {
          const value = (row as Record<string, unknown>)[field];
          assert.deepStrictEqual(READERS.get(field)!(value), byValibot(schema, value), field);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('read every instance field exactly as valibot does, for any value at all', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.anything({ withNullPrototype: true, withObjectString: true }), ([field, schema], value) => {
        assert.deepStrictEqual(READERS.get(field)!(value), byValibot(schema, value), field);
      }),
      { numRuns: 2000 },
    );
  });

  it('read boundary values exactly as valibot does (lengths and ranges at their limits)', () => {
    const lengths = [64, 128, 256, 1024, 4096, 65536].flatMap((max) => [max - 1, max, max + 1]);
    const edges: unknown[] = [
      ...lengths.map((length) => 'a'.repeat(length)),
      ...[0, -0, 1, -1, 0.5, 65535, 65536, 1_000_000, 1_000_001, 8.64e12, 8.64e12 + 1, 2 ** 53 - 1, 2 ** 53, Infinity, -Infinity, NaN],
      ...['ssh7.vast.ai', '198.51.100.60', '::1', '-oProxyCommand', 'a..b', '.a', 'a'.repeat(254), '22/tcp', 'running', 'warp'],
      { '22/tcp': [] },
      { '22/tcp': Array.from({ length: 17 }, () => ({ HostPort: '1' })) },
      { '22/tcp': Array.from({ length: 16 }, () => ({ HostPort: '1' })) },
      Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`${i}/tcp`, []])),
      Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`${i}/tcp`, []])),
      { '22/tcp': [{ HostIp: 'a'.repeat(65), HostPort: '22' }] },
      { '22/tcp': [{ HostIp: undefined, HostPort: '22' }] },
    ];
    for (const [field, schema] of FIELDS) {
      for (const value of edges) assert.deepStrictEqual(READERS.get(field)!(value), byValibot(schema, value), `${field} <- ${String(value).slice(0, 20)}`);
    }
  });

  it('read values exactly as valibot does for other pipes the readers fuse or compose', () => {
    const schemas: Schema[] = [
      v.pipe(v.string(), v.maxLength(3), v.regex(/^a/)),
      v.pipe(v.string(), v.maxLength(3), v.check((s: string) => s !== 'ab')),
      v.pipe(v.string(), v.minLength(2), v.maxLength(3)),
      v.pipe(v.number(), v.minValue(-1), v.maxValue(2), v.integer()),
      v.pipe(v.number(), v.minValue(0), v.minValue(1), v.maxValue(5), v.maxValue(3)),
      v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(2)),
      v.object({ a: v.optional(v.string()), b: v.number() }),
    ] as Schema[];
    const edge = fc.oneof(fc.constantFrom('', 'a', 'ab', 'abc', 'abcd', 'b', -2, -1, 0, 1, 2, 3, 4, 1.5, NaN, Infinity), fc.anything());
    fc.assert(
      fc.property(fc.constantFrom(...schemas.keys()), edge, (index, value) => {
        assert.deepStrictEqual(fieldReader(schemas[index])(value), byValibot(schemas[index], value));
      }),
      { numRuns: 3000 },
    );
  });

  it('hand a port map with extra keys to valibot, which drops them', () => {
    const ports = { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '22', extra: 'x'.repeat(10) }] };
    assert.deepEqual(READERS.get('ports')!(ports), { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '22' }] });
    const own = JSON.parse('{"__proto__": [], "22/tcp": [{"HostPort": "22"}]}');
    assert.deepStrictEqual(READERS.get('ports')!(own), byValibot(INSTANCE_FIELDS.ports, own));
  });

  it('keep NaN out the way valibot does (number() refuses it, min/max comparisons fail)', () => {
    for (const field of ['num_gpus', 'dph_total', 'gpu_util', 'start_date', 'ssh_port']) {
      assert.equal(READERS.get(field)!(NaN), INVALID, field);
    }
  });

  it('take the fast path for every instance field schema (no field silently falls back to valibot)', () => {
    for (const [field, schema] of FIELDS) {
      assert.ok(unchangedCheck(schema as never), `${field} has a schema the fast check does not know`);
    }
    const good = { actual_status: 'running', ssh_host: 'ssh7.vast.ai', public_ipaddr: '198.51.100.60', ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '33866' }] } };
    for (const [field, value] of Object.entries(good)) {
      assert.equal(unchangedCheck(INSTANCE_FIELDS[field] as never)!(value), true, field);
      assert.equal(READERS.get(field)!(value), value, `${field}: a good value is kept as it is`);
    }
  });

  it('leave unknown schema kinds to valibot', () => {
    const date = v.date();
    assert.equal(unchangedCheck(date as never), undefined);
    const read = fieldReader(date as Schema);
    const now = new Date(0);
    assert.deepEqual(read(now), now);
    assert.equal(read('1970-01-01'), INVALID);
  });
});
