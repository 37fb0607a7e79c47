import assert from 'node:assert/strict';
import { DEMO_INSTANCES } from '../../../src/simulator/demoScenario';
import { Session } from '../../../src/ui/session';
import { DEFAULT_SETTINGS } from '../../../src/ui/settings';
import { VirtualClock } from '../../support/virtualClock';

describe('Session', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = new VirtualClock();
  });
  afterEach(() => clock.uninstall());

  it('the demo session runs the simulator in-process with a few instances in various states, rate limits on', async () => {
    const session = await Session.simulated({ ...DEFAULT_SETTINGS, refreshIntervalSeconds: 45 }, clock);
    try {
      assert.equal(session.simulated, true);
      const snapshot = await clock.run(session.monitor.refresh());
      assert.equal(snapshot.instances.size, DEMO_INSTANCES.length);
      const statuses = new Set([...snapshot.instances.values()].map((i) => i.actual_status));
      for (const status of ['running', 'loading', 'stopped', 'exited']) assert.ok(statuses.has(status as never), status);
      assert.equal(session.simulator!.limits.settings.enabled, true);
      const user = await clock.run(session.refreshAccount());
      assert.equal(session.account, user);
      assert.equal(user.credit, 48.2);
    } finally {
      await session.dispose();
    }
  });

  it('a key session takes its settings: host, retry cap, intervals, cache lifetime', async () => {
    const demo = await Session.simulated(DEFAULT_SETTINGS, clock);
    const session = Session.forKey(demo.simulator!.apiKey, { ...DEFAULT_SETTINGS, apiUrl: demo.simulator!.url, requestIntervalsMs: { instances: 3000 }, maxRetries: 2 }, clock);
    try {
      assert.equal(session.simulated, false);
      assert.equal(session.client.baseUrl, demo.simulator!.url);
      const gate = session.client.rateLimits.get('instances').state();
      assert.deepEqual([gate.intervalMs, gate.intervalSource], [3000, 'configured']);
      assert.equal((await clock.run(session.monitor.refresh())).instances.size, DEMO_INSTANCES.length);
    } finally {
      await session.dispose();
      await demo.dispose();
    }
  });

  it('refuses a plain-http API URL that is not loopback', () => {
    assert.throws(() => Session.forKey('k'.repeat(32), { ...DEFAULT_SETTINGS, apiUrl: 'http://vast.example.com' }, clock), /must use https/);
  });
});
