import assert from 'node:assert/strict';
import { parseInstanceFilter } from '../../../src/ui/instanceFilter';
import { InstanceTreeModel, idSuffixes, isGroupNode, type TreeOptions } from '../../../src/ui/instanceTreeModel';
import { treeMessage } from '../../../src/ui/treeMessage';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import type { Instance } from '../../../src/vast/types';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

const GROUPED: TreeOptions = { groupByState: true, sortBy: 'state' };

describe('Instances tree model, on the simulator\'s list', () => {
  let h: ClientHarness;
  let instances: Map<number, Instance>;

  beforeEach(async () => {
    h = await startClientHarness({ simulator: { instances: 45, rateLimits: { enabled: false } } });
    instances = new Map((await h.run(h.client.listInstances())).map((i) => [i.id, i]));
  });
  afterEach(() => h.close());

  it('groups 45 instances by state, in a fixed group order, with counts that add up', () => {
    const model = new InstanceTreeModel();
    model.update(instances, h.clock.now(), h.clock.now(), GROUPED);
    const top = model.childrenOf();
    assert.ok(top.every(isGroupNode));
    const order = ['group:running', 'group:starting', 'group:stopped', 'group:failed'];
    assert.deepEqual(top, order.filter((g) => top.includes(g as never)));
    let total = 0;
    for (const node of top) {
      const heading = model.group(node as never)!;
      assert.equal(heading.count, model.childrenOf(node).length);
      assert.match(heading.description, new RegExp(`^${heading.count}\\b`));
      total += heading.count;
    }
    assert.equal(total, 45);
    assert.equal(model.shownIds().length, 45);
  });

  it('turns grouping off, and sorts by price (dearest first), name or uptime', () => {
    const model = new InstanceTreeModel();
    model.update(instances, h.clock.now(), h.clock.now(), { groupByState: false, sortBy: 'price' });
    const prices = model.childrenOf().map((id) => model.row(id as number)!.pricePerHour);
    assert.deepEqual(prices, [...prices].sort((a, b) => b - a));
    model.update(instances, h.clock.now(), h.clock.now(), { groupByState: false, sortBy: 'name' });
    const names = model.childrenOf().map((id) => model.row(id as number)!.label);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    model.update(instances, h.clock.now(), h.clock.now(), { groupByState: false, sortBy: 'uptime' });
    const uptimes = model.childrenOf().map((id) => model.row(id as number)!.uptimeMs ?? -1);
    assert.deepEqual(uptimes, [...uptimes].sort((a, b) => b - a));
  });

  it('tells same-named instances apart: every label on the account is unique', () => {
    const model = new InstanceTreeModel();
    model.update(instances, h.clock.now(), h.clock.now(), GROUPED);
    const labels = model.shownIds().map((id) => model.row(id)!.label);
    assert.equal(new Set(labels).size, labels.length, labels.join(', '));
    assert.ok(labels.some((label) => / #\d{4,}$/.test(label)), 'the simulator fleet shares names');
  });

  it('filters by GPU, state and text; reports what it shows', () => {
    const model = new InstanceTreeModel();
    const gpu = [...instances.values()][0].gpu_name;
    model.update(instances, h.clock.now(), h.clock.now(), { ...GROUPED, filter: parseInstanceFilter(`${gpu} running`) });
    const shown = model.shownIds();
    assert.ok(shown.every((id) => instances.get(id)!.gpu_name === gpu && model.row(id)!.group === 'running'));
    assert.equal(model.counts.total, 45);
    assert.equal(model.counts.shown, shown.length);
    model.update(instances, h.clock.now(), h.clock.now(), { ...GROUPED, filter: parseInstanceFilter('-running') });
    assert.ok(model.shownIds().every((id) => model.row(id)!.group !== 'running'));
    assert.equal(parseInstanceFilter('   '), undefined);
  });

  it('a refresh with nothing visible changed redraws nothing; a status change redraws only its group', async () => {
    const model = new InstanceTreeModel();
    const first = model.update(instances, h.clock.now(), h.clock.now(), GROUPED);
    assert.equal(first.all, true);
    assert.deepEqual(model.update(instances, h.clock.now(), h.clock.now(), GROUPED), { all: false, elements: [] });
    // One instance's GPU use changes: only that row.
    const [running] = [...instances.values()].filter((i) => model.row(i.id)!.group === 'running');
    const busier = new Map(instances).set(running.id, { ...running, gpu_util: ((running.gpu_util ?? 0) + 7) % 100 });
    assert.deepEqual(model.update(busier, h.clock.now(), h.clock.now(), GROUPED), { all: false, elements: [running.id] });
    // A stopped instance moves groups: both groups redraw, not the whole tree.
    const stopped = new Map(busier).set(running.id, { ...running, actual_status: 'stopped', intended_status: 'stopped' });
    const moved = model.update(stopped, h.clock.now(), h.clock.now(), GROUPED);
    assert.equal(moved.all, false);
    assert.deepEqual(new Set(moved.elements), new Set(['group:running', 'group:stopped']));
  });

  it('same names get the shortest id tail that tells them apart', () => {
    const a = { id: 31000123, label: 'x' } as Instance;
    const b = { id: 32000123, label: 'x' } as Instance;
    const c = { id: 5, label: 'y' } as Instance;
    assert.deepEqual([...idSuffixes([a, b, c])], [[31000123, '1000123'], [32000123, '2000123']]);
  });
});

describe('Instances view message', () => {
  it('says how old the list is, why, and counts down to the next try while Vast.ai rate-limits', async () => {
    const h = await startClientHarness({ simulator: { instances: 3 }, client: { maxRetries: 0 } });
    try {
      const monitor = new InstanceMonitor(h.client, { clock: h.clock });
      await h.run(monitor.refresh());
      assert.equal(treeMessage({ now: h.clock.now(), snapshot: monitor.snapshot, gates: h.client.rateLimits.states() }).text, undefined);
      h.sim.limits.storm(60_000);
      const sub = monitor.subscribe();
      h.clock.advance(25_000);
      await h.run(monitor.refresh());
      const message = treeMessage({ now: h.clock.now(), snapshot: monitor.snapshot, gates: h.client.rateLimits.states() });
      assert.match(message.text!, /^⚠ As of \d+ s ago · Vast\.ai is rate-limiting, next try in \d+ s\.$/);
      assert.equal(message.ticking, true);
      sub.dispose();
      monitor.dispose();
    } finally {
      await h.close();
    }
  });

  it('a poll held back by a rate limit already counts as stale, with the countdown', () => {
    const snapshot = { instances: new Map(), stale: false, polling: true, polledAt: 0 };
    const gate = { endpoint: 'instances', cooldownUntil: 33_000 } as never;
    assert.equal(treeMessage({ now: 25_000, snapshot, gates: [gate] }).text, '⚠ As of 25 s ago · Vast.ai is rate-limiting, next try in 8 s.');
    assert.equal(treeMessage({ now: 25_000, snapshot, gates: [] }).text, undefined);
  });

  it('shows the filter in force with counts', () => {
    const snapshot = { instances: new Map(), stale: false, polling: false };
    assert.equal(treeMessage({ now: 0, snapshot, gates: [], filter: { text: '4090', shown: 3, total: 45 } }).text, 'Filter "4090": 3 of 45 shown.');
  });
});
