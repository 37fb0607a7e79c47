import assert from 'node:assert/strict';
import type { Offer } from '../../../src/vast/types';
import { startHarness, type Harness } from './harness';

describe('simulator: faults on demand', () => {
  let h: Harness;
  let offer: Offer;
  const createPath = () => `/api/v0/asks/${offer.id}/`;
  const createBody = { image: 'ubuntu:22.04', disk: 10, label: 'fault-test' };
  /** Settles with the reply or the error's name/code, never throws. */
  const outcome = (promise: Promise<{ status: number }>) =>
    promise.then(
      (reply) => reply.status,
      (error: { name?: string; code?: string }) => error.code ?? error.name ?? 'error',
    );

  beforeEach(async () => {
    h = await startHarness();
    offer = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 1 })[0];
  });
  afterEach(() => h.close());

  it('status: a 5xx HTML page from the proxy; the request is not processed', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, endpoint: 'create' });
    const reply = await h.call('PUT', createPath(), { body: createBody });
    assert.equal(reply.status, 503);
    assert.match(reply.headers.get('content-type')!, /^text\/html/);
    assert.match(reply.text, /<h1>503 Service Unavailable<\/h1>/);
    assert.equal(h.sim.instances.size, 0);
    assert.equal(h.sim.log.last()!.fault, 'status');
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 200, 'one hit by default');
    h.sim.faults.add({ kind: 'status' });
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 502, 'default 502, any endpoint');
  });

  it('reset: the socket is destroyed without an answer; not processed', async () => {
    h.sim.faults.add({ kind: 'reset', endpoint: 'create' });
    const result = await h.clock.run(outcome(h.send('PUT', createPath(), { body: createBody })));
    assert.equal(typeof result, 'string', `got ${result}`);
    assert.equal(h.sim.instances.size, 0);
    assert.equal(h.sim.offers.get(offer.id)!.rented, false);
    assert.deepEqual(
      { status: h.sim.log.last()!.status, fault: h.sim.log.last()!.fault, endpoint: h.sim.log.last()!.endpoint },
      { status: 0, fault: 'reset', endpoint: 'create' },
    );
  });

  it('lost-response: the create is committed, then the socket dies', async () => {
    h.sim.faults.add({ kind: 'lost-response', endpoint: 'create' });
    const result = await h.clock.run(outcome(h.send('PUT', createPath(), { body: createBody })));
    assert.equal(typeof result, 'string', `got ${result}`);
    const [instance] = h.sim.instances.list();
    assert.equal(instance.label, 'fault-test', 'the instance exists: reconcile by label before resending');
    assert.equal(h.sim.offers.get(offer.id)!.rented, true);
    assert.equal(h.sim.log.last()!.fault, 'lost-response');
    assert.equal(h.sim.log.last()!.status, 0);
  });

  it('malformed-json: a 200 with truncated JSON; the request was processed', async () => {
    h.sim.faults.add({ kind: 'malformed-json', endpoint: 'create' });
    const reply = await h.call('PUT', createPath(), { body: createBody });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.throws(() => JSON.parse(reply.text));
    assert.ok(reply.text.startsWith('{"success":true'));
    assert.equal(h.sim.instances.size, 1);
  });

  it('slow: answers normally after delayMs on the clock', async () => {
    h.sim.faults.add({ kind: 'slow', delayMs: 20_000, endpoint: 'user' });
    const start = h.clock.now();
    const reply = await h.clock.run(h.send('GET', '/api/v0/users/current/'));
    assert.equal(reply.status, 200);
    assert.equal(h.clock.now() - start, 20_000);
    assert.equal(h.sim.log.last()!.at, start + 20_000);
    assert.equal(h.sim.log.last()!.fault, 'slow');
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('hang: no answer until the client gives up', async () => {
    h.sim.faults.add({ kind: 'hang', endpoint: 'user' });
    const controller = new AbortController();
    h.clock.setTimeout(() => controller.abort(), 30_000);
    const start = h.clock.now();
    const result = await h.clock.run(outcome(h.send('GET', '/api/v0/users/current/', { signal: controller.signal })));
    assert.equal(result, 'AbortError');
    assert.equal(h.clock.now() - start, 30_000);
    await h.clock.quiesce();
    await waitFor(() => h.sim.log.count({ fault: 'hang' }) === 1);
    assert.equal(h.sim.log.last()!.status, 0);
  });

  it('hang: close() destroys hung sockets', async () => {
    h.sim.faults.add({ kind: 'hang' });
    let settled: unknown;
    const pending = outcome(h.send('GET', '/api/v0/users/current/')).then((r) => (settled = r));
    await h.clock.advance(600_000);
    assert.equal(settled, undefined, 'still hanging after 10 virtual minutes');
    await h.sim.close();
    await pending;
    assert.equal(typeof settled, 'string');
    assert.equal(h.sim.log.last()!.fault, 'hang');
  });

  it('rules match in order by endpoint, with times and untilMs windows, and clear()', async () => {
    h.sim.faults.add({ kind: 'status', status: 500, endpoint: ['instance', 'instances'], times: 2 });
    h.sim.faults.add({ kind: 'status', status: 504, untilMs: h.clock.now() + 10_000 });
    assert.equal((await h.call('GET', '/api/v1/instances/')).status, 500);
    assert.equal((await h.call('GET', '/api/v0/instances/1/')).status, 500);
    assert.equal((await h.call('GET', '/api/v0/instances/1/')).status, 504);
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 504);
    assert.equal(h.sim.faults.list().length, 1);
    await h.clock.advance(10_000);
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 200);
    assert.equal(h.sim.faults.list().length, 0);
    h.sim.faults.add({ kind: 'reset', times: 5 });
    h.sim.faults.clear();
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 200);
    assert.throws(() => h.sim.faults.add({ kind: 'status', status: 404 }), RangeError);
  });

  it('applies after auth and rate limiting: a faulted request counted as accepted', async () => {
    h.sim.limits.set({ enabled: true });
    h.sim.faults.add({ kind: 'status', status: 502, endpoint: 'user', times: 3 });
    assert.equal((await h.call('GET', '/api/v0/users/current/', { key: 'bad' })).status, 401);
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 502);
    assert.equal((await h.call('GET', '/api/v0/users/current/')).status, 429, 'the 502 used the slot');
    assert.equal(h.sim.faults.list()[0].remaining, 2, 'neither the 401 nor the 429 used a hit');
  });
});

/** Real-time wait for a server-side effect that follows a client-side abort (bounded, a few ms). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition());
}
