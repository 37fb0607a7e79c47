import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('client under faults (real HTTP, simulator faults)', () => {
  let h: ClientHarness;
  beforeEach(async () => {
    h = await startClientHarness({ simulator: { instances: 30 } });
  });
  afterEach(async () => h.close());

  const freeOffer = () => h.sim.offers.all().find((o) => o.rentable && !o.rented && h.sim.offers.isAvailable(o.id))!;
  const attempts = (endpoint: string) => h.sim.log.count({ endpoint: endpoint as never });

  describe('reads are retried', () => {
    for (const fault of [
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'malformed-json' },
    ] as const) {
      it(`recovers from ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''} on list instances`, async () => {
        h.sim.faults.add({ ...fault, endpoint: 'instances', times: 2 });
        const instances = await h.run(h.client.listInstances());
        assert.equal(instances.length, 30);
        assert.equal(h.events.filter((e) => e.type === 'wait').length, 2, 'two backoff waits before the good answer');
      });
    }

    it('waits for a slow answer within the timeout', async () => {
      h.sim.faults.add({ kind: 'slow', endpoint: 'user', delayMs: 20_000 });
      const user = await h.run(h.client.currentUser());
      assert.equal(typeof user.credit, 'number');
      assert.equal(attempts('user'), 1);
    });

    it('gives up on a hung read after the timeout and the retry cap, with a clear error', async () => {
      await h.close();
      h = await startClientHarness({ simulator: { instances: 1 }, client: { maxRetries: 1, requestTimeoutMs: 10_000 } });
      h.sim.faults.add({ kind: 'hang', endpoint: 'user', times: 5 });
      await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => isVastApiError(e, 'network') && /no answer within 10 s/.test(e.message));
      assert.equal(attempts('user'), 2);
    });

    it('reports a persistent 5xx as a server error naming the endpoint, after the retry cap', async () => {
      h.sim.faults.add({ kind: 'status', status: 503, endpoint: 'user', times: 100 });
      await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => {
        return isVastApiError(e, 'server') && /account details/.test(e.message) && /HTTP 503/.test(e.message) && e.attempts === 7;
      });
    });
  });

  describe('writes are never resent blindly', () => {
    for (const fault of [{ kind: 'status', status: 502 }, { kind: 'reset' }, { kind: 'hang' }, { kind: 'malformed-json' }, { kind: 'lost-response' }] as const) {
      it(`a create that meets ${fault.kind} fails as outcome-unknown after one request`, async () => {
        h.sim.faults.add({ ...fault, endpoint: 'create' });
        const before = h.sim.instances.size;
        await assert.rejects(
          h.run(h.client.createInstance(freeOffer().id, { image: 'pytorch/pytorch', label: 'job-1' })),
          (e: unknown) => isVastApiError(e, 'outcome-unknown') && /not resent/.test(e.message) && !e.notProcessed,
        );
        assert.equal(attempts('create'), 1);
        const committed = fault.kind === 'lost-response' || fault.kind === 'malformed-json';
        assert.equal(h.sim.instances.size, before + (committed ? 1 : 0));
        if (committed) assert.ok(h.sim.instances.list().some((i) => i.label === 'job-1'), 'the lost create is there to reconcile by label');
      });
    }

    it('retries a create refused with 429, since Vast did not process it', async () => {
      h.sim.limits.storm(3000);
      const created = await h.run(h.client.createInstance(freeOffer().id, { image: 'pytorch/pytorch' }));
      assert.ok(h.sim.instances.has(created.instanceId));
      assert.equal(h.sim.log.count({ endpoint: 'create', status: 200 }), 1);
    });

    it('a stop that meets a 502 is not resent either', async () => {
      h.sim.faults.add({ kind: 'status', status: 502, endpoint: 'manage' });
      const id = h.sim.instances.list()[0].id;
      await assert.rejects(h.run(h.client.stopInstance(id)), (e: unknown) => isVastApiError(e, 'outcome-unknown'));
      assert.equal(attempts('manage'), 1);
    });
  });

  it('fails on a refused connection with a network error after retrying', async () => {
    await h.close();
    h = await startClientHarness({ client: { maxRetries: 2 } });
    const url = h.sim.url;
    await h.sim.close();
    const { VastClient } = await import('../../../src/api/vastClient');
    const client = new VastClient({ apiKey: 'k', baseUrl: url, clock: h.clock, maxRetries: 2 });
    await assert.rejects(h.run(client.currentUser()), (e: unknown) => isVastApiError(e, 'network') && /refused/.test(e.message) && e.attempts === 3);
  });
});
