import assert from 'node:assert/strict';
import { DEFAULT_AIMD, learnedExpired, loweredInterval, raisedInterval } from '../../../src/api/aimd';
import { EndpointGate } from '../../../src/api/endpointGate';
import { isVastApiError } from '../../../src/api/errors';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { VirtualClock } from '../../support/virtualClock';

/** Thirty distinct searches at once (distinct, so the cache answers none). */
function burst(h: ClientHarness, count = 30) {
  return Promise.allSettled(Array.from({ length: count }, (_, i) => h.client.searchOffers({ maxDph: 1 + i / 100 })));
}

function statuses(h: ClientHarness, endpoint: string): number[] {
  return h.serverLog().filter(([, e]) => e === endpoint).map(([, , s]) => s);
}

describe('learning from every 429 (AIMD when there is no threshold=)', () => {
  describe('the policy', () => {
    it('raises x1.5 per 429, capped, and from 0 starts at 1 s (or the published figure if smaller)', () => {
      assert.equal(raisedInterval(1000, 6000), 1500);
      assert.equal(raisedInterval(6000, 6000), 9000);
      assert.equal(raisedInterval(0, 6000), 1000);
      assert.equal(raisedInterval(0, 500), 500);
      assert.equal(raisedInterval(10, 2000), 1000);
      assert.equal(raisedInterval(50_000, 1000), DEFAULT_AIMD.capMs);
    });

    it('steps down additively, never below the floor', () => {
      assert.equal(loweredInterval(9000, 6000, 6000), 8700);
      assert.equal(loweredInterval(6100, 6000, 6000), 6000);
      assert.equal(loweredInterval(120, 100, 1000), 100, 'a 50 ms step');
    });

    it('forgets after a day without a 429', () => {
      assert.equal(learnedExpired(0, DEFAULT_AIMD.forgetAfterMs - 1), false);
      assert.equal(learnedExpired(0, DEFAULT_AIMD.forgetAfterMs), true);
    });
  });

  describe('on a gate (injected clock)', () => {
    let clock: VirtualClock;
    let start: number;
    beforeEach(() => {
      clock = new VirtualClock();
      start = clock.now();
    });
    afterEach(() => clock.uninstall());

    function gate(ms: number, source: 'published' | 'configured' = 'configured') {
      return new EndpointGate('instance', { ms, source }, clock, 60_000, () => undefined);
    }

    async function sendAll(g: EndpointGate, count: number): Promise<number[]> {
      const at: number[] = [];
      await clock.run(
        Promise.all(
          Array.from({ length: count }, () =>
            g.acquire().then((release) => {
              at.push(clock.now() - start);
              release();
            }),
          ),
        ),
      );
      return at;
    }

    /** The send numbers of `count` requests let through (what the transport hands back on a 429). */
    async function sendSequences(g: EndpointGate, count: number): Promise<number[]> {
      return clock.run(
        Promise.all(
          Array.from({ length: count }, () =>
            g.acquire().then((release) => {
              release();
              return release.sequence;
            }),
          ),
        ),
      );
    }

    it('raises on a 429, once per round of requests sent before the raise, and steps down after 20 clean answers', async () => {
      const g = gate(1000);
      const [first, second] = await sendSequences(g, 2);
      g.backOff(first);
      assert.deepEqual([g.state().intervalMs, g.state().intervalSource], [1500, 'learned']);
      g.backOff(second); // a 429 for a request sent before the raise: nothing new
      assert.equal(g.state().intervalMs, 1500);
      const [third] = await sendSequences(g, 1);
      g.backOff(third);
      assert.equal(g.state().intervalMs, 2250);
      for (let i = 0; i < 19; i++) g.noteSuccess();
      assert.equal(g.state().intervalMs, 2250, 'not before the run is complete');
      g.noteSuccess();
      assert.equal(g.state().intervalMs, 2150, 'one 100 ms step (5% of the published 2 s)');
      for (let i = 0; i < 20 * 40; i++) g.noteSuccess();
      assert.deepEqual([g.state().intervalMs, g.state().intervalSource], [1000, 'configured'], 'down to the configured floor, no lower');
    });

    it('AIMD steps down no lower than an interval a threshold= taught', async () => {
      const g = gate(1000);
      g.learnInterval(2100);
      const [sent] = await sendSequences(g, 1);
      g.backOff(sent);
      assert.equal(g.state().intervalMs, 3150);
      for (let i = 0; i < 20 * 40; i++) g.noteSuccess();
      assert.deepEqual([g.state().intervalMs, g.state().intervalSource], [2100, 'learned']);
    });

    it('a threshold= interval is not stepped down (the server said so), but is forgotten after a day without a 429', async () => {
      const g = gate(1000);
      g.learnInterval(2100);
      for (let i = 0; i < 100; i++) g.noteSuccess();
      assert.equal(g.state().intervalMs, 2100);
      await clock.advance(DEFAULT_AIMD.forgetAfterMs - 1000);
      assert.equal(g.state().intervalMs, 2100);
      await clock.advance(1000);
      assert.deepEqual([g.state().intervalMs, g.state().intervalSource], [1000, 'configured']);
    });

    it('after a cooldown the queue leaves one by one at the interval in force, never as a herd', async () => {
      const g = gate(500);
      const [sent] = await sendSequences(g, 1);
      g.backOff(sent); // 429: interval 500 -> 1000
      g.coolDown(5000, 'test');
      const at = await sendAll(g, 5);
      assert.deepEqual(at, [5000, 6000, 7000, 8000, 9000]);
    });

    it('an interval configured as 0 still backs off after a 429: no herd after the cooldown', async () => {
      const g = gate(0);
      const sent = await sendSequences(g, 3);
      assert.deepEqual(await sendAll(g, 3), [0, 0, 0], 'limits off: no spacing');
      for (const sequence of sent) g.backOff(sequence); // three 429s for one round: one raise
      g.coolDown(5000, 'test');
      const at = await sendAll(g, 4);
      assert.deepEqual(at, [5000, 6000, 7000, 8000], 'spaced at 1 s');
    });
  });

  describe('over real HTTP (Retry-After-only and bare 429s)', () => {
    let h: ClientHarness;
    afterEach(async () => h?.close());

    it('a server whose limit is twice the configured interval, answering Retry-After: 1 only: 30 searches, at most 3 429s, near the ideal time', async () => {
      h = await startClientHarness({
        simulator: { rateLimits: { intervalsMs: { search: 2000 }, retryAfter: 1, body: 'bare' } },
        client: { intervalsMs: { search: 1000 } },
      });
      const results = await h.run(burst(h));
      assert.ok(results.every((r) => r.status === 'fulfilled'));
      const refused = statuses(h, 'search').filter((s) => s === 429).length;
      assert.ok(refused <= 3, `${refused} 429s`);
      const ideal = 29 * 2000;
      const took = Math.max(...h.serverLog().map(([t]) => t));
      assert.ok(took <= 1.2 * ideal, `took ${took} ms, ideal ${ideal} ms`);
      assert.equal(h.client.rateLimits.get('search').state().intervalSource, 'learned');
    });

    it('intervals configured as 0: every search still succeeds, with few 429s (no herd after each cooldown)', async () => {
      h = await startClientHarness({
        simulator: { rateLimits: { intervalsMs: { search: 2000 }, retryAfter: 1, body: 'bare' } },
        client: { intervalsMs: { search: 0 } },
      });
      const results = await h.run(burst(h));
      assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
      // All 30 leave at once (limits off) and 29 are refused: that first round is the price of
      // configuring 0. After it, the queue leaves spaced, and the interval finds the limit.
      const log = statuses(h, 'search');
      const afterFirstRound = log.slice(30).filter((s) => s === 429).length;
      assert.ok(afterFirstRound <= 3, `${afterFirstRound} 429s after the first round`);
    });

    it('a bare text 429 with no Retry-After raises the interval too', async () => {
      h = await startClientHarness({
        simulator: { instances: 1, rateLimits: { intervalsMs: { instance: 3000 }, body: 'bare' } },
        client: { intervalsMs: { instance: 1000 } },
      });
      const id = h.sim.instances.list()[0].id;
      const results = await h.run(Promise.allSettled(Array.from({ length: 10 }, () => h.client.showInstance(id))));
      assert.ok(results.every((r) => r.status === 'fulfilled'), JSON.stringify(results.filter((r) => r.status === 'rejected').map((r) => isVastApiError((r as PromiseRejectedResult).reason) && (r as PromiseRejectedResult).reason.message)));
      assert.ok(h.client.rateLimits.get('instance').state().intervalMs >= 3000);
      assert.ok(statuses(h, 'instance').filter((s) => s === 429).length <= 3);
    });
  });
});
