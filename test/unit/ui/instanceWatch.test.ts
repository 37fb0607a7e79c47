import assert from 'node:assert/strict';
import { autoStopScript } from '../../../src/ui/autoStop/autoStopScript';
import { formatRunway } from '../../../src/ui/burnRate';
import { destroyInstanceFlow } from '../../../src/ui/flows/instanceActions';
import { InstanceWatch, type IdleEvent, type LowCreditEvent } from '../../../src/ui/instanceWatch';
import { VAST_BILLING_URL } from '../../../src/ui/lowCreditWatch';
import { rowBadges } from '../../../src/ui/rowBadges';
import { idleNotice, lowCreditNotice } from '../../../src/ui/watchNotices';
import type { Instance } from '../../../src/vast/types';
import { startFlowHarness, type FlowHarness } from '../../support/flowHarness';

const MIN = 60_000;

/**
 * Burn rate, runway, low credit, idle GPUs and verified destroys: all read from the instance poll
 * the monitor already makes (real HTTP to the simulator, virtual time). None adds a request.
 */
describe('InstanceWatch (poll-fed: runway, low credit, idle GPUs, verified destroys)', () => {
  let h: FlowHarness;
  let watch: InstanceWatch;
  let idle: IdleEvent[];
  let low: LowCreditEvent[];
  let pending: Instance[];
  let polling: { dispose(): void };

  const start = async (options: Parameters<typeof startFlowHarness>[0] = {}, kept: number[] = []) => {
    h = await startFlowHarness({ ...options, simulator: { rateLimits: { enabled: false }, ...options.simulator } });
    watch = new InstanceWatch(h.monitor, {
      clock: h.clock,
      readLog: (id) => h.client.instanceLogs(id, { tail: 200 }),
      isKept: (id) => kept.includes(id),
    });
    h.ctx.watch = watch;
    idle = [];
    low = [];
    pending = [];
    watch.onIdle((event) => idle.push(event));
    watch.onLowCredit((event) => low.push(event));
    watch.onDestroyPending((instance) => pending.push(instance));
    polling = h.monitor.subscribe();
    await h.clock.advance(100);
  };
  const endpoints = () => new Set(h.serverLog().map(([, endpoint]) => endpoint));

  afterEach(async () => {
    polling?.dispose();
    watch?.dispose();
    await h?.close();
  });

  describe('burn rate and runway', () => {
    it('counts GPU and storage of running instances and the storage of stopped ones, with the credit from the poll rows', async () => {
      await start({
        simulator: {
          credit: 40,
          instances: [
            { id: 101, label: 'a', status: 'running', price: 0.82, diskGb: 32 },
            { id: 102, label: 'b', status: 'stopped', price: 0.4, diskGb: 100 },
            { id: 103, label: 'c', status: 'exited', price: 0.3, diskGb: 10 },
          ],
        },
      });
      const rows = [...h.monitor.snapshot.instances.values()];
      const storage = (id: number) => rows.find((r) => r.id === id)!.storage_total_cost!;
      const spending = watch.spending();
      assert.ok(Math.abs(spending.burn.perHour - (0.82 + storage(102) + storage(103))) < 1e-9);
      assert.ok(storage(102) > 0, 'a stopped instance still pays for its disk');
      assert.equal(spending.burn.billedGpus, 1);
      assert.equal(spending.burn.storageOnly, 2);
      assert.ok(Math.abs(spending.credit! - h.sim.account.credit) < 0.01, 'credit_balance from the list rows');
      assert.ok(Math.abs(spending.runwayHours! - spending.credit! / spending.burn.perHour) < 1e-9);
      assert.deepEqual([...endpoints()], ['instances'], 'no request beyond the poll');
    });

    it('says the runway the way people read it', () => {
      assert.equal(formatRunway(10.2, 4.91), '~10 h left at $4.91/h');
      assert.equal(formatRunway(0.66, 12), '~40 min left at $12.00/h');
      assert.equal(formatRunway(80, 0.4), '~3 days left at $0.40/h');
      assert.equal(formatRunway(Infinity, 0), 'nothing billed now');
    });
  });

  describe('low credit', () => {
    it('warns once per crossing of lowCreditHours, again only after climbing back above', async () => {
      await start({ simulator: { credit: 100, instances: [{ id: 201, label: 'big', status: 'running', price: 4 }] } });
      assert.equal(low.length, 0, '~25 h of runway: no warning');
      h.sim.account.setCredit(20); // ~5 h at $4/h, below the default 6 h
      await h.clock.advance(31_000);
      assert.equal(low.length, 1);
      assert.ok(low[0].runwayHours < 6 && low[0].runwayHours > 4);
      await h.clock.advance(5 * 31_000);
      assert.equal(low.length, 1, 'not again while it stays low');
      h.sim.account.setCredit(100);
      await h.clock.advance(31_000);
      h.sim.account.setCredit(10);
      await h.clock.advance(31_000);
      assert.equal(low.length, 2, 'a new crossing warns again');
      assert.deepEqual([...endpoints()], ['instances']);
    });

    it('the notice opens Vast’s billing page or the instances', async () => {
      await start();
      h.prompter.onNotice('warning', /^Vast\.ai credit is low: \$9\.82, ~2 h left at \$4\.91\/h\./, 'Add Credit');
      await h.flow(lowCreditNotice(h.ctx, { credit: 9.82, perHour: 4.91, runwayHours: 2 }));
      assert.deepEqual(h.workbench.opened, [VAST_BILLING_URL]);
      h.prompter.onNotice('warning', /credit is low/, 'Show Instances');
      await h.flow(lowCreditNotice(h.ctx, { credit: 9.82, perHour: 4.91, runwayHours: 2 }));
      assert.equal(h.workbench.revealed, 1);
    });
  });

  describe('idle GPUs', () => {
    it('marks a running instance idle after idleMinutes under idleGpuPercent, tells once, from the poll alone', async () => {
      await start({ simulator: { instances: [{ id: 301, label: 'train-llama-3', status: 'running', price: 0.82, gpuUtil: 2 }, { id: 302, label: 'busy', status: 'running', gpuUtil: 80 }] } });
      await h.clock.advance(29 * MIN);
      assert.equal(idle.length, 0, 'not before 30 min');
      assert.equal(watch.idleFor(301), undefined);
      await h.clock.advance(2 * MIN);
      assert.deepEqual(idle.map((e) => e.instance.id), [301]);
      assert.ok(idle[0].idleMs >= 30 * MIN);
      await h.clock.advance(15 * MIN);
      assert.equal(idle.length, 1, 'told once');
      assert.ok(watch.idleFor(301)! >= 45 * MIN);
      const badge = rowBadges(h.monitor.snapshot.instances.get(301)!, h.clock.now(), watch).find((b) => b.text.startsWith('idle'));
      assert.match(badge!.text, /^idle 4\d min$/);
      assert.equal(watch.idleFor(302), undefined, 'a busy GPU is never idle');
      assert.deepEqual([...endpoints()], ['instances'], 'no request beyond the poll');
    });

    it('a busy reading, a missing reading or a stop ends the stretch; a kept instance is never reported', async () => {
      await start({ simulator: { instances: [{ id: 401, status: 'running', gpuUtil: 1 }, { id: 402, status: 'running', gpuUtil: 0 }] } }, [402]);
      await h.clock.advance(20 * MIN);
      h.sim.instances.setGpuUtil(401, 50);
      await h.clock.advance(MIN);
      h.sim.instances.setGpuUtil(401, null);
      await h.clock.advance(MIN);
      h.sim.instances.setGpuUtil(401, 3);
      await h.clock.advance(20 * MIN);
      assert.equal(idle.length, 0, 'the stretch restarted');
      await h.clock.advance(11 * MIN);
      assert.deepEqual(idle.map((e) => e.instance.id), [401]);
      assert.ok(watch.idleFor(402)! > 30 * MIN, 'the kept one is still marked idle');
    });

    it('the notice: "train-llama-3 has been idle 45 min at $0.82/h"; Keep is remembered, Destroy confirms', async () => {
      await start({ simulator: { instances: [{ id: 501, label: 'train-llama-3', status: 'running', price: 0.82, gpuUtil: 0 }] } });
      const instance = h.monitor.snapshot.instances.get(501)!;
      h.prompter.onNotice('warning', /^train-llama-3 has been idle 45 min at \$0\.82\/h\.$/, 'Keep');
      await h.flow(idleNotice(h.ctx, { instance, idleMs: 45 * MIN + 20_000 }));
      assert.deepEqual(h.memory.kept, [501]);
      h.prompter.onNotice('warning', /idle/, 'Destroy').escape({ title: /^Destroy instance train-llama-3/ });
      await h.flow(idleNotice(h.ctx, { instance, idleMs: 45 * MIN }));
      assert.ok(h.sim.instances.has(501), 'nothing destroyed without the confirmation');
    });
  });

  describe('destroy, verified', () => {
    it('an instance still listed a few polls after its destroy is "destroy pending", and the user is warned once', async () => {
      await start({ simulator: { instances: [{ id: 601, label: 'ghost', status: 'running' }, { id: 602, label: 'gone', status: 'running' }] } });
      h.sim.instances.lingerNextDestroys(1);
      h.prompter.type('ghost', { title: /^Destroy instance ghost/ });
      await h.flow(destroyInstanceFlow(h.ctx, h.monitor.snapshot.instances.get(601)!));
      h.prompter.type('gone', { title: /^Destroy instance gone/ });
      await h.flow(destroyInstanceFlow(h.ctx, h.monitor.snapshot.instances.get(602)!));
      await h.clock.advance(2 * MIN); // three polls (5 s, then every 30 s)
      assert.deepEqual(pending.map((i) => i.id), [601]);
      assert.ok(watch.isDestroyPending(601));
      assert.equal(h.monitor.snapshot.instances.has(602), false, 'the real destroy is gone from the list');
      assert.equal(watch.isDestroyPending(602), false);
      assert.deepEqual(rowBadges(h.monitor.snapshot.instances.get(601)!, h.clock.now(), watch).map((b) => b.text), ['destroy pending']);
      await h.clock.advance(5 * 60_000);
      assert.equal(pending.length, 1, 'warned once');
    });

    it('is not pending before a few polls have passed', async () => {
      await start({ simulator: { instances: [{ id: 701, status: 'running' }] } });
      h.sim.instances.lingerNextDestroys(1);
      await h.run(h.client.destroyInstance(701));
      watch.destroyed(701);
      await h.run(h.monitor.refresh());
      await h.run(h.monitor.refresh());
      assert.equal(watch.isDestroyPending(701), false);
      await h.run(h.monitor.refresh());
      assert.equal(watch.isDestroyPending(701), true);
    });
  });

  describe('interruptible and outbid', () => {
    it('marks interruptible instances, and outbid ones instead once a higher bid took the GPU', async () => {
      await start({ simulator: { instances: [{ id: 801, status: 'running', bidPrice: 0.3 }, { id: 802, status: 'running' }] } });
      const badges = (id: number) => rowBadges(h.monitor.snapshot.instances.get(id)!, h.clock.now(), watch).map((b) => b.text);
      assert.deepEqual(badges(801), ['interruptible']);
      assert.deepEqual(badges(802), []);
      h.sim.instances.outbid(801);
      await h.run(h.monitor.refresh());
      assert.deepEqual(badges(801), ['outbid']);
    });
  });

  describe('auto-stop state', () => {
    it('reads the watchdog’s armed / NOT ARMED line from the log once per boot; the row says "auto-stop: not armed"', async () => {
      await start({ simulator: { lifecycle: { failureRate: 0, provisionMs: 5000, loadingMs: 20_000 } } });
      const onstart = autoStopScript({ idleMinutes: 30 }, { apiUrl: h.sim.url });
      const offers = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 2 });
      const armed = (await h.run(h.client.createInstance(offers[0].id, { image: 'pytorch/pytorch:latest', onstart }))).instanceId;
      const bare = (await h.run(h.client.createInstance(offers[1].id, { image: 'alpine:3.20', onstart }))).instanceId;
      h.monitor.expectChange();
      await h.clock.advance(3 * MIN);
      const badge = (id: number) => rowBadges(h.monitor.snapshot.instances.get(id)!, h.clock.now(), watch).map((b) => b.text);
      assert.equal(watch.autoStopStatus(armed)?.state, 'armed');
      assert.deepEqual(badge(armed), ['auto-stop']);
      assert.equal(watch.autoStopStatus(bare)?.state, 'not-armed');
      assert.deepEqual(badge(bare), ['auto-stop: not armed']);
      await h.clock.advance(10 * MIN);
      const logRequests = h.serverLog().filter(([, endpoint]) => endpoint === 'logs').length;
      assert.equal(logRequests, 2, 'one log read per auto-stop instance per boot');
    });
  });
});
