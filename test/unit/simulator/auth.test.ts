import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';

describe('simulator: auth and routing', () => {
  let h: Harness;
  const readOnly = 'sim-readonly-key-0123456789';

  beforeEach(async () => {
    h = await startHarness({ readOnlyKeys: [readOnly], rateLimits: { enabled: true } });
  });
  afterEach(() => h.close());

  it('derives a default key from the seed', () => {
    assert.match(h.sim.apiKey, /^sim-[0-9a-f]{40}$/);
  });

  it('answers 401 auth_error for a missing or wrong key, before rate limiting', async () => {
    for (const key of [null, 'not-a-key']) {
      for (let i = 0; i < 3; i++) {
        const reply = await h.call('GET', '/api/v0/users/current/', { key });
        assert.equal(reply.status, 401);
        assert.deepEqual(reply.json, { success: false, error: 'auth_error', msg: 'Invalid user key' });
      }
    }
    // The failures did not use up the real key's slot.
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 200);
    assert.deepEqual(h.sim.log.entries().map((e) => e.keyId), [undefined, undefined, undefined, 'invalid', 'invalid', 'invalid', 'key1']);
  });

  it('accepts the legacy ?api_key= parameter and several keys', async () => {
    await h.close();
    h = await startHarness({ apiKeys: ['first-key-abc', 'second-key-def'] });
    assert.equal(h.sim.apiKey, 'first-key-abc');
    assert.equal((await h.call('GET', '/api/v0/users/current/?api_key=second-key-def', { key: null })).status, 200);
    assert.equal(h.sim.log.last()!.keyId, 'key2');
    assert.equal(h.sim.log.last()!.path, '/api/v0/users/current/');
  });

  it('a read-only key reads but gets 403 forbidden on writes', async () => {
    assert.equal((await h.call('GET', '/api/v1/instances/', { key: readOnly })).status, 200);
    const { id } = h.sim.instances.add();
    const writes: Array<[string, string, unknown]> = [
      ['PUT', `/api/v0/asks/${h.sim.offers.all()[0].id}/`, { image: 'x', disk: 10 }],
      ['PUT', `/api/v0/instances/${id}/`, { state: 'stopped' }],
      ['PUT', `/api/v0/instances/reboot/${id}/`, {}],
      ['DELETE', `/api/v0/instances/${id}/`, {}],
    ];
    for (const [method, path, body] of writes) {
      const reply = await h.call(method, path, { key: readOnly, body });
      assert.equal(reply.status, 403, path);
      assert.equal(reply.json.success, false);
      assert.equal(reply.json.error, 'forbidden');
    }
    assert.equal(h.sim.instances.has(id), true);
    assert.equal(h.sim.log.last()!.keyId, 'ro1');
  });

  it('unknown paths are 404 JSON, wrong methods 405 with Allow, neither needs a key', async () => {
    const missing = await h.call('GET', '/api/v0/nope/', { key: null });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/json');
    assert.equal(missing.json.success, false);
    const wrong = await h.call('POST', '/api/v0/instances/12/', { key: null, body: {} });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, PUT, DELETE');
  });

  it('sets the Date header from the simulator clock', async () => {
    await h.clock.advance(90_000);
    const reply = await h.call('GET', '/api/v0/users/current/');
    assert.equal(reply.headers.get('date'), new Date(h.clock.now()).toUTCString());
    assert.equal(reply.headers.get('date'), 'Thu, 01 Jan 2026 12:01:30 GMT');
  });
});
