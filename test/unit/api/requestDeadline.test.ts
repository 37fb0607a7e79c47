import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import fetch from 'node-fetch';
import { isVastApiError } from '../../../src/api/errors';
import { RequestDeadline } from '../../../src/api/requestDeadline';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { VirtualClock } from '../../support/virtualClock';

describe('RequestDeadline (the abort signal node-fetch gets)', () => {
  let clock: VirtualClock;
  beforeEach(() => (clock = new VirtualClock()));
  afterEach(() => clock.uninstall());

  it('aborts its listeners when the time is up on the clock, and says it timed out', async () => {
    const deadline = new RequestDeadline(clock, 1000);
    let calls = 0;
    deadline.addEventListener('abort', () => calls++);
    await clock.advance(999);
    assert.equal(deadline.aborted, false);
    await clock.advance(1);
    assert.equal(deadline.aborted, true);
    assert.equal(deadline.timedOut(), true);
    assert.equal(calls, 1);
    assert.throws(() => deadline.throwIfAborted(), /timed out after 1000 ms/);
  });

  it("aborts with the caller's reason when the caller's signal aborts, and is not a timeout", () => {
    const caller = new AbortController();
    const deadline = new RequestDeadline(clock, 1000, caller.signal);
    let calls = 0;
    deadline.addEventListener('abort', () => calls++);
    caller.abort(new Error('user cancelled'));
    assert.equal(deadline.aborted, true);
    assert.equal(deadline.timedOut(), false);
    assert.equal((deadline.reason as Error).message, 'user cancelled');
    assert.equal(calls, 1);
  });

  it('starts aborted when the caller already gave up', () => {
    const caller = new AbortController();
    caller.abort(new Error('too late'));
    const deadline = new RequestDeadline(clock, 1000, caller.signal);
    assert.equal(deadline.aborted, true);
    deadline.dispose();
  });

  it('after dispose: no timer left, no listener on the caller signal, removed listeners are not called', () => {
    const caller = new AbortController();
    const timersBefore = clock.pendingTimers();
    const deadline = new RequestDeadline(clock, 1000, caller.signal);
    let calls = 0;
    const listener = () => calls++;
    deadline.addEventListener('abort', listener);
    deadline.addEventListener('abort', listener); // once, as on an EventTarget
    deadline.removeEventListener('abort', listener);
    assert.equal(getEventListeners(caller.signal, 'abort').length, 1);
    deadline.dispose();
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
    assert.equal(clock.pendingTimers(), timersBefore);
    caller.abort();
    assert.equal(calls, 0);
  });
});

describe('RequestDeadline with node-fetch, over real HTTP', () => {
  let h: ClientHarness;
  beforeEach(async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { maxRetries: 0, requestTimeoutMs: 5_000 } });
  });
  afterEach(async () => h.close());

  it('node-fetch takes it as a signal and aborts a hung request at the deadline', async () => {
    h.sim.faults.add({ kind: 'hang', endpoint: 'user' });
    await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => isVastApiError(e, 'network') && /no answer within 5 s/.test(e.message));
  });

  it("a caller's abort stops a request in flight: the caller's reason is thrown, nothing is retried", async () => {
    h.sim.faults.add({ kind: 'hang', endpoint: 'user' });
    const caller = new AbortController();
    const request = h.client.currentUser({ signal: caller.signal });
    h.clock.setTimeout(() => caller.abort(new Error('closed the view')), 1_000);
    await assert.rejects(h.run(request), /closed the view/);
    assert.equal(h.sim.log.entries().filter((e) => e.endpoint === 'user').length, 1);
  });

  it('node-fetch rejects with its AbortError when the deadline passes before the answer', async () => {
    const deadline = new RequestDeadline(h.clock, 1_000);
    h.sim.faults.add({ kind: 'slow', endpoint: 'user', delayMs: 5_000 });
    const response = h.run(fetch(`${h.sim.url}/api/v0/users/current/`, { headers: { Authorization: `Bearer ${h.sim.apiKey}` }, signal: deadline.signal }));
    await assert.rejects(response, { name: 'AbortError' });
    assert.equal(deadline.timedOut(), true);
    deadline.dispose();
  });
});
