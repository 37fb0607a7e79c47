import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

/** Gaps between consecutive accepted requests of one endpoint at the server. */
function acceptedGaps(h: ClientHarness, endpoint: string): number[] {
  const times = h.serverLog().filter(([, e, status]) => e === endpoint && status === 200).map(([t]) => t);
  return times.slice(1).map((t, i) => t - times[i]);
}

function count429(h: ClientHarness, endpoint?: string): number {
  return h.serverLog().filter(([, e, status]) => status === 429 && (endpoint === undefined || e === endpoint)).length;
}

describe('client rate limiting over real HTTP (simulator in Vast mode)', () => {
  let h: ClientHarness;
  afterEach(async () => h?.close());

  it('spaces requests to one endpoint by its interval, with no 429', async () => {
    h = await startClientHarness({ simulator: { instances: 3 } });
    const ids = [...h.sim.instances.list()].map((i) => i.id);
    await h.run(Promise.all([...ids, ...ids].map((id) => h.client.showInstance(id))));
    // The interval plus the client's 50 ms margin for arrival jitter.
    assert.deepEqual(acceptedGaps(h, 'instance'), [2050, 2050, 2050, 2050, 2050]);
    assert.equal(count429(h), 0);
  });

  it('gives every endpoint class its own gate', async () => {
    h = await startClientHarness({ simulator: { instances: 1 } });
    await h.run(Promise.all([h.client.searchOffers({}), h.client.listInstances(), h.client.currentUser()]));
    const starts = h.serverLog().map(([t]) => t);
    assert.deepEqual(starts, [0, 0, 0], 'no endpoint waits for another');
  });

  it('learns the interval from threshold= with a single 429, then stays spaced', async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { intervalsMs: { instance: 500 } } });
    const id = h.sim.instances.list()[0].id;
    const results = await h.run(Promise.all(Array.from({ length: 6 }, () => h.client.showInstance(id))));
    assert.ok(results.every((r) => r?.id === id));
    assert.equal(count429(h, 'instance'), 1, 'only the 429 that teaches the interval');
    const state = h.client.rateLimits.get('instance').state();
    assert.equal(state.intervalSource, 'learned');
    assert.equal(state.intervalMs, 2100, 'threshold=2.0 plus a 5% margin');
    assert.ok(acceptedGaps(h, 'instance').every((gap) => gap >= 2000));
  });

  it('holds back every queued request during a 429 wait: nothing is sent while cooling down', async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { intervalsMs: { instance: 100 } } });
    const id = h.sim.instances.list()[0].id;
    await h.run(Promise.all(Array.from({ length: 5 }, () => h.client.showInstance(id))));
    const log = h.serverLog().filter(([, e]) => e === 'instance');
    const refusedAt = log.find(([, , s]) => s === 429)![0];
    const waitEvents = h.events.filter((e) => e.type === 'wait');
    assert.equal(waitEvents.length, 1);
    const cooldownEnd = refusedAt + (waitEvents[0] as { waitMs: number }).waitMs;
    const sentDuringCooldown = log.filter(([t]) => t > refusedAt && t < cooldownEnd);
    assert.deepEqual(sentDuringCooldown, []);
    assert.equal(count429(h), 1);
  });

  it('honours Retry-After in seconds', async () => {
    h = await startClientHarness({
      simulator: { instances: 1, rateLimits: { retryAfter: 'seconds', intervalsMs: { instance: 5000 } } },
      client: { intervalsMs: { instance: 100 } },
    });
    const id = h.sim.instances.list()[0].id;
    await h.run(Promise.all([h.client.showInstance(id), h.client.showInstance(id)]));
    const log = h.serverLog();
    assert.deepEqual(log.map(([, , s]) => s), [200, 429, 200]);
    // 4.9 s remain; the header carries whole seconds, rounded up. The body's threshold=5.0 is learned
    // too (5.25 s with the 5% margin, plus the 50 ms spacing margin, from the refused send): the later wins.
    assert.equal(log[2][0] - log[1][0], 5300, 'the second request waits what the server asked for, and the interval it taught');
    assert.equal(h.client.rateLimits.get('instance').state().intervalMs, 5250);
    assert.deepEqual(h.events.filter((e) => e.type === 'wait').map((e) => (e as { reason: string }).reason), ['Retry-After 5 s']);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    h = await startClientHarness({
      simulator: { instances: 1, rateLimits: { retryAfter: 'http-date', intervalsMs: { instance: 5000 } } },
      client: { intervalsMs: { instance: 100 } },
    });
    const id = h.sim.instances.list()[0].id;
    await h.run(Promise.all([h.client.showInstance(id), h.client.showInstance(id)]));
    const log = h.serverLog();
    assert.deepEqual(log.map(([, , s]) => s), [200, 429, 200]);
    assert.ok(log[2][0] >= 5000 && log[2][0] <= 6000, `resent at ${log[2][0]} ms, on the date the server gave`);
  });

  it('waits out the create penalty instead of earning another one', async () => {
    h = await startClientHarness({ client: { intervalsMs: { create: 1000 } } });
    const [a, b] = h.sim.offers.all().filter((o) => o.rentable && !o.rented);
    await h.run(Promise.all([a, b].map((offer) => h.client.createInstance(offer.id, { image: 'pytorch/pytorch' }))));
    assert.equal(count429(h, 'create'), 1, 'the 12 s penalty is waited out in one go');
    assert.equal(h.sim.instances.size, 2);
  });

  it('gives up after the retry cap with a clear error', async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { maxRetries: 3 } });
    h.sim.limits.storm(3600_000);
    const id = h.sim.instances.list()[0].id;
    await assert.rejects(h.run(h.client.showInstance(id)), (e: unknown) => {
      return isVastApiError(e, 'rate-limited') && /gave up after 4 attempts/.test(e.message) && e.attempts === 4;
    });
    assert.equal(count429(h), 4);
  });

  it('does not sleep a quota wait of hours: fails fast saying when to resume, and sends nothing more', async () => {
    h = await startClientHarness();
    h.sim.limits.exhaustSearchQuota(3 * 3600_000);
    await assert.rejects(h.run(h.client.searchOffers({ gpuName: 'RTX 4090' })), (e: unknown) => {
      return isVastApiError(e, 'rate-limited') && /try again in 3 h/.test(e.message) && e.resumeAt === h.clock.now() + 3 * 3600_000;
    });
    await assert.rejects(h.run(h.client.searchOffers({ gpuName: 'RTX 3090' })), (e: unknown) => isVastApiError(e, 'rate-limited'));
    assert.equal(h.sim.log.count({ endpoint: 'search' }), 1, 'the second search never left the client');
    assert.ok(h.elapsed() < 1000, 'nothing was slept');
  });

  it('with probabilistic enforcement at the edge, learns once and stays clear', async () => {
    h = await startClientHarness({
      simulator: { instances: 1, rateLimits: { enforcement: 'probabilistic' } },
      client: { intervalsMs: { instance: 1500 } },
    });
    const id = h.sim.instances.list()[0].id;
    await h.run(Promise.all(Array.from({ length: 20 }, () => h.client.showInstance(id))));
    assert.ok(count429(h) <= 1, `${count429(h)} 429s`);
    assert.equal(h.sim.log.count({ endpoint: 'instance', status: 200 }), 20);
  });

  it('30 distinct searches at once all succeed, spaced by the search interval, with at most one 429', async () => {
    h = await startClientHarness();
    const queries = Array.from({ length: 30 }, (_, i) => ({ maxDph: 0.2 + i * 0.05 }));
    const results = await h.run(Promise.all(queries.map((q) => h.client.searchOffers(q))));
    assert.equal(results.length, 30);
    assert.ok(results.every((r) => r.source === 'network'));
    assert.ok(count429(h, 'search') <= 1);
    assert.ok(acceptedGaps(h, 'search').every((gap) => gap >= 6000));
  });
});
