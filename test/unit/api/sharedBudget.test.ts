import assert from 'node:assert/strict';
import { BudgetRegistry, processBudgets } from '../../../src/api/budgetRegistry';
import { keyFingerprint } from '../../../src/api/keyFingerprint';
import type { GateReport, SendPermits } from '../../../src/api/sendPermits';
import { VastClient } from '../../../src/api/vastClient';
import { startSimulator, type Simulator } from '../../../src/simulator';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { checkKeyWithVast } from '../../../src/ui/keyCheck';
import { Session } from '../../../src/ui/session';
import { DEFAULT_SETTINGS } from '../../../src/ui/settings';
import type { EndpointClass } from '../../../src/vast/endpoints';
import { VirtualClock } from '../../support/virtualClock';

describe('one rate-limit budget per API host and key, in a process', () => {
  let clock: VirtualClock;
  let sim: Simulator;
  let start: number;
  const clients: VastClient[] = [];

  beforeEach(async () => {
    clock = new VirtualClock();
    start = clock.now();
    sim = await startSimulator({ seed: 7, clock, instances: 2, apiKeys: ['sim-key-one-0123456789', 'sim-key-two-0123456789'] });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await sim.close();
    clock.uninstall();
  });

  function client(apiKey = sim.apiKey, options: Partial<ConstructorParameters<typeof VastClient>[0]> = {}): VastClient {
    const made = new VastClient({ apiKey, baseUrl: sim.url, clock, random: mulberry32(3), ...options });
    clients.push(made);
    return made;
  }

  /** Server-side [ms since start, status] of one endpoint. */
  function served(endpoint: EndpointClass): Array<[number, number]> {
    return sim.log.entries().filter((e) => e.endpoint === endpoint).map((e) => [e.at - start, e.status]);
  }

  it('two clients on the same host and key share one set of gates: spaced, no 429', async () => {
    const a = client();
    const b = client();
    assert.equal(a.rateLimits, b.rateLimits);
    await clock.run(Promise.all([a.currentUser(), b.currentUser(), a.currentUser(), b.currentUser()]));
    assert.deepEqual(served('user'), [[0, 200], [1050, 200], [2100, 200], [3150, 200]]);
  });

  it('a different key (or host) gets its own budget', async () => {
    const a = client();
    const other = client('sim-key-two-0123456789');
    assert.notEqual(a.rateLimits, other.rateLimits);
    await clock.run(Promise.all([a.currentUser(), other.currentUser()]));
    assert.deepEqual(served('user'), [[0, 200], [0, 200]]);
  });

  it('names budgets by a hash of the key: the key is in no id', () => {
    const a = client();
    const id = a.rateLimits.id;
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.ok(!id.includes(sim.apiKey) && !keyFingerprint(sim.apiKey).includes(sim.apiKey));
    assert.notEqual(keyFingerprint('a'), keyFingerprint('b'));
  });

  it('Set API Key then session start: the key check and the first poll share the budget, 0 429s', async () => {
    const settings = { ...DEFAULT_SETTINGS, apiUrl: sim.url };
    const user = await clock.run(checkKeyWithVast(sim.apiKey, settings, clock, new AbortController().signal));
    assert.equal(typeof user.id, 'number');
    const session = Session.forKey(sim.apiKey, settings, clock);
    try {
      await clock.run(Promise.all([session.refreshAccount(), session.monitor.refresh()]));
      const statuses = sim.log.entries().map((e) => e.status);
      assert.ok(!statuses.includes(429), `statuses: ${statuses.join(',')}`);
      const users = served('user');
      assert.equal(users.length, 2);
      assert.ok(users[1][0] - users[0][0] >= 1000, 'the session waited out the check\'s interval');
    } finally {
      await session.dispose();
    }
  });

  it('options combine to the strictest while both clients live, and relax when one leaves', () => {
    const relaxed = client(sim.apiKey, { intervalsMs: { instances: 200 }, spacingMarginMs: 0 });
    const gate = relaxed.rateLimits.get('instances');
    assert.deepEqual([gate.state().intervalMs, gate.state().intervalSource], [200, 'configured']);
    const strict = client(sim.apiKey, { intervalsMs: { instances: 4000 } });
    assert.deepEqual([gate.state().intervalMs, gate.state().intervalSource], [4000, 'configured']);
    const plain = client(sim.apiKey);
    assert.equal(gate.state().intervalMs, 4000);
    strict.dispose();
    assert.deepEqual([gate.state().intervalMs, gate.state().intervalSource], [1000, 'published'], 'the plain client still counts with the published figure');
    plain.dispose();
    assert.deepEqual([gate.state().intervalMs, gate.state().intervalSource], [200, 'configured']);
  });

  it('a disposed client\'s spacing and cooldowns stay with the budget for the next client', async () => {
    const first = client();
    await clock.run(first.currentUser());
    first.dispose();
    const second = client();
    await clock.run(second.currentUser());
    assert.deepEqual(served('user'), [[0, 200], [1050, 200]]);
  });

  it('a separate registry (or clock) is a separate budget', () => {
    const a = client();
    const b = client(sim.apiKey, { budgets: new BudgetRegistry() });
    assert.notEqual(a.rateLimits, b.rateLimits);
    assert.equal(a.rateLimits, processBudgets.budgetFor({ origin: sim.url, apiKey: sim.apiKey, clock, maxWaitMs: 1 }));
  });

  it('the permits seam: a coordinator is asked for every send and told every 429', async () => {
    sim.limits.set({ intervalsMs: { user: 5000 } });
    const asked: EndpointClass[] = [];
    const reports: Array<[EndpointClass, GateReport['kind']]> = [];
    const permits: SendPermits = {
      permit: async (endpoint) => {
        asked.push(endpoint);
      },
      report: (endpoint, report) => reports.push([endpoint, report.kind]),
    };
    const a = client();
    const seam = a.rateLimits.usePermits(permits);
    await clock.run(Promise.all([a.currentUser(), a.currentUser()]));
    assert.deepEqual(asked, ['user', 'user', 'user'], 'two requests and the retry after the 429');
    assert.deepEqual(
      reports.map(([, kind]) => kind),
      ['interval', 'rate-limited'],
      'the learned threshold, then the cooldown',
    );
    seam.dispose();
    await clock.run(a.currentUser());
    assert.equal(asked.length, 3, 'local permits again');
  });
});
