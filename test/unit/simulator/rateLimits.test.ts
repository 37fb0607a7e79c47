import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';

describe('simulator: rate limits (Vast’s way)', () => {
  let h: Harness;
  const user = (key?: string) => h.call('GET', '/api/v0/users/current/', { key });
  const instance = () => h.call('GET', '/api/v0/instances/1/');

  afterEach(() => h.close());

  describe('minimum interval per key and class', () => {
    beforeEach(async () => {
      h = await startHarness({ rateLimits: { enabled: true } });
    });

    it('answers 429 text/plain with threshold and no Retry-After when too early', async () => {
      assert.equal((await instance()).status, 200);
      const early = await instance();
      assert.equal(early.status, 429);
      assert.equal(early.text, 'API requests too frequent endpoint threshold=2.0');
      assert.equal(early.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(early.headers.get('retry-after'), null);
      await h.clock.advance(1_999);
      assert.equal((await instance()).status, 429);
      await h.clock.advance(1);
      assert.equal((await instance()).status, 200, 'measured from the last accepted request');
    });

    it('limits each endpoint class and each key separately', async () => {
      await h.close();
      h = await startHarness({ apiKeys: ['key-a', 'key-b'], rateLimits: { enabled: true } });
      assert.equal((await user('key-a')).status, 200);
      assert.equal((await user('key-b')).status, 200);
      assert.equal((await h.call('GET', '/api/v1/instances/', { key: 'key-a' })).status, 200);
      assert.equal((await user('key-a')).status, 429);
      assert.deepEqual(h.sim.log.entries().map((e) => [e.keyId, e.endpoint, e.status, e.limited]), [
        ['key1', 'user', 200, undefined],
        ['key2', 'user', 200, undefined],
        ['key1', 'instances', 200, undefined],
        ['key1', 'user', 429, 'interval'],
      ]);
    });

    it('uses the published intervals by default and lets tests change them at run time', async () => {
      assert.equal(h.sim.limits.settings.intervalsMs.search, 6_000);
      assert.equal(h.sim.limits.settings.intervalsMs.create, 4_500);
      h.sim.limits.set({ intervalsMs: { user: 10_000 } });
      assert.equal(h.sim.limits.settings.intervalsMs.instance, 2_000, 'other classes untouched');
      await user();
      await h.clock.advance(9_000);
      assert.equal((await user()).text, 'API requests too frequent endpoint threshold=10.0');
      assert.equal(h.sim.limits.allowedAt('user'), h.clock.now() + 1_000);
      h.sim.limits.set({ enabled: false });
      assert.equal((await user()).status, 200);
    });
  });

  describe('body styles and Retry-After', () => {
    it('json-detail and json-error bodies', async () => {
      h = await startHarness({ rateLimits: { enabled: true, body: 'json-detail' } });
      await user();
      const detail = await user();
      assert.equal(detail.status, 429);
      assert.equal(detail.headers.get('content-type'), 'application/json');
      assert.deepEqual(detail.json, { detail: 'API requests too frequent endpoint threshold=1.0' });
      h.sim.limits.set({ body: 'json-error' });
      const { id } = h.sim.instances.add();
      const { id: other } = h.sim.instances.add();
      await h.call('DELETE', `/api/v0/instances/${id}/`);
      const error = await h.call('DELETE', `/api/v0/instances/${other}/`);
      assert.deepEqual(error.json, { success: false, error: 'rate_limit_exceeded', msg: 'API requests too frequent endpoint threshold=3.0' });
      assert.equal(h.sim.instances.has(other), true, 'a 429 is not processed');
    });

    it('Retry-After in seconds (rounded up) or as an HTTP-date from the clock', async () => {
      h = await startHarness({ rateLimits: { enabled: true, retryAfter: 'seconds' } });
      await instance();
      await h.clock.advance(500);
      assert.equal((await instance()).headers.get('retry-after'), '2');
      h.sim.limits.set({ retryAfter: 'http-date' });
      const dated = await instance();
      const allowedAt = h.clock.now() + 1_500;
      assert.equal(dated.headers.get('retry-after'), new Date(Math.ceil(allowedAt / 1000) * 1000).toUTCString());
    });
  });

  describe('penalty', () => {
    it('a create 429 locks the class for 12 s although the body says threshold=4.5', async () => {
      h = await startHarness({ rateLimits: { enabled: true } });
      const offers = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 5 });
      const create = (i: number) => h.call('PUT', `/api/v0/asks/${offers[i].id}/`, { body: { image: 'x', disk: 10 } });
      assert.equal((await create(0)).status, 200);
      await h.clock.advance(1_000);
      const refused = await create(1);
      assert.equal(refused.status, 429);
      assert.equal(refused.text, 'API requests too frequent endpoint threshold=4.5');
      // Waiting exactly the threshold is not enough: the penalty runs 12 s from the 429.
      await h.clock.advance(4_500);
      const trapped = await create(1);
      assert.equal(trapped.status, 429);
      assert.equal(h.sim.log.last()!.limited, 'penalty');
      await h.clock.advance(12_000);
      assert.equal((await create(1)).status, 200);
      assert.equal(h.sim.instances.size, 2);
    });
  });

  describe('probabilistic enforcement', () => {
    it('rejects a too-early request with probability 1 - gap/interval, deterministically per seed', async () => {
      const rejectionRate = async (gapMs: number, seed: number) => {
        h = await startHarness({ seed, rateLimits: { enabled: true, enforcement: 'probabilistic', intervalsMs: { user: 1_000 } } });
        let rejected = 0;
        let last = h.clock.now();
        for (let i = 0; i < 100; i++) {
          const reply = await user();
          if (reply.status === 429) rejected++;
          else last = h.clock.now();
          // Keep the gap to the last accepted request at gapMs.
          await h.clock.advance(last + gapMs - h.clock.now());
        }
        await h.close();
        return rejected;
      };
      const slightlyEarly = await rejectionRate(900, 1);
      const veryEarly = await rejectionRate(100, 1);
      assert.ok(slightlyEarly <= 25, `900 ms gap rejected ${slightlyEarly}`);
      assert.ok(veryEarly >= 40, `100 ms gap rejected ${veryEarly}`);
      assert.equal(await rejectionRate(900, 1), slightlyEarly, 'same seed, same outcome');
      h = await startHarness();
    });
  });

  describe('search quota and storm', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('an exhausted search quota answers 429 search_quota_exceeded with Retry-After until it passes', async () => {
      h.sim.limits.exhaustSearchQuota(3 * 3_600_000);
      const refused = await h.call('POST', '/api/v0/bundles/', { body: {} });
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error, 'search_quota_exceeded');
      assert.equal(refused.json.success, false);
      assert.equal(refused.headers.get('retry-after'), '10800');
      assert.equal((await user()).status, 200, 'other endpoints are unaffected');
      await h.clock.advance(3_600_000);
      assert.equal((await h.call('POST', '/api/v0/bundles/', { body: {} })).headers.get('retry-after'), '7200');
      await h.clock.advance(2 * 3_600_000);
      assert.equal((await h.call('POST', '/api/v0/bundles/', { body: {} })).status, 200);
      h.sim.limits.exhaustSearchQuota(60_000);
      h.sim.limits.reset();
      assert.equal((await h.call('POST', '/api/v0/bundles/', { body: {} })).status, 200);
    });

    it('a storm answers 429 to every API request for its duration, even with limits disabled', async () => {
      h.sim.limits.storm(30_000);
      for (const path of ['/api/v0/users/current/', '/api/v1/instances/', '/api/v0/instances/1/']) {
        const reply = await h.call('GET', path);
        assert.equal(reply.status, 429);
        assert.match(reply.text, /^API requests too frequent endpoint threshold=\d+\.\d$/);
      }
      assert.equal(h.sim.log.count({ limited: 'storm' }), 3);
      await h.clock.advance(30_000);
      assert.equal((await user()).status, 200);
    });
  });
});
