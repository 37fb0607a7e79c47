import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('search cache (real HTTP)', () => {
  let h: ClientHarness;
  beforeEach(async () => {
    h = await startClientHarness({ client: { searchCacheTtlMs: 90_000 } });
  });
  afterEach(async () => h.close());

  const searches = () => h.sim.log.count({ endpoint: 'search' });
  const query = { gpuName: 'RTX_4090', maxDph: 1 };

  it('answers an identical query from memory within the lifetime, then asks again', async () => {
    const first = await h.run(h.client.searchOffers(query));
    await h.clock.advance(60_000);
    const second = await h.run(h.client.searchOffers({ maxDph: 1, gpuName: 'RTX 4090' }));
    assert.equal(first.source, 'network');
    assert.equal(second.source, 'cache');
    assert.equal(second.ageMs, 60_000);
    assert.deepEqual(second.offers, first.offers);
    assert.equal(searches(), 1);
    await h.clock.advance(31_000);
    const third = await h.run(h.client.searchOffers(query));
    assert.equal(third.source, 'network');
    assert.equal(searches(), 2);
  });

  it('sends one request for identical concurrent queries', async () => {
    const results = await h.run(Promise.all(Array.from({ length: 5 }, () => h.client.searchOffers(query))));
    assert.equal(searches(), 1);
    assert.ok(results.every((r) => r.offers === results[0].offers));
  });

  it('bypasses the cache when asked to refresh', async () => {
    await h.run(h.client.searchOffers(query));
    const fresh = await h.run(h.client.searchOffers(query, { refresh: true }));
    assert.equal(fresh.source, 'network');
    assert.equal(searches(), 2);
  });

  it('serves the last good result, marked stale with its age, on a 429 without waiting', async () => {
    const good = await h.run(h.client.searchOffers(query));
    await h.clock.advance(5 * 60_000);
    h.sim.limits.exhaustSearchQuota(2 * 3600_000);
    const before = h.clock.now();
    const stale = await h.run(h.client.searchOffers(query));
    assert.equal(stale.source, 'stale');
    assert.equal(stale.ageMs, 5 * 60_000);
    assert.deepEqual(stale.offers, good.offers);
    assert.match(stale.staleReason!, /rate-limiting search offers/);
    assert.equal(h.clock.now(), before, 'served at once');
    // A query without a cached answer still gets the clear error.
    await assert.rejects(h.run(h.client.searchOffers({ gpuName: 'H100 SXM' })), (e: unknown) => isVastApiError(e, 'rate-limited'));
  });

  it('serves stale on a 429 with a short wait too, and keeps the endpoint cooling for others', async () => {
    await h.run(h.client.searchOffers(query));
    await h.clock.advance(100_000);
    h.sim.limits.storm(2000);
    const stale = await h.run(h.client.searchOffers(query));
    assert.equal(stale.source, 'stale');
    assert.ok(h.client.rateLimits.get('search').state().cooldownUntil! > h.clock.now());
  });

  it('serves stale on a 5xx, and the next query after it gets fresh data', async () => {
    await h.run(h.client.searchOffers(query));
    await h.clock.advance(100_000);
    h.sim.faults.add({ kind: 'status', status: 502, endpoint: 'search' });
    const stale = await h.run(h.client.searchOffers(query));
    assert.equal(stale.source, 'stale');
    assert.match(stale.staleReason!, /HTTP 502/);
    const fresh = await h.run(h.client.searchOffers(query));
    assert.equal(fresh.source, 'network');
  });

  it('never hides a key problem behind stale data', async () => {
    await h.run(h.client.searchOffers(query));
    await h.clock.advance(100_000);
    h.sim.revokeKey(h.sim.apiKey);
    await assert.rejects(h.run(h.client.searchOffers(query)), (e: unknown) => isVastApiError(e, 'auth'));
  });

  it('cancelling one of two callers sharing a request leaves the other its answer', async () => {
    const controller = new AbortController();
    const cancelled = h.client.searchOffers(query, { signal: controller.signal });
    const kept = h.client.searchOffers(query);
    controller.abort(new Error('user cancelled'));
    await assert.rejects(cancelled, /user cancelled/);
    const result = await h.run(kept);
    assert.equal(result.source, 'network');
    assert.equal(searches(), 1);
  });

  it('batch search: several queries in one call, keyed by name, spaced, one failure not failing the rest', async () => {
    const outcomes = await h.run(
      h.client.batchSearch({
        cheap4090: { gpuName: 'RTX 4090', maxDph: 0.6 },
        same4090: { gpuName: 'RTX_4090', maxDph: 0.6 },
        h100: { gpuName: 'H100 SXM', numGpus: 8 },
        broken: { minReliability: 5 },
      }),
    );
    assert.ok(outcomes.cheap4090.result && outcomes.h100.result);
    assert.equal(outcomes.same4090.result!.offers, outcomes.cheap4090.result!.offers, 'identical queries share one request');
    assert.ok(outcomes.cheap4090.result.offers.every((o) => o.gpu_name === 'RTX 4090' && o.dph_total <= 0.6));
    assert.ok(outcomes.h100.result.offers.every((o) => o.gpu_name === 'H100 SXM' && o.num_gpus === 8));
    assert.ok(isVastApiError(outcomes.broken.error, 'invalid-input'));
    assert.equal(searches(), 2);
    const [a, b] = h.sim.log.entries({ endpoint: 'search' }).map((e) => e.at);
    assert.equal(b - a, 6050, 'spaced by the search interval plus the jitter margin');
  });
});
