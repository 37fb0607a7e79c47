import assert from 'node:assert/strict';
import type { Offer } from '../../../src/vast/types';
import { startHarness, type Harness } from './harness';

describe('simulator: instance actions', () => {
  let h: Harness;
  let offer: Offer;

  const create = (body: unknown, offerId = offer.id) => h.call('PUT', `/api/v0/asks/${offerId}/`, { body });
  const show = async (id: number) => (await h.call('GET', `/api/v0/instances/${id}/`)).json.instances;

  beforeEach(async () => {
    h = await startHarness({ lifecycle: { failureRate: 0 } });
    offer = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, gpu_name: { eq: 'RTX 4090' }, limit: 1 })[0];
  });
  afterEach(() => h.close());

  describe('show (GET /api/v0/instances/{id}/)', () => {
    it('wraps one object under the plural key "instances"', async () => {
      const added = h.sim.instances.add({ label: 'x' });
      const reply = await h.call('GET', `/api/v0/instances/${added.id}/?owner=me`);
      assert.equal(reply.status, 200);
      assert.equal(Array.isArray(reply.json.instances), false);
      assert.equal(reply.json.instances.id, added.id);
      assert.equal(reply.json.instances.label, 'x');
    });

    it('answers 200 {"instances": null} for an unknown or destroyed id', async () => {
      assert.deepEqual((await h.call('GET', '/api/v0/instances/123/')).json, { instances: null });
      const added = h.sim.instances.add();
      h.sim.instances.destroy(added.id);
      const reply = await h.call('GET', `/api/v0/instances/${added.id}/`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json, { instances: null });
    });
  });

  describe('create (PUT /api/v0/asks/{id}/)', () => {
    it('rents the offer and returns the new contract; the instance takes the offer’s hardware', async () => {
      const reply = await create({ client_id: 'me', image: 'pytorch/pytorch:latest', disk: 20, label: 'mine', runtype: 'ssh_direc ssh_proxy' });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.success, true);
      assert.equal(typeof reply.json.new_contract, 'number');
      assert.match(reply.json.instance_api_key, /^[0-9a-f]{64}$/);
      const instance = await show(reply.json.new_contract);
      assert.equal(instance.gpu_name, offer.gpu_name);
      assert.equal(instance.num_gpus, offer.num_gpus);
      assert.equal(instance.machine_id, offer.machine_id);
      assert.equal(instance.geolocation, offer.geolocation);
      assert.equal(instance.dph_base, offer.dph_base);
      assert.ok(Math.abs(instance.dph_total - (offer.dph_base + (offer.storage_cost * 20) / 720)) < 1e-5);
      assert.equal(instance.label, 'mine');
      assert.equal(instance.image_uuid, 'pytorch/pytorch:latest');
      assert.equal(instance.disk_space, 20);
      assert.equal(instance.intended_status, 'running');
      assert.equal(h.sim.offers.get(offer.id)!.rented, true);
    });

    it('a second create on the same offer gets 404 no_such_ask', async () => {
      assert.equal((await create({ image: 'ubuntu', disk: 10 })).status, 200);
      const again = await create({ image: 'ubuntu', disk: 10 });
      assert.equal(again.status, 404);
      assert.deepEqual(again.json, {
        success: false,
        error: 'no_such_ask',
        msg: 'error 404/3603: no_such_ask  Instance type no longer available',
        ask_id: offer.id,
      });
      assert.equal((await create({ image: 'ubuntu', disk: 10 }, 1)).json.error, 'no_such_ask');
    });

    it('validates the body with 400s that carry ask_id', async () => {
      const cases: Array<[unknown, string, RegExp]> = [
        [{ disk: 10 }, 'invalid_args', /image is required/],
        [{ image: 'x'.repeat(1025), disk: 10 }, 'invalid_args', /image/],
        [{ image: 'ubuntu', disk: 7 }, 'invalid_args', /disk must be at least 8/],
        [{ image: 'ubuntu', disk: 10, label: 'l'.repeat(257) }, 'invalid_args', /label/],
        [{ image: 'ubuntu', disk: 10, onstart: 'o'.repeat(4000), args: ['a'.repeat(100)] }, 'invalid_args', /4096/],
        [{ image: 'ubuntu', disk: 10, price: 0 }, 'invalid_price', /price/],
        [{ image: 'ubuntu', disk: 10, price: 200 }, 'invalid_price', /price/],
        [{ image: 'ubuntu', disk: 10, runtype: 'telnet' }, 'invalid_args', /runtype/],
        [{ image: 'ubuntu', disk: 10, target_state: 'frozen' }, 'invalid_args', /target_state/],
        [['not', 'an', 'object'], 'invalid_args', /object/],
      ];
      for (const [body, error, msg] of cases) {
        const reply = await create(body);
        assert.equal(reply.status, 400, JSON.stringify(body).slice(0, 60));
        assert.equal(reply.json.error, error);
        assert.match(reply.json.msg, msg);
        assert.equal(reply.json.ask_id, offer.id);
      }
      assert.equal(h.sim.instances.size, 0);
      assert.equal(h.sim.offers.get(offer.id)!.rented, false);
    });

    it('a bid price makes it interruptible at that price; disk defaults to 8', async () => {
      const reply = await create({ image: 'ubuntu', price: 0.123 });
      const instance = await show(reply.json.new_contract);
      assert.equal(instance.is_bid, true);
      assert.equal(instance.dph_base, 0.123);
      assert.equal(instance.disk_space, 8);
    });
  });

  describe('manage (PUT /api/v0/instances/{id}/)', () => {
    it('stops and starts', async () => {
      const { id } = h.sim.instances.add({ status: 'running' });
      const stop = await h.call('PUT', `/api/v0/instances/${id}/`, { body: { state: 'stopped' } });
      assert.deepEqual(stop.json, { success: true });
      assert.equal((await show(id)).intended_status, 'stopped');
      await h.clock.advance(10_000);
      assert.equal((await show(id)).actual_status, 'stopped');
      assert.equal((await show(id)).ports, null);
      const start = await h.call('PUT', `/api/v0/instances/${id}/`, { body: { state: 'running' } });
      assert.deepEqual(start.json, { success: true });
      await h.clock.advance(6_000);
      assert.equal((await show(id)).actual_status, 'loading');
      await h.clock.advance(40_000);
      assert.equal((await show(id)).actual_status, 'running');
    });

    it('sets a label (≤ 1024) and refuses a longer one with label_too_long', async () => {
      const { id } = h.sim.instances.add();
      const ok = await h.call('PUT', `/api/v0/instances/${id}/`, { body: { label: 'renamed' } });
      assert.equal(ok.json.success, true);
      assert.equal(typeof ok.json.msg, 'string');
      assert.equal((await show(id)).label, 'renamed');
      const long = await h.call('PUT', `/api/v0/instances/${id}/`, { body: { label: 'x'.repeat(1025) } });
      assert.equal(long.status, 400);
      assert.equal(long.json.error, 'label_too_long');
      assert.equal((await show(id)).label, 'renamed');
    });

    it('answers 404 no_such_instance for an unknown id and 400 for a bad body', async () => {
      const missing = await h.call('PUT', '/api/v0/instances/99/', { body: { state: 'stopped' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error, 'no_such_instance');
      const { id } = h.sim.instances.add();
      assert.equal((await h.call('PUT', `/api/v0/instances/${id}/`, { body: { state: 'paused' } })).status, 400);
      assert.equal((await h.call('PUT', `/api/v0/instances/${id}/`, { body: {} })).status, 400);
    });
  });

  describe('reboot, logs, destroy', () => {
    it('reboot: rebooting for a while, then running', async () => {
      h.sim.instances.setLifecycle({ rebootMs: 15_000 });
      const { id } = h.sim.instances.add();
      const reply = await h.call('PUT', `/api/v0/instances/reboot/${id}/`, { body: {} });
      assert.deepEqual(reply.json, { success: true });
      assert.equal((await show(id)).actual_status, 'rebooting');
      await h.clock.advance(14_999);
      assert.equal((await show(id)).actual_status, 'rebooting');
      await h.clock.advance(1);
      assert.equal((await show(id)).actual_status, 'running');
      assert.equal((await h.call('PUT', '/api/v0/instances/reboot/5/')).json.error, 'no_such_instance');
    });

    it('request_logs: a result_url that serves text logs (no auth) once uploaded', async () => {
      h.sim.instances.setLifecycle({ logsReadyMs: 1000 });
      const { id } = h.sim.instances.add({ status: 'exited', image: 'my/image:1' });
      const reply = await h.call('PUT', `/api/v0/instances/request_logs/${id}/`, { body: { tail: '1000' } });
      assert.equal(reply.json.success, true);
      assert.equal(typeof reply.json.msg, 'string');
      const url: string = reply.json.result_url;
      assert.ok(url.startsWith(`${h.sim.url}/__sim/logs/`));
      const path = url.slice(h.sim.url.length);
      const early = await h.call('GET', path, { key: null });
      assert.equal(early.status, 404);
      await h.clock.advance(1000);
      const logs = await h.call('GET', path, { key: null });
      assert.equal(logs.status, 200);
      assert.match(logs.headers.get('content-type')!, /^text\/plain/);
      assert.match(logs.text, /RuntimeError/);
      const missing = await h.call('PUT', '/api/v0/instances/request_logs/7/');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error, 'invalid_id');
    });

    it('request_logs honours tail and filter', async () => {
      h.sim.instances.setLifecycle({ logsReadyMs: 0, provisionMs: 1000, loadingMs: 1000 });
      const created = await create({ image: 'img', disk: 10 });
      await h.clock.advance(5000);
      const id = created.json.new_contract;
      const fetchLogs = async (body: unknown) => {
        const { json } = await h.call('PUT', `/api/v0/instances/request_logs/${id}/`, { body });
        return (await h.call('GET', json.result_url.slice(h.sim.url.length), { key: null })).text;
      };
      const full = (await fetchLogs({})).trim().split('\n');
      assert.ok(full.length > 5);
      assert.deepEqual((await fetchLogs({ tail: '2' })).trim().split('\n'), full.slice(-2));
      const filtered = (await fetchLogs({ filter: 'Pulling' })).trim().split('\n');
      assert.ok(filtered.length > 0 && filtered.every((line) => line.includes('Pulling')));
    });

    it('destroy removes it and frees the offer; unknown id is 404 not_found', async () => {
      const created = await create({ image: 'ubuntu', disk: 10 });
      const id = created.json.new_contract;
      const reply = await h.call('DELETE', `/api/v0/instances/${id}/`, { body: {} });
      assert.deepEqual(reply.json, { success: true });
      assert.equal(h.sim.instances.has(id), false);
      assert.equal(h.sim.offers.get(offer.id)!.rented, false);
      const again = await h.call('DELETE', `/api/v0/instances/${id}/`);
      assert.equal(again.status, 404);
      assert.equal(again.json.success, false);
      assert.equal(again.json.error, 'not_found');
    });
  });

  describe('current user', () => {
    it('credit falls as running instances accrue cost on the clock', async () => {
      const first = (await h.call('GET', '/api/v0/users/current/')).json;
      for (const field of ['id', 'username', 'email', 'fullname', 'credit', 'balance', 'has_billing', 'can_pay', 'email_verified']) {
        assert.notEqual(first[field], undefined, field);
      }
      assert.equal(first.credit, 50);
      h.sim.instances.add({ status: 'running', price: 2 });
      await h.clock.advance(3_600_000);
      const later = (await h.call('GET', '/api/v0/users/current/')).json;
      assert.ok(Math.abs(first.credit - later.credit - 2) < 1e-3, `spent ${first.credit - later.credit}`);
      h.sim.account.setCredit(10);
      assert.equal((await h.call('GET', '/api/v0/users/current/')).json.credit, 10);
    });
  });
});
