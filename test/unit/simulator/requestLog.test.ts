import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';

describe('simulator: request log and secrecy', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ instances: 3, rateLimits: { enabled: true } });
  });
  afterEach(() => h.close());

  it('records each request when answered: clock time, method, path, endpoint, status, key label', async () => {
    const start = h.clock.now();
    await h.call('GET', '/api/v1/instances/?limit=%205');
    await h.clock.advance(1_500);
    await h.call('POST', '/api/v0/bundles/', { body: { limit: 1 } });
    await h.call('GET', '/api/v0/users/current/');
    await h.call('GET', '/api/v0/users/current/');
    await h.call('GET', '/favicon.ico', { key: null });
    assert.deepEqual(h.sim.log.entries(), [
      { at: start, method: 'GET', path: '/api/v1/instances/', endpoint: 'instances', status: 200, keyId: 'key1' },
      { at: start + 1_500, method: 'POST', path: '/api/v0/bundles/', endpoint: 'search', status: 200, keyId: 'key1' },
      { at: start + 1_500, method: 'GET', path: '/api/v0/users/current/', endpoint: 'user', status: 200, keyId: 'key1' },
      { at: start + 1_500, method: 'GET', path: '/api/v0/users/current/', endpoint: 'user', status: 429, keyId: 'key1', limited: 'interval' },
      { at: start + 1_500, method: 'GET', path: '/favicon.ico', status: 404 },
    ]);
  });

  it('filters, counts, notifies and clears', async () => {
    const seen: string[] = [];
    const unsubscribe = h.sim.log.onEntry((entry) => seen.push(`${entry.method} ${entry.status}`));
    await h.call('GET', '/api/v0/users/current/');
    await h.call('GET', '/api/v0/users/current/');
    unsubscribe();
    await h.call('GET', '/api/v1/instances/');
    assert.deepEqual(seen, ['GET 200', 'GET 429']);
    assert.equal(h.sim.log.count({ endpoint: 'user' }), 2);
    assert.equal(h.sim.log.count({ status: 429 }), 1);
    assert.equal(h.sim.log.count((entry) => entry.status < 300), 2);
    assert.equal(h.sim.log.last()!.endpoint, 'instances');
    h.sim.log.clear();
    assert.equal(h.sim.log.count(), 0);
  });

  it('never exposes the key: not in the log, headers or error bodies', async () => {
    const key = h.sim.apiKey;
    const replies = [
      await h.call('GET', `/api/v0/users/current/?api_key=${key}`, { key: null }),
      await h.call('GET', '/api/v0/users/current/'),
      await h.call('GET', `/api/v0/nope/?api_key=${key}`),
      await h.call('GET', `/api/v1/instances/?order_by=bad&api_key=${key}`),
      await h.call('PUT', `/api/v0/asks/1/?api_key=${key}`, { body: { image: 'x', disk: 10 } }),
      await h.call('GET', '/api/v0/users/current/', { key: `${key}x` }),
    ];
    const { id } = h.sim.instances.list()[0];
    const logs = await h.call('PUT', `/api/v0/instances/request_logs/${id}/`);
    await h.clock.advance(5_000);
    replies.push(logs, await h.call('GET', logs.json.result_url.slice(h.sim.url.length), { key: null }));
    for (const reply of replies) {
      assert.ok(!reply.text.includes(key), reply.text.slice(0, 80));
      (reply.headers as unknown as Headers).forEach((value) => assert.ok(!value.includes(key)));
    }
    assert.ok(!JSON.stringify(h.sim.log.entries()).includes(key));
    assert.ok(!JSON.stringify(h.sim.log.entries()).includes('api_key'));
  });
});
