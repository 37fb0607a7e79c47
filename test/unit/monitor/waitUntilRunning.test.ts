import assert from 'node:assert/strict';
import { InstanceMonitor, type WaitProgress } from '../../../src/monitor/instanceMonitor';
import { WaitError } from '../../../src/monitor/waitError';
import type { SimulatorOptions } from '../../../src/simulator';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('waitUntilRunning (driven by the shared poll)', () => {
  let h: ClientHarness;
  let monitor: InstanceMonitor;

  async function start(simulator: SimulatorOptions = {}) {
    h = await startClientHarness({ simulator: { lifecycle: { failureRate: 0, provisionMs: 10_000, loadingMs: 60_000 }, ...simulator } });
    monitor = new InstanceMonitor(h.client, { clock: h.clock });
  }
  afterEach(async () => {
    monitor?.dispose();
    await h?.close();
  });

  const isWaitError = (kind: string) => (e: unknown) => e instanceof WaitError && e.kind === kind;
  /** Only the batched list: no per-instance polling, no writes. */
  const onlyListCalls = () => h.sim.log.entries().every((e) => e.endpoint === 'instances' || e.endpoint === 'create');

  async function createOne(label = 'w') {
    const offer = h.sim.offers.all().find((o) => o.rentable && !o.rented)!;
    return (await h.run(h.client.createInstance(offer.id, { image: 'pytorch/pytorch', label }))).instanceId;
  }

  it('resolves when the instance runs, reporting each status change', async () => {
    await start();
    const id = await createOne();
    const progress: WaitProgress[] = [];
    const t0 = h.clock.now();
    const instance = await h.run(monitor.waitUntilRunning(id, { onProgress: (p) => progress.push(p) }));
    assert.equal(instance.actual_status, 'running');
    const statuses = progress.map((p) => p.instance?.actual_status ?? null).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(statuses, [null, 'created', 'loading', 'running']);
    assert.ok(progress.every((p, i) => i === 0 || p.status !== progress[i - 1].status), 'one report per change');
    assert.equal(progress.at(-1)!.instance!.actual_status, 'running');
    assert.ok(h.clock.now() - t0 >= 70_000 && h.clock.now() - t0 < 100_000, 'noticed within one fast tick of the change');
    assert.ok(onlyListCalls());
  });

  it('fails fast when the container exits', async () => {
    await start();
    h.sim.instances.forceOutcome('exited');
    const id = await createOne();
    await assert.rejects(h.run(monitor.waitUntilRunning(id)), (e: unknown) => isWaitError('never-running')(e) && /exited/.test((e as Error).message));
    assert.ok(h.clock.now() - h.sim.instances.get(id)!.start_date! * 1000 < 100_000, 'well before the timeout');
  });

  it('fails at once when the host is offline, and after a grace period when it is unknown', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000 }, { status: 'loading', nextInMs: 3600_000 }] });
    const [a, b] = h.sim.instances.list().map((i) => i.id);
    h.sim.instances.setStatus(a, 'offline');
    h.sim.instances.setStatus(b, 'unknown');
    const t0 = h.clock.now();
    await assert.rejects(h.run(monitor.waitUntilRunning(a)), isWaitError('never-running'));
    const unknown = monitor.waitUntilRunning(b);
    await assert.rejects(h.run(unknown), isWaitError('unknown'));
    assert.ok(h.clock.now() - t0 >= 120_000, 'unknown is tolerated for the grace period');
  });

  it('times out with the last status it saw (default 10 minutes)', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000, statusMsg: 'pulling image' }] });
    const id = h.sim.instances.list()[0].id;
    const t0 = h.clock.now();
    await assert.rejects(h.run(monitor.waitUntilRunning(id)), (e: unknown) => isWaitError('timeout')(e) && /10 min; last status: loading/.test((e as Error).message));
    assert.equal(h.clock.now() - t0, 600_000);
  });

  it('stops waiting when its signal aborts, without touching the instance', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000 }] });
    const id = h.sim.instances.list()[0].id;
    const controller = new AbortController();
    const wait = monitor.waitUntilRunning(id, { signal: controller.signal });
    await h.clock.advance(20_000);
    controller.abort(new Error('cancelled by user'));
    await assert.rejects(wait, /cancelled by user/);
    assert.equal(h.sim.instances.get(id)!.actual_status, 'loading');
    assert.ok(onlyListCalls());
    const polls = h.sim.log.count();
    await h.clock.advance(10 * 60_000);
    assert.equal(h.sim.log.count(), polls, 'no waiter, no subscriber: polling stopped');
  });

  it('reports an instance destroyed while waiting', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000 }] });
    const id = h.sim.instances.list()[0].id;
    const wait = monitor.waitUntilRunning(id);
    await h.clock.advance(10_000);
    h.sim.instances.destroy(id);
    await assert.rejects(h.run(wait), isWaitError('destroyed'));
  });

  it('reports an id that never shows up, after a grace period', async () => {
    await start({ instances: 1 });
    const t0 = h.clock.now();
    await assert.rejects(h.run(monitor.waitUntilRunning(424242)), isWaitError('not-found'));
    assert.ok(h.clock.now() - t0 >= 60_000);
  });

  it('answers at once from a fresh snapshot when the instance already runs', async () => {
    await start({ instances: [{ status: 'running' }] });
    const id = h.sim.instances.list()[0].id;
    await h.run(monitor.refresh());
    const requests = h.sim.log.count();
    const instance = await monitor.waitUntilRunning(id);
    assert.equal(instance.id, id);
    assert.equal(h.sim.log.count(), requests);
  });

  it('twenty waits on twenty instances share one poll per tick', async () => {
    await start({ instances: Array.from({ length: 20 }, (_, i) => ({ status: 'loading' as const, nextInMs: 30_000 + i * 3000, outcome: 'running' as const })) });
    const ids = h.sim.instances.list().map((i) => i.id);
    const results = await h.run(Promise.all(ids.map((id) => monitor.waitUntilRunning(id))));
    assert.ok(results.every((r) => r.actual_status === 'running'));
    assert.ok(onlyListCalls());
    // One request per 4.5 s tick for all twenty (the last boots at 87 s), plus the full list at 0, 30, 60 s.
    const polls = h.sim.log.count({ endpoint: 'instances' });
    assert.ok(polls <= Math.ceil(h.elapsed() / 4500) + 4, `${polls} list calls for 20 waits over ${(h.elapsed() / 1000).toFixed(0)} s`);
  });

  it('each of twenty waits resolves within one fast interval (5 s) of its instance running', async () => {
    await start({ instances: Array.from({ length: 20 }, (_, i) => ({ status: 'loading' as const, nextInMs: 30_000 + i * 3000, outcome: 'running' as const })) });
    const t0 = h.clock.now();
    const ids = h.sim.instances.list().map((i) => i.id);
    const lateness: number[] = [];
    await h.run(
      Promise.all(
        ids.map(async (id, i) => {
          await monitor.waitUntilRunning(id);
          lateness.push(h.clock.now() - (t0 + 30_000 + i * 3000));
        }),
      ),
    );
    assert.ok(Math.max(...lateness) <= 5000 + 1000, `late by up to ${Math.max(...lateness)} ms`);
  });
});
