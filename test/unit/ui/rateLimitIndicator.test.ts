import assert from 'node:assert/strict';
import type { GateState } from '../../../src/api/endpointGate';
import type { MonitorSnapshot } from '../../../src/monitor/instanceMonitor';
import { RateLimitIndicator, WARNING_AFTER_MS, sharingText, type IndicatorInput } from '../../../src/ui/rateLimitIndicator';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

function gate(overrides: Partial<GateState> = {}): GateState {
  return {
    endpoint: 'search',
    title: 'search offers',
    intervalMs: 6000,
    intervalSource: 'published',
    queued: 0,
    inFlight: 0,
    rateLimitedTotal: 0,
    rateLimitedRecent: 0,
    ...overrides,
  };
}

function snapshot(overrides: Partial<MonitorSnapshot> = {}): MonitorSnapshot {
  return { instances: new Map(), polledAt: T0 - 10_000, stale: false, polling: false, nextPollAt: T0 + 20_000, ...overrides };
}

function input(overrides: Partial<IndicatorInput> = {}): IndicatorInput {
  return { now: T0, gates: [gate()], monitor: snapshot(), key: 'ok', simulated: false, ...overrides };
}

describe('status bar rate-limit indicator', () => {
  it('all clear', () => {
    const view = new RateLimitIndicator().render(input());
    assert.equal(view.state, 'clear');
    assert.equal(view.text, '$(check) Vast.ai');
    assert.equal(view.background, undefined);
  });

  it('throttled: which endpoint and a countdown, ticking; warning only once it persists', () => {
    const indicator = new RateLimitIndicator();
    const cooling = (now: number) => input({ now, gates: [gate({ cooldownUntil: T0 + 45_000, cooldownReason: 'threshold=6', lastRequestAt: T0 - 1000, rateLimitedRecent: 1, rateLimitedTotal: 1 })] });
    const first = indicator.render(cooling(T0));
    assert.equal(first.state, 'throttled');
    assert.equal(first.text, '$(watch) Vast.ai: waiting 45 s (rate limit)');
    assert.equal(first.ticking, true);
    assert.equal(first.background, undefined, 'no warning on a single 429');
    const later = indicator.render(cooling(T0 + WARNING_AFTER_MS));
    assert.equal(later.text, '$(watch) Vast.ai: waiting 25 s (rate limit)');
    assert.equal(later.background, 'warning');
    assert.match(later.tooltip, /\| search offers \| 6\.0 s \(Vast\.ai's published limit\) \| 0 \| 0 \| 1 \| 25 s \(Vast\\?\.ai asked for 6 s between requests\) \|/);
  });

  it('a blip does not blink: the warning clock restarts when the condition clears', () => {
    const indicator = new RateLimitIndicator();
    const throttled = (now: number) => input({ now, gates: [gate({ cooldownUntil: now + 5000 })] });
    indicator.render(throttled(T0));
    indicator.render(input({ now: T0 + 6000 }));
    const again = indicator.render(throttled(T0 + WARNING_AFTER_MS + 1000));
    assert.equal(again.background, undefined);
  });

  it('serving cached data: a stale search, or a rate-limited instance list', () => {
    const staleSearch = new RateLimitIndicator().render(input({ staleSearch: { at: T0 - 1000, ageMs: 5 * 60_000 } }));
    assert.equal(staleSearch.state, 'cached');
    assert.equal(staleSearch.text, '$(history) Vast.ai: rate-limited, search 5 min old');
    const limitedList = new RateLimitIndicator().render(
      input({ monitor: snapshot({ stale: true, polledAt: T0 - 120_000, lastError: { at: T0, message: 'quota', kind: 'rate-limited' } }) }),
    );
    assert.equal(limitedList.state, 'cached');
    assert.equal(limitedList.text, '$(history) Vast.ai: rate-limited, list 2 min old');
    const expired = new RateLimitIndicator().render(input({ staleSearch: { at: T0 - 3 * 60_000, ageMs: 60_000 } }));
    assert.equal(expired.state, 'clear');
  });

  it('offline: the last poll failed, saying how old the data is', () => {
    const view = new RateLimitIndicator().render(
      input({ monitor: snapshot({ stale: true, polledAt: T0 - 90_000, lastError: { at: T0, message: 'Could not reach Vast.ai', kind: 'network' } }) }),
    );
    assert.equal(view.state, 'offline');
    assert.equal(view.text, '$(debug-disconnect) Vast.ai: offline, list 1 min 30 s old');
    assert.match(view.tooltip, /Last error: Could not reach Vast\\?\.ai/);
  });

  it('key problem wins over everything, with the error background at once', () => {
    const view = new RateLimitIndicator().render(input({ key: 'rejected', gates: [gate({ cooldownUntil: T0 + 5000 })] }));
    assert.equal(view.state, 'key-problem');
    assert.equal(view.background, 'error');
    assert.equal(new RateLimitIndicator().render(input({ monitor: snapshot({ lastError: { at: T0, message: 'x', kind: 'auth' } }) })).state, 'key-problem');
    assert.equal(new RateLimitIndicator().render(input({ key: 'missing' })).state, 'no-key');
  });

  it('says when the simulator is in use', () => {
    assert.equal(new RateLimitIndicator().render(input({ simulated: true })).text, '$(check) Vast.ai (simulator)');
  });

  it('tooltip: per-endpoint interval and source, queue, in flight, 429s; last and next poll', () => {
    const view = new RateLimitIndicator().render(
      input({ gates: [gate({ queued: 3, inFlight: 1, lastRequestAt: T0, intervalMs: 6300, intervalSource: 'learned', rateLimitedRecent: 2 }), gate({ endpoint: 'user', title: 'current user' })] }),
    );
    assert.match(view.tooltip, /\| search offers \| 6\.3 s \(learned: Vast\.ai asked for more\) \| 3 \| 1 \| 2 \| {2}\|/);
    assert.match(view.tooltip, /\*Learned\*: Vast\.ai's "too many requests" answer said how long to wait/);
    assert.ok(!view.tooltip.includes('current user'), 'idle endpoints are left out');
    assert.match(view.tooltip, /Last poll: 11:59:50 UTC, 10 s ago/);
    assert.match(view.tooltip, /Next poll: in 20 s/);
  });

  describe('driven by a real client and monitor against the simulator', () => {
    let h: ClientHarness;
    let monitor: InstanceMonitor;
    afterEach(async () => {
      monitor.dispose();
      await h.close();
    });

    it('goes clear → throttled → clear as the simulator throttles hard and recovers', async () => {
      h = await startClientHarness({ simulator: { instances: 2 } });
      monitor = new InstanceMonitor(h.client, { clock: h.clock });
      const indicator = new RateLimitIndicator();
      const view = () => indicator.render({ now: h.clock.now(), gates: h.client.rateLimits.states(), monitor: monitor.snapshot, key: 'ok', simulated: true });
      await h.run(monitor.refresh());
      assert.equal(view().state, 'clear');
      h.sim.limits.storm(30_000);
      const refreshing = monitor.refresh();
      await h.clock.advance(1500);
      assert.equal(view().state, 'throttled');
      await h.run(refreshing);
      await h.clock.advance(60_000);
      assert.equal(view().state, 'clear');
    });
  });
});

describe('status bar: a budget shared with other processes', () => {
  it('says how many other windows (and scripts) share the key, while all is clear, and explains it in the tooltip', () => {
    const view = new RateLimitIndicator().render(input({ sharedWith: [{ kind: 'window' }, { kind: 'window' }] }));
    assert.equal(view.text, '$(check) Vast.ai · shared with 2 other windows');
    assert.match(view.tooltip, /Rate limits shared with 2 other windows: one budget per key on this machine/);
    assert.equal(sharingText([{ kind: 'window' }, { kind: 'script' }]), 'shared with 1 other window and 1 script');
    assert.equal(sharingText([{ kind: 'script' }]), 'shared with 1 other script');
  });

  it('says nothing about sharing when alone, and a throttled state keeps its own text', () => {
    assert.equal(new RateLimitIndicator().render(input({ sharedWith: [] })).text, '$(check) Vast.ai');
    const throttled = new RateLimitIndicator().render(
      input({ sharedWith: [{ kind: 'window' }], gates: [gate({ cooldownUntil: T0 + 5000, cooldownReason: '429' })] }),
    );
    assert.equal(throttled.state, 'throttled');
    assert.ok(!throttled.text.includes('shared'), throttled.text);
    assert.match(throttled.tooltip, /shared with 1 other window/);
  });
});
