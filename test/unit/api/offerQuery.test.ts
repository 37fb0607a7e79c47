import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { buildSearchBody, describeOfferQuery, normalizeGpuName, searchKey } from '../../../src/api/offerQuery';

describe('offer query builder', () => {
  it('applies the CLI defaults: verified, rentable, not rented, not external', () => {
    const body = buildSearchBody({});
    assert.deepEqual(body.verified, { eq: true });
    assert.deepEqual(body.rentable, { eq: true });
    assert.deepEqual(body.rented, { eq: false });
    assert.deepEqual(body.external, { eq: false });
    assert.deepEqual(body.order, [['score', 'desc']]);
    assert.equal(body.type, 'on-demand');
    assert.equal(body.limit, 64);
    assert.equal(body.allocated_storage, 10);
  });

  it('accepts the CLI spelling RTX_4090 and sends Vast spelling with spaces', () => {
    assert.equal(normalizeGpuName('RTX_4090'), 'RTX 4090');
    assert.equal(normalizeGpuName('  H100  SXM '), 'H100 SXM');
    assert.deepEqual(buildSearchBody({ gpuName: 'RTX_4090' }).gpu_name, { eq: 'RTX 4090' });
    assert.deepEqual(buildSearchBody({ gpuName: ['RTX_4090', 'RTX 3090'] }).gpu_name, { in: ['RTX 4090', 'RTX 3090'] });
  });

  it('maps every field to Vast units', () => {
    const body = buildSearchBody({
      maxDph: 0.6,
      numGpus: { min: 2, max: 4 },
      minGpuRamGb: 24,
      minReliability: 0.98,
      region: ['europe', 'us'],
      minCudaVersion: 12.1,
      minDirectPorts: 1,
      order: 'price',
      limit: 10,
      diskGb: 50,
      verified: false,
    });
    assert.deepEqual(body.dph_total, { lte: 0.6 });
    assert.deepEqual(body.num_gpus, { gte: 2, lte: 4 });
    assert.deepEqual(body.gpu_ram, { gte: 24_000 });
    assert.deepEqual(body.reliability, { gte: 0.98 });
    const countries = (body.geolocation as { in: string[] }).in;
    assert.ok(countries.includes('DE') && countries.includes('US') && !countries.includes('JP'));
    assert.deepEqual(body.cuda_max_good, { gte: 12.1 });
    assert.deepEqual(body.direct_port_count, { gte: 1 });
    assert.deepEqual(body.order, [['dph_total', 'asc']]);
    assert.equal(body.limit, 10);
    assert.equal(body.allocated_storage, 50);
    assert.equal(body.verified, undefined);
  });

  it('lets raw filters override the defaults', () => {
    const body = buildSearchBody({ filters: { rented: { eq: true }, inet_down: { gte: 500 } } });
    assert.deepEqual(body.rented, { eq: true });
    assert.deepEqual(body.inet_down, { gte: 500 });
  });

  for (const [name, query, pattern] of [
    ['a negative price', { maxDph: -1 }, /Max price.*positive/],
    ['a reliability given in percent', { minReliability: 98 }, /between 0 and 1/],
    ['a fractional GPU count', { numGpus: 1.5 }, /whole number/],
    ['an empty GPU count range', { numGpus: { min: 4, max: 2 } }, /range is empty/],
    ['an unknown region', { region: 'mars' }, /Unknown region "mars"/],
    ['an empty GPU name', { gpuName: ' _ ' }, /must not be empty/],
    ['an unknown sort order', { order: 'cheapest' }, /Unknown sort order/],
    ['a zero limit', { limit: 0 }, /Limit must be a whole number/],
  ] as const) {
    it(`rejects ${name} with a clear error before sending anything`, () => {
      assert.throws(() => buildSearchBody(query as never), (error: unknown) => isVastApiError(error, 'invalid-input') && pattern.test(error.message));
    });
  }

  it('gives the same cache key whatever the field order', () => {
    const a = searchKey(buildSearchBody({ gpuName: 'RTX 4090', maxDph: 0.5, numGpus: 1 }));
    const b = searchKey(buildSearchBody({ numGpus: 1, maxDph: 0.5, gpuName: 'RTX_4090' }));
    const c = searchKey(buildSearchBody({ numGpus: 2, maxDph: 0.5, gpuName: 'RTX_4090' }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('describes a query in one line', () => {
    assert.equal(
      describeOfferQuery({ gpuName: 'RTX_4090', maxDph: 0.6, numGpus: 1, minReliability: 0.98, region: 'US' }),
      'RTX 4090 · ≤ $0.60/h · 1 GPU · ≥ 98% reliable · US',
    );
  });
});
