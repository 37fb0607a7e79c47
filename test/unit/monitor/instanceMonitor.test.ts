import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { InstanceMonitor, type InstanceSource, type MonitorChange } from '../../../src/monitor/instanceMonitor';
import type { SimulatorOptions } from '../../../src/simulator';
import type { Instance } from '../../../src/vast/types';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('InstanceMonitor (one batched poll, real HTTP, virtual time)', () => {
  let h: ClientHarness;
  let monitor: InstanceMonitor;

  async function start(simulator: SimulatorOptions = {}, policy = {}) {
    h = await startClientHarness({ simulator });
    monitor = new InstanceMonitor(h.client, { clock: h.clock, policy });
  }
  afterEach(async () => {
    monitor?.dispose();
    await h?.close();
  });

  /** Times (ms since start) of the fast polls: one request each, for the instances of interest only. */
  function idPolls(): number[] {
    const t0 = h.clock.now() - h.elapsed();
    return h.sim.log.entries({ endpoint: 'instances' }).filter((e) => e.filteredBy?.includes('id')).map((e) => e.at - t0);
  }

  /** Times (ms since start) at which a full poll began: first pages only. */
  function pollStarts(): number[] {
    const entries = h.sim.log.entries({ endpoint: 'instances' }).filter((e) => !e.filteredBy?.includes('id'));
    const firstPages: number[] = [];
    let previous = -Infinity;
    for (const entry of entries) {
      // Pages of one poll follow each other about 1 s apart; polls are at least 5 s apart.
      if (entry.at - previous > 2000 || firstPages.length === 0) firstPages.push(entry.at);
      previous = entry.at;
    }
    const t0 = h.clock.now() - h.elapsed();
    return firstPages.map((t) => t - t0);
  }

  it('does not poll at all without a subscriber', async () => {
    await start({ instances: 3 });
    await h.clock.advance(10 * 60_000);
    assert.equal(h.sim.log.count(), 0);
    assert.equal(h.clock.pendingTimers(), 0);
  });

  it('polls at once on the first subscription, then every 30 s, and stops when the last one leaves', async () => {
    await start({ instances: [{ status: 'running' }, { status: 'stopped' }] });
    const subscription = monitor.subscribe();
    await h.clock.advance(5 * 60_000);
    assert.deepEqual(pollStarts(), [0, 30_000, 60_000, 90_000, 120_000, 150_000, 180_000, 210_000, 240_000, 270_000, 300_000]);
    assert.equal(monitor.snapshot.instances.size, 2);
    subscription.dispose();
    const before = h.sim.log.count();
    await h.clock.advance(5 * 60_000);
    assert.equal(h.sim.log.count(), before);
  });

  it('while something is transitional, the full list keeps its 30 s cadence', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000, outcome: 'running' }, { status: 'running' }] });
    const subscription = monitor.subscribe();
    await h.clock.advance(3 * 60_000);
    assert.deepEqual(pollStarts(), [0, 30_000, 60_000, 90_000, 120_000, 150_000, 180_000]);
    subscription.dispose();
  });

  it('while something is transitional, fast polls ask for it alone: 5 s after the list, growing x1.5 to 30 s', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000, outcome: 'running' }, { status: 'running' }] });
    const subscription = monitor.subscribe();
    await h.clock.advance(3 * 60_000);
    const polls = idPolls();
    assert.equal(polls[0], 5000);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    assert.deepEqual(gaps.slice(0, 7), [5000, 7500, 11250, 16875, 25313, 30000, 30000]);
    subscription.dispose();
  });

  it('a fast poll updates the row it asked for, without the full list', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 8000, outcome: 'running' }, { status: 'running' }] });
    const id = h.sim.instances.list().find((i) => i.actual_status === 'loading')!.id;
    const subscription = monitor.subscribe();
    const changes: MonitorChange[] = [];
    monitor.onDidChangeInstances((change) => changes.push(change));
    await h.clock.advance(12_000);
    assert.equal(pollStarts().length, 1, 'one full poll only');
    assert.equal(monitor.snapshot.instances.get(id)!.actual_status, 'running');
    assert.equal(monitor.snapshot.instances.size, 2, 'the other row is kept');
    assert.deepEqual(changes.at(-1)!.changed.map((c) => c.after.id), [id]);
    subscription.dispose();
  });

  it('a full list read before a fast poll (a shared poll joined or reused, per listStartedAt) does not bring back older rows', async () => {
    h = await startClientHarness({ simulator: { instances: [{ status: 'loading', nextInMs: 8000, outcome: 'running' }, { status: 'running' }] } });
    const id = h.sim.instances.list().find((i) => i.actual_status === 'loading')!.id;
    // Like a follower's source: from 20 s on, each full list it hands out is the one polled at the start.
    let first: { list: Instance[]; at: number } | undefined;
    let replay = false;
    let replayed = 0;
    const source: InstanceSource = {
      listInstances: async (options) => {
        if (replay && first) {
          replayed++;
          return first.list;
        }
        const at = h.clock.now();
        const list = await h.client.listInstances(options);
        first ??= { list, at };
        return list;
      },
      listInstancesById: (ids, options) => h.client.listInstancesById(ids, options),
      listStartedAt: (list) => (list === first?.list ? first.at : undefined),
    };
    monitor = new InstanceMonitor(source, { clock: h.clock });
    const subscription = monitor.subscribe();
    await h.clock.advance(12_000);
    assert.equal(monitor.snapshot.instances.get(id)!.actual_status, 'running', 'the fast poll saw it run');
    replay = true;
    await h.clock.advance(19_000);
    assert.equal(replayed, 1, 'the 30 s full poll took the early list');
    assert.equal(monitor.snapshot.instances.get(id)!.actual_status, 'running');
    assert.equal(monitor.snapshot.listStartedAt, first!.at, 'the snapshot says when its list was read');
    subscription.dispose();
  });

  it('a fast poll that misses an instance removes it (destroyed)', async () => {
    await start({ instances: [{ status: 'loading', nextInMs: 3600_000, outcome: 'running' }, { status: 'running' }] });
    const id = h.sim.instances.list().find((i) => i.actual_status === 'loading')!.id;
    const subscription = monitor.subscribe();
    await h.clock.advance(1000);
    h.sim.instances.destroy(id);
    await h.clock.advance(5000);
    assert.equal(pollStarts().length, 1);
    assert.equal(monitor.snapshot.instances.has(id), false);
    subscription.dispose();
  });

  it('never runs two polls at once: callers during a poll share it', async () => {
    await start({ instances: 60 });
    const results = await h.run(Promise.all([monitor.refresh(), monitor.refresh(), monitor.refresh()]));
    assert.equal(h.sim.log.count({ endpoint: 'instances' }), 3, 'one poll of three pages');
    assert.ok(results.every((r) => r.instances.size === 60));
  });

  it('fires a change event only when something visible changed, saying what', async () => {
    await start({ instances: [{ status: 'running', label: 'a' }, { status: 'running', label: 'b' }] });
    const changes: MonitorChange[] = [];
    monitor.onDidChangeInstances((change) => changes.push(change));
    await h.run(monitor.refresh());
    assert.equal(changes.length, 1);
    assert.equal(changes[0].added.length, 2);
    await h.run(monitor.refresh());
    assert.equal(changes.length, 1, 'nothing changed, no event');
    const [a, b] = h.sim.instances.list();
    h.sim.instances.setLabel(a.id, 'renamed');
    h.sim.instances.destroy(b.id);
    h.sim.instances.add({ status: 'loading', label: 'c' });
    await h.run(monitor.refresh());
    assert.equal(changes.length, 2);
    assert.deepEqual(changes[1].changed.map((c) => [c.after.id, c.fields]), [[a.id, ['label']]]);
    assert.deepEqual(changes[1].removed.map((i) => i.id), [b.id]);
    assert.deepEqual(changes[1].added.map((i) => i.label), ['c']);
  });

  it('keeps the last good snapshot on errors, marks it stale, backs off and recovers by itself', async () => {
    await start({ instances: 3 });
    const subscription = monitor.subscribe();
    await h.clock.advance(1000);
    const good = monitor.snapshot;
    assert.equal(good.stale, false);
    h.sim.faults.add({ kind: 'status', status: 503, endpoint: 'instances', untilMs: h.clock.now() + 10 * 60_000 });
    await h.clock.advance(5 * 60_000);
    const bad = monitor.snapshot;
    assert.equal(bad.stale, true);
    assert.equal(bad.instances.size, 3, 'an error never empties the snapshot');
    assert.equal(bad.polledAt, good.polledAt);
    assert.match(bad.lastError!.message, /HTTP 503/);
    assert.equal(bad.lastError!.kind, 'server');
    await h.clock.advance(10 * 60_000);
    assert.equal(monitor.snapshot.stale, false);
    assert.equal(monitor.snapshot.lastError, undefined);
    assert.ok(monitor.snapshot.polledAt! > good.polledAt!);
    subscription.dispose();
  });

  it('after a long rate-limit wait, polls again when the API said to, not before', async () => {
    h = await startClientHarness({
      simulator: { instances: 1, rateLimits: { retryAfter: 'seconds' } },
      client: { maxWaitMs: 10_000 },
    });
    monitor = new InstanceMonitor(h.client, { clock: h.clock });
    h.sim.limits.storm(60_000);
    const subscription = monitor.subscribe();
    await h.clock.advance(59_000);
    assert.equal(h.sim.log.count(), 1, 'nothing sent while the API asked to wait');
    assert.equal(monitor.snapshot.lastError?.kind, 'rate-limited');
    await h.clock.advance(2000);
    assert.equal(h.sim.log.count({ status: 200 }), 1);
    assert.equal(monitor.snapshot.instances.size, 1);
    assert.equal(monitor.snapshot.lastError, undefined);
    subscription.dispose();
  });

  describe('scale: requests do not grow with instances or waiters', () => {
    async function pollsIn10Minutes(instanceCount: number, waits: number): Promise<{ full: number; fast: number }> {
      await start({ instances: Array.from({ length: instanceCount }, () => ({ status: 'loading' as const, nextInMs: 3600_000, outcome: 'running' as const })) });
      const ids = h.sim.instances.list().map((i) => i.id);
      const subscription = monitor.subscribe();
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const pending = Array.from({ length: waits }, (_, i) =>
        monitor.waitUntilRunning(ids[i % ids.length], { signal: controller.signal, timeoutMs: 3600_000 }).catch(() => undefined),
      );
      await h.clock.advance(10 * 60_000);
      controller.abort();
      await h.run(Promise.all(pending));
      subscription.dispose();
      // A full poll may start a moment late behind a fast one at the gate: leave the last second out.
      const polls = { full: pollStarts().filter((t) => t < 10 * 60_000 - 1000).length, fast: idPolls().length };
      monitor.dispose();
      await h.close();
      return polls;
    }

    it('the same number of full polls with 0, 1 or 50 waits', async () => {
      const none = await pollsIn10Minutes(10, 0);
      const one = await pollsIn10Minutes(10, 1);
      const fifty = await pollsIn10Minutes(10, 50);
      assert.equal(one.full, none.full);
      assert.equal(fifty.full, none.full);
    });

    it('the same number of fast polls with 1 or 50 waits (a wait keeps them at 4.5 s)', async () => {
      const one = await pollsIn10Minutes(10, 1);
      const fifty = await pollsIn10Minutes(10, 50);
      assert.equal(fifty.fast, one.fast);
      assert.equal(one.fast, 133, 'every 4.5 s (90% of 5 s), from 5 s after the first list, for 10 minutes');
    });

    it('the same number of polls (pages aside) with 1 or 500 stable instances', async () => {
      async function stablePolls(count: number) {
        await start({ instances: Array.from({ length: count }, () => ({ status: 'running' as const })) });
        const subscription = monitor.subscribe();
        // Three polls (0, 30 s, 60 s) show the rhythm; more only cost time (500 instances are 20 pages a poll).
        await h.clock.advance(90_000 - 1); // stop before a poll that could not finish its pages
        subscription.dispose();
        const polls = pollStarts().length;
        const requests = h.sim.log.count({ endpoint: 'instances' });
        monitor.dispose();
        await h.close();
        return { polls, requests };
      }
      const small = await stablePolls(1);
      const large = await stablePolls(500);
      assert.equal(small.polls, 3);
      assert.equal(large.polls, small.polls);
      assert.equal(large.requests, small.requests * 20, '500 instances are 20 pages of 25');
    });
  });
});
