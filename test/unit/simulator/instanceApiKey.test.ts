import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';

describe('simulator: instance API keys (CONTAINER_API_KEY)', () => {
  let h: Harness;
  let mine: { id: number; key: string };
  let other: number;

  beforeEach(async () => {
    h = await startHarness({ lifecycle: { failureRate: 0, reactMs: 1000 } });
    const offers = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 2 });
    const a = (await h.call('PUT', `/api/v0/asks/${offers[0].id}/`, { body: { image: 'img' } })).json;
    const b = (await h.call('PUT', `/api/v0/asks/${offers[1].id}/`, { body: { image: 'img' } })).json;
    mine = { id: a.new_contract, key: a.instance_api_key };
    other = b.new_contract;
  });
  afterEach(() => h.close());

  it('may stop and start its own instance', async () => {
    const stop = await h.call('PUT', `/api/v0/instances/${mine.id}/`, { key: mine.key, body: { state: 'stopped' } });
    assert.equal(stop.status, 200);
    assert.equal(h.sim.instances.get(mine.id)!.intended_status, 'stopped');
    const start = await h.call('PUT', `/api/v0/instances/${mine.id}/`, { key: mine.key, body: { state: 'running' } });
    assert.equal(start.status, 200);
    assert.equal(h.sim.log.entries().at(-1)!.keyId, `instance${mine.id}`);
  });

  it('may destroy its own instance, after which the key no longer works', async () => {
    assert.equal((await h.call('DELETE', `/api/v0/instances/${mine.id}/`, { key: mine.key, body: {} })).status, 200);
    assert.equal(h.sim.instances.has(mine.id), false);
    assert.equal((await h.call('PUT', `/api/v0/instances/${mine.id}/`, { key: mine.key, body: { state: 'stopped' } })).status, 401);
  });

  it('may not touch another instance, relabel its own, or read anything', async () => {
    const refusals = [
      await h.call('PUT', `/api/v0/instances/${other}/`, { key: mine.key, body: { state: 'stopped' } }),
      await h.call('DELETE', `/api/v0/instances/${other}/`, { key: mine.key, body: {} }),
      await h.call('PUT', `/api/v0/instances/${mine.id}/`, { key: mine.key, body: { label: 'x' } }),
      await h.call('PUT', `/api/v0/instances/reboot/${mine.id}/`, { key: mine.key, body: {} }),
      await h.call('GET', '/api/v1/instances/', { key: mine.key }),
      await h.call('GET', '/api/v0/users/current/', { key: mine.key }),
      await h.call('GET', '/api/v0/ssh/', { key: mine.key }),
    ];
    assert.deepEqual(refusals.map((r) => r.status), [403, 403, 403, 403, 403, 403, 403]);
    assert.equal(h.sim.instances.get(other)!.intended_status, 'running');
    assert.equal(h.sim.instances.has(other), true);
  });
});
