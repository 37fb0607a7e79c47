import assert from 'node:assert/strict';
import { MERGED_ID_POLL_SPACING_MS, MergedIdPolls, type IdPoller } from '../../../src/coordination/mergedIdPolls';
import { DEFAULT_POLL_POLICY, waitPollDelayMs } from '../../../src/monitor/pollSchedule';
import type { Instance } from '../../../src/vast/types';
import { VirtualClock } from '../../support/virtualClock';

const SPACING = 4500;
const row = (id: number) => ({ id, actual_status: 'loading' }) as unknown as Instance;

interface Sent {
  at: number;
  ids: readonly number[];
  signal: AbortSignal;
  answer(rows?: Instance[]): void;
  fail(error: unknown): void;
}

// The leader's merging of every process's id polls, on a virtual clock; the poller records what it
// was asked (the multi-process tests in sharedPoll.test.ts count the requests at the simulator).
describe('MergedIdPolls: one id-filtered poll per tick for every process', () => {
  let clock: VirtualClock;
  let sent: Sent[];
  let autoAnswer: boolean;
  let hasPoller: boolean;
  let polls: MergedIdPolls;
  const poller: IdPoller = (ids, signal) =>
    new Promise<Instance[]>((resolve, reject) => {
      const entry: Sent = { at: clock.now(), ids, signal, answer: (rows) => resolve(rows ?? ids.map(row)), fail: reject };
      sent.push(entry);
      if (autoAnswer) clock.setTimeout(() => entry.answer(), 300);
    });

  beforeEach(() => {
    clock = new VirtualClock();
    sent = [];
    autoAnswer = true;
    hasPoller = true;
    polls = new MergedIdPolls({ spacingMs: SPACING, clock, poller: () => (hasPoller ? poller : undefined) });
  });
  afterEach(() => clock.uninstall());

  it("departs at a wait's fast cadence in the product (the monitor's, so every process's asks fall on the same departures)", () => {
    assert.equal(MERGED_ID_POLL_SPACING_MS, waitPollDelayMs(DEFAULT_POLL_POLICY));
  });

  it('asks made together leave as one request for the union of their ids; each asker gets only its rows', async () => {
    const a = polls.ask([7, 3], new AbortController().signal);
    const b = polls.ask([3, 9], new AbortController().signal);
    const [rowsA, rowsB] = await clock.run(Promise.all([a, b]));
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].ids, [3, 7, 9]);
    assert.deepEqual(rowsA.map((r) => r.id).sort(), [3, 7]);
    assert.deepEqual(rowsB.map((r) => r.id).sort(), [3, 9]);
  });

  it('an ask soon after a departure boards the next one, a spacing after the last', async () => {
    const start = clock.now();
    await clock.run(polls.ask([1], new AbortController().signal));
    await clock.advance(1000);
    await clock.run(polls.ask([2], new AbortController().signal));
    assert.deepEqual(
      sent.map((s) => s.at - start),
      [0, SPACING],
    );
  });

  it('two processes with fast polls every spacing, half a tick apart, share every departure: requests stay at one per tick', async () => {
    const start = clock.now();
    const answersAt: Record<string, number[]> = { a: [], b: [] };
    const stop = start + 60_000;
    // Each process re-asks a spacing after it last asked, like InstanceMonitor's fast polls during a wait.
    const process = async (name: string, id: number, offset: number) => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, offset));
      while (clock.now() < stop) {
        const askedAt = clock.now();
        await polls.ask([id], new AbortController().signal);
        answersAt[name].push(clock.now());
        await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.max(0, askedAt + SPACING - clock.now())));
      }
    };
    await clock.run(Promise.all([process('a', 1, 0), process('b', 2, SPACING / 2)]));
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i].at);
    assert.ok(Math.min(...gaps) >= SPACING, `gaps between requests: ${gaps.join(', ')}`);
    assert.ok(sent.length <= 60_000 / SPACING + 2, `${sent.length} requests in 60 s`);
    // After the first ride they share departures: most requests carry both processes' ids.
    assert.ok(sent.filter((s) => s.ids.length === 2).length >= sent.length - 2, JSON.stringify(sent.map((s) => s.ids)));
    // And neither process sees its rows less often than one tick (after the first alignment).
    for (const times of Object.values(answersAt)) {
      const answerGaps = times.slice(2).map((t, i) => t - times[i + 1]);
      assert.ok(Math.max(...answerGaps) <= SPACING, `gaps between answers: ${answerGaps.join(', ')}`);
    }
  });

  it('the next departure waits for the previous request to come back', async () => {
    autoAnswer = false;
    const first = polls.ask([1], new AbortController().signal);
    await clock.advance(0);
    const second = polls.ask([2], new AbortController().signal);
    await clock.advance(SPACING * 3);
    assert.equal(sent.length, 1, 'a second request left while the first was out');
    sent[0].answer();
    await clock.run(first);
    await clock.advance(0);
    assert.equal(sent.length, 2);
    sent[1].answer();
    assert.deepEqual((await clock.run(second)).map((r) => r.id), [2]);
  });

  it('an ask withdrawn before its departure leaves no request behind, and does not hold back the next ask', async () => {
    await clock.run(polls.ask([1], new AbortController().signal));
    const withdrawn = new AbortController();
    const asked = polls.ask([2], withdrawn.signal);
    asked.catch(() => undefined);
    withdrawn.abort(new Error('the wait ended'));
    await assert.rejects(asked, /the wait ended/);
    assert.equal(polls.waiting, 0);
    await clock.advance(SPACING * 2);
    assert.equal(sent.length, 1);
  });

  it('a request whose askers all went away is aborted (it may still be queued at the gate); one asker leaving keeps it for the others', async () => {
    autoAnswer = false;
    const one = new AbortController();
    const two = new AbortController();
    const first = polls.ask([1], one.signal);
    const second = polls.ask([2], two.signal);
    first.catch(() => undefined);
    second.catch(() => undefined);
    await clock.advance(0);
    assert.equal(sent.length, 1);
    one.abort(new Error('gone'));
    await clock.quiesce();
    assert.equal(sent[0].signal.aborted, false);
    two.abort(new Error('gone too'));
    await clock.quiesce();
    assert.equal(sent[0].signal.aborted, true);
  });

  it("a failed request fails every asker on it; without a poller the askers hear 'no-poller' (and poll for themselves)", async () => {
    autoAnswer = false;
    const a = polls.ask([1], new AbortController().signal);
    const b = polls.ask([2], new AbortController().signal);
    a.catch(() => undefined);
    b.catch(() => undefined);
    await clock.advance(0);
    sent[0].fail(new Error('HTTP 500'));
    await assert.rejects(a, /HTTP 500/);
    await assert.rejects(b, /HTTP 500/);
    hasPoller = false;
    const c = polls.ask([3], new AbortController().signal);
    c.catch(() => undefined);
    await clock.advance(SPACING);
    await assert.rejects(c, (error: { code?: string }) => error.code === 'no-poller');
  });
});
