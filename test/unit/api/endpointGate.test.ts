import assert from 'node:assert/strict';
import { EndpointGate } from '../../../src/api/endpointGate';
import { isVastApiError } from '../../../src/api/errors';
import { VirtualClock } from '../../support/virtualClock';

describe('EndpointGate (p-throttle spacing, cooldowns, learned intervals)', () => {
  let clock: VirtualClock;
  let start: number;

  beforeEach(() => {
    clock = new VirtualClock();
    start = clock.now();
  });
  afterEach(() => clock.uninstall());

  function gate(intervalMs = 1000, maxWaitMs = 60_000) {
    return new EndpointGate('instance', { ms: intervalMs, source: 'published' }, clock, maxWaitMs, () => undefined);
  }

  /** Acquires and releases at once, recording when each request was let through. */
  function send(g: EndpointGate, log: Array<[string, number]>, name: string, options = {}) {
    return g.acquire(options).then((release) => {
      log.push([name, clock.now() - start]);
      release();
    });
  }

  it('spaces requests by the interval', async () => {
    const g = gate(2000);
    const log: Array<[string, number]> = [];
    await clock.run(Promise.all(['a', 'b', 'c', 'd'].map((n) => send(g, log, n))));
    assert.deepEqual(log, [['a', 0], ['b', 2000], ['c', 4000], ['d', 6000]]);
  });

  it('holds every queued request during a cooldown, and keeps them spaced after it', async () => {
    const g = gate(1000);
    const log: Array<[string, number]> = [];
    const first = send(g, log, 'a');
    const rest = ['b', 'c', 'd'].map((n) => send(g, log, n));
    await clock.run(first);
    g.coolDown(5000, 'test');
    await clock.run(Promise.all(rest));
    assert.deepEqual(log, [['a', 0], ['b', 5000], ['c', 6000], ['d', 7000]]);
  });

  it('lets a retry jump the queue', async () => {
    const g = gate(1000);
    const log: Array<[string, number]> = [];
    const a = send(g, log, 'a');
    const b = send(g, log, 'b');
    await clock.run(a);
    const retry = send(g, log, 'retry', { front: true });
    await clock.run(Promise.all([b, retry]));
    assert.deepEqual(log.map(([n]) => n), ['a', 'retry', 'b']);
  });

  it('raises the interval it learned, for requests already queued too, and never lowers it', async () => {
    const g = gate(1000);
    const log: Array<[string, number]> = [];
    const all = ['a', 'b', 'c'].map((n) => send(g, log, n));
    await clock.advance(0);
    g.learnInterval(3000);
    g.learnInterval(500);
    await clock.run(Promise.all(all));
    assert.equal(g.state().intervalMs, 3000);
    assert.equal(g.state().intervalSource, 'learned');
    assert.deepEqual(log, [['a', 0], ['b', 3000], ['c', 6000]]);
  });

  it('cancels one queued request without disturbing the others', async () => {
    const g = gate(1000);
    const log: Array<[string, number]> = [];
    const controller = new AbortController();
    const a = send(g, log, 'a');
    const b = send(g, log, 'b', { signal: controller.signal });
    const c = send(g, log, 'c');
    controller.abort(new Error('user cancelled'));
    await assert.rejects(b, /user cancelled/);
    await clock.run(Promise.all([a, c]));
    assert.deepEqual(log, [['a', 0], ['c', 1000]]);
    assert.equal(g.state().queued, 0);
  });

  it('fails fast, saying when to resume, when a wait is longer than the cap', async () => {
    const g = gate(1000, 60_000);
    const log: Array<[string, number]> = [];
    await clock.run(send(g, log, 'a'));
    const queued = send(g, log, 'queued');
    g.coolDown(3 * 3600_000, 'search quota');
    await assert.rejects(queued, (e: unknown) => isVastApiError(e, 'rate-limited') && /try again in 3 h/.test(e.message) && e.resumeAt === start + 3 * 3600_000);
    await assert.rejects(g.acquire(), (e: unknown) => isVastApiError(e, 'rate-limited'));
    assert.deepEqual(log.map(([n]) => n), ['a']);
  });

  it('fails fast during a cooldown for callers that have a cached answer', async () => {
    const g = gate(1000);
    g.coolDown(5000, 'threshold=1');
    await assert.rejects(g.acquire({ failFastWhileCooling: true }), (e: unknown) => isVastApiError(e, 'rate-limited'));
  });

  it('reports queue, in-flight, cooldown and recent 429s', async () => {
    const g = gate(1000);
    const release = await clock.run(g.acquire());
    const queued = g.acquire();
    g.noteRateLimited();
    g.coolDown(4000, 'threshold=1');
    let state = g.state();
    assert.equal(state.inFlight, 1);
    assert.equal(state.queued, 1);
    assert.equal(state.cooldownUntil, start + 4000);
    assert.equal(state.rateLimitedRecent, 1);
    release();
    (await clock.run(queued))();
    await clock.advance(11 * 60_000);
    state = g.state();
    assert.equal(state.inFlight, 0);
    assert.equal(state.cooldownUntil, undefined);
    assert.equal(state.rateLimitedRecent, 0, '429s older than ten minutes drop out of the recent count');
    assert.equal(state.rateLimitedTotal, 1);
  });
});
