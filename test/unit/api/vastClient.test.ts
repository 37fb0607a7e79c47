import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { VastClient } from '../../../src/api/vastClient';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('VastClient typed methods (real HTTP)', () => {
  let h: ClientHarness;
  afterEach(async () => h?.close());

  it('lists every instance across pages of 25, one gate slot per page', async () => {
    h = await startClientHarness({ simulator: { instances: 60 } });
    const instances = await h.run(h.client.listInstances());
    assert.equal(instances.length, 60);
    assert.equal(new Set(instances.map((i) => i.id)).size, 60);
    const pages = h.sim.log.entries({ endpoint: 'instances' });
    assert.equal(pages.length, 3);
    assert.deepEqual(pages.slice(1).map((p, i) => p.at - pages[i].at), [1050, 1050]);
  });

  it('filters the list by status on the server', async () => {
    h = await startClientHarness({ simulator: { instances: [{ status: 'running' }, { status: 'stopped' }, { status: 'running' }] } });
    const running = await h.run(h.client.listInstances({ statuses: ['running'] }));
    assert.equal(running.length, 2);
    assert.ok(running.every((i) => i.actual_status === 'running'));
  });

  it('reads the legacy v0 list too', async () => {
    h = await startClientHarness({ simulator: { instances: 30 } });
    assert.equal((await h.run(h.client.listInstancesLegacy())).length, 30);
  });

  it('unwraps show instance\'s plural-key quirk, and gives null for an unknown id', async () => {
    h = await startClientHarness({ simulator: { instances: [{ label: 'one' }] } });
    const id = h.sim.instances.list()[0].id;
    const shown = await h.run(h.client.showInstance(id));
    assert.equal(shown?.id, id);
    assert.equal(shown?.label, 'one');
    assert.equal(await h.run(h.client.showInstance(999_999)), null);
  });

  it('creates from an offer, then starts, stops, labels, reboots and destroys it', async () => {
    h = await startClientHarness({ simulator: { lifecycle: { failureRate: 0 } } });
    const offer = (await h.run(h.client.searchOffers({ gpuName: 'RTX 4090', order: 'price', limit: 5 }))).offers[0];
    const created = await h.run(h.client.createInstance(offer.id, { image: 'pytorch/pytorch:latest', label: 'train', diskGb: 20, onstart: 'echo hi' }));
    assert.equal(typeof created.instanceApiKey, 'string');
    let instance = h.sim.instances.get(created.instanceId)!;
    assert.equal(instance.label, 'train');
    assert.equal(instance.gpu_name, 'RTX 4090');
    await h.clock.advance(5 * 60_000);
    await h.run(h.client.setLabel(created.instanceId, 'renamed'));
    await h.run(h.client.stopInstance(created.instanceId));
    await h.clock.advance(60_000);
    instance = (await h.run(h.client.showInstance(created.instanceId)))!;
    assert.equal(instance.label, 'renamed');
    assert.equal(instance.actual_status, 'stopped');
    await h.run(h.client.startInstance(created.instanceId));
    await h.clock.advance(5 * 60_000);
    await h.run(h.client.rebootInstance(created.instanceId));
    assert.equal(h.sim.instances.get(created.instanceId)!.actual_status, 'rebooting');
    await h.run(h.client.destroyInstance(created.instanceId));
    assert.equal(h.sim.instances.has(created.instanceId), false);
    await assert.rejects(h.run(h.client.destroyInstance(created.instanceId)), (e: unknown) => isVastApiError(e, 'not-found'));
  });

  it('reports an offer that is gone as not-found, with Vast\'s code', async () => {
    h = await startClientHarness();
    const offer = h.sim.offers.all().find((o) => o.rentable && !o.rented)!;
    h.sim.offers.remove(offer.id);
    await assert.rejects(h.run(h.client.createInstance(offer.id, { image: 'x/y' })), (e: unknown) => isVastApiError(e, 'not-found') && e.code === 'no_such_ask');
  });

  it('reads the current user\'s credit', async () => {
    h = await startClientHarness({ simulator: { credit: 12.5 } });
    const user = await h.run(h.client.currentUser());
    assert.equal(user.credit, 12.5);
  });

  it('downloads instance logs from the result URL', async () => {
    h = await startClientHarness({ simulator: { instances: [{ status: 'running', label: 'logs' }] } });
    const id = h.sim.instances.list()[0].id;
    const text = await h.run(h.client.instanceLogs(id, { tail: 50 }));
    assert.ok(text.length > 0);
  });

  describe('bad input gets a clear error and sends nothing', () => {
    beforeEach(async () => {
      h = await startClientHarness();
    });
    for (const [name, call, pattern] of [
      ['a non-integer instance id', (c: VastClient) => c.stopInstance(1.5), /Instance id must be a positive whole number/],
      ['a negative offer id', (c: VastClient) => c.createInstance(-3, { image: 'a' }), /Offer id/],
      ['a create without image', (c: VastClient) => c.createInstance(1, { image: ' ' }), /image is required/],
      ['a disk below 8 GB', (c: VastClient) => c.createInstance(1, { image: 'a', diskGb: 4 }), /at least 8 GB/],
      ['a bid out of range', (c: VastClient) => c.createInstance(1, { image: 'a', bidPrice: 500 }), /bid must be between/],
      ['a label over 1024 characters', (c: VastClient) => c.setLabel(1, 'x'.repeat(1025)), /at most 1024/],
    ] as const) {
      it(name, async () => {
        await assert.rejects(
          (async () => call(h.client))(),
          (e: unknown) => isVastApiError(e, 'invalid-input') && pattern.test(e.message),
        );
        assert.equal(h.sim.log.count(), 0);
      });
    }
  });

  describe('auth', () => {
    it('a bad key gets an auth error at once, never retried', async () => {
      h = await startClientHarness();
      const client = new VastClient({ apiKey: 'not-a-real-key', baseUrl: h.sim.url, clock: h.clock });
      await assert.rejects(h.run(client.currentUser()), (e: unknown) => isVastApiError(e, 'auth') && /Invalid user key/.test(e.message) && e.status === 401);
      assert.equal(h.sim.log.count(), 1);
    });

    it('a key without write permission gets an auth error naming the action', async () => {
      h = await startClientHarness({ simulator: { instances: 1, readOnlyKeys: ['read-only-key-123'] } });
      const client = new VastClient({ apiKey: 'read-only-key-123', baseUrl: h.sim.url, clock: h.clock });
      const id = h.sim.instances.list()[0].id;
      assert.equal((await h.run(client.listInstances())).length, 1);
      await assert.rejects(h.run(client.destroyInstance(id)), (e: unknown) => isVastApiError(e, 'auth') && /not allowed to destroy instance/.test(e.message));
      assert.ok(h.sim.instances.has(id));
    });

    it('refuses plain http to anything but loopback, and keys with white space', () => {
      assert.throws(() => new VastClient({ apiKey: 'k', baseUrl: 'http://console.vast.ai' }), /must use https/);
      assert.throws(() => new VastClient({ apiKey: 'k', baseUrl: 'https://user:pw@console.vast.ai' }), /credentials/);
      assert.throws(() => new VastClient({ apiKey: 'abc def' }), /white space/);
      assert.throws(() => new VastClient({ apiKey: '' }), /required/);
      assert.doesNotThrow(() => new VastClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1234' }));
      assert.doesNotThrow(() => new VastClient({ apiKey: 'k', baseUrl: 'http://localhost:1234' }));
    });
  });

  it('never lets the key appear in an error message or a request event', async () => {
    h = await startClientHarness({ simulator: { instances: 2 }, client: { maxRetries: 1 } });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => h.run(p).catch((e) => errors.push(e));
    h.sim.faults.add({ kind: 'status', status: 502, endpoint: 'instances', times: 5 });
    await capture(h.client.listInstances());
    h.sim.faults.add({ kind: 'lost-response', endpoint: 'create' });
    await capture(h.client.createInstance(h.sim.offers.all().find((o) => o.rentable && !o.rented)!.id, { image: 'a/b' }));
    h.sim.limits.exhaustSearchQuota(3600_000);
    await capture(h.client.searchOffers({}));
    h.sim.revokeKey(h.sim.apiKey);
    await capture(h.client.currentUser());
    assert.equal(errors.length, 4);
    const everything = JSON.stringify([errors.map((e) => [String(e), (e as Error).stack]), h.events, h.client.rateLimits.states()]);
    assert.ok(!everything.includes(h.sim.apiKey), 'the key leaked');
  });
});
