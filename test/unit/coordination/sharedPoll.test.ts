import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RequestLogEntry, type Simulator } from '../../../src/simulator';
import { ParticipantProcess, firstTo, type ParticipantEvent } from './participantProcess';

const WAITED_ID = 4242;
const OTHER_WAITED_ID = 4343;
/** InstanceMonitor's fast polls during a wait (90 % of its 5 s fast interval). */
const WAIT_CADENCE_MS = 4500;
const idPolls = (entry: RequestLogEntry) => entry.endpoint === 'instances' && (entry.filteredBy ?? []).includes('id');
const sentLists = (p: ParticipantProcess) => p.events.filter((e) => e.ev === 'sent' && e.endpoint === 'instances').length;
const snapshots = (p: ParticipantProcess) => p.events.filter((e) => e.ev === 'snapshot').length;
const isRole = (role: string) => (e: ParticipantEvent) => e.ev === 'role' && e.role === role;

/** Resolves once `test` holds (checked every 100 ms), or fails after a generous bound. */
async function waitUntil(test: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILLs the leader; resolves once one of `others` leads and the rest follow it. */
async function killLeader(leader: ParticipantProcess, others: [ParticipantProcess, ParticipantProcess]): Promise<{ leader: ParticipantProcess; follower: ParticipantProcess }> {
  const marks = others.map((p) => p.events.length);
  await leader.kill('SIGKILL');
  const next = await firstTo(others, isRole('leader'), 'B or C leading');
  const follower = next === others[0] ? others[1] : others[0];
  await follower.waitFor((e) => e.ev === 'participants' && e.n === 2, 'the other following the new leader', 120_000, marks[others.indexOf(follower)]);
  return { leader: next, follower };
}

/** The participant's wait ends, and it ends with the instance running. */
async function assertWaited(p: ParticipantProcess, id: number): Promise<void> {
  const waited = await p.waitFor((e) => e.ev === 'waited' || e.ev === 'wait-failed', 'the wait to finish');
  assert.deepEqual([waited.ev, waited.id], ['waited', id], JSON.stringify(waited));
}

// Each participant is a real process with a VastClient and an InstanceMonitor (a visible view and a
// pending wait), against the simulator on 127.0.0.1 with Vast's limits on, in real time.
describe('one budget and one instance poll per key across processes', function () {
  this.timeout(300_000);
  let dir: string;
  let sim: Simulator;
  const started: ParticipantProcess[] = [];
  const start = (options: { share?: boolean; dir?: string; waitFor?: number } = {}) => {
    const participant = new ParticipantProcess({
      mode: 'client',
      dir: options.dir ?? dir,
      host: sim.url,
      apiKey: sim.apiKey,
      subscribe: true,
      waitFor: options.waitFor ?? WAITED_ID,
      share: options.share,
    });
    started.push(participant);
    return participant;
  };

  /** Every test starts its own simulator (a few instances unless it asks for a fleet). */
  const startSim = (others = 1, extraWaited: number[] = []) =>
    startSimulator({
      seed: 9,
      instances: [
        ...[WAITED_ID, ...extraWaited].map((id) => ({ id, label: `wait-for-${id}`, status: 'loading' as const, nextInMs: 3600_000, outcome: 'running' as const })),
        ...Array.from({ length: others }, (_, i) => ({ label: `other-${i}` })),
      ],
    });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-coord-'));
    sim = await startSim();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.kill('SIGKILL')));
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("followers never poll: the leader's polls feed their trees and waits; after the leader is SIGKILLed a follower takes over and every wait completes", async () => {
    const a = start();
    await a.waitFor(isRole('leader'), 'A leading');
    const b = start();
    const c = start();
    await b.waitFor(isRole('follower'), 'B following');
    await c.waitFor(isRole('follower'), 'C following');
    // Each follower's monitor gets several snapshots (its first, then the leader's ticks) ...
    await b.waitFor(() => snapshots(b) >= 3, 'three snapshots in B');
    await c.waitFor(() => snapshots(c) >= 3, 'three snapshots in C');
    // ... without a single list request of its own: one poll per tick for the machine.
    assert.equal(sentLists(b), 0, 'B sent list requests');
    assert.equal(sentLists(c), 0, 'C sent list requests');
    assert.ok(sentLists(a) >= 1);
    const listsBeforeKill = sim.log.count({ endpoint: 'instances' });
    assert.equal(listsBeforeKill, sentLists(a), 'every list request in the log came from the leader');

    const { follower } = await killLeader(a, [b, c]);
    const followerSentBefore = sentLists(follower);

    // The waits started before the hand-over complete after it.
    sim.instances.setStatus(WAITED_ID, 'running');
    for (const p of [b, c]) await assertWaited(p, WAITED_ID);
    assert.equal(sentLists(follower), followerSentBefore, 'the remaining follower still sends no list request');
    assert.equal(sim.log.count({ status: 429 }), 0, 'no 429 from our own processes');
  });

  it('500 instances, two processes each waiting on its own instance: the waits are served by id-filtered polls the leader merges, at one process\'s fast cadence', async () => {
    await sim.close();
    sim = await startSim(498, [OTHER_WAITED_ID]);
    const a = start({ waitFor: WAITED_ID });
    await a.waitFor(isRole('leader'), 'A leading');
    const b = start({ waitFor: OTHER_WAITED_ID });
    await b.waitFor(isRole('follower'), 'B following');
    // Both are up and polling: each has had a full snapshot of the fleet.
    await a.waitFor((e) => e.ev === 'snapshot' && e.count === 500, 'a full snapshot in A');
    await b.waitFor((e) => e.ev === 'snapshot' && e.count === 500, 'a full snapshot in B');
    const from = Date.now();
    const windowMs = 8 * WAIT_CADENCE_MS;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const inWindow = sim.log.entries((entry) => entry.endpoint === 'instances' && entry.at >= from && entry.at < from + windowMs);
    const filtered = inWindow.filter(idPolls).length;
    // Two processes polling their waits on their own would send about twice this; one machine-wide
    // train of id polls sends at most one per cadence (a load-slowed machine sends fewer).
    assert.ok(filtered >= 2, `${filtered} id-filtered requests in ${windowMs} ms`);
    assert.ok(filtered <= windowMs / WAIT_CADENCE_MS + 1, `${filtered} id-filtered requests in ${windowMs} ms: more than one process's fast cadence`);
    assert.equal(sentLists(b), 0, 'the follower sent list requests of its own');
    assert.equal(sim.log.count({ status: 429 }), 0, 'no 429 from our own processes');

    // Each wait resolves, from the merged id polls.
    const mark = sim.log.count();
    sim.instances.setStatus(WAITED_ID, 'running');
    sim.instances.setStatus(OTHER_WAITED_ID, 'running');
    await assertWaited(a, WAITED_ID);
    await assertWaited(b, OTHER_WAITED_ID);
    assert.ok(sim.log.entries().slice(mark).some(idPolls), 'no id-filtered poll after the instances ran');
  });

  it('id-filtered waits go on after the leader is SIGKILLed: the unanswered id polls are re-sent to the new leader and every wait completes', async () => {
    const a = start({ waitFor: WAITED_ID });
    await a.waitFor(isRole('leader'), 'A leading');
    const b = start({ waitFor: WAITED_ID });
    const c = start({ waitFor: WAITED_ID });
    await b.waitFor(isRole('follower'), 'B following');
    await c.waitFor(isRole('follower'), 'C following');
    await b.waitFor(() => snapshots(b) >= 1, 'a snapshot in B');
    await c.waitFor(() => snapshots(c) >= 1, 'a snapshot in C');
    await waitUntil(() => sim.log.count(idPolls) >= 1, 'an id-filtered poll before the kill');

    const { follower } = await killLeader(a, [b, c]);
    const afterKill = sim.log.count();
    // The new leader serves the id polls (the follower's included) before the instance runs.
    await waitUntil(() => sim.log.entries().slice(afterKill).some(idPolls), 'an id-filtered poll from the new leader');
    const followerSentBefore = sentLists(follower);

    sim.instances.setStatus(WAITED_ID, 'running');
    for (const p of [b, c]) await assertWaited(p, WAITED_ID);
    assert.equal(sentLists(follower), followerSentBefore, 'the remaining follower still sends no list request');
  });

  it("a follower's sends take their slots from the leader's gate: two processes' bursts on one endpoint stay spaced at the server", async () => {
    const a = start();
    await a.waitFor(isRole('leader'), 'A leading');
    const b = start();
    await b.waitFor(isRole('follower'), 'B following');
    for (let i = 0; i < 4; i++) {
      a.send({ cmd: 'user' });
      b.send({ cmd: 'user' });
    }
    for (const p of [a, b]) await p.waitFor(() => p.events.filter((e) => e.ev === 'result' && e.cmd === 'user').length === 4, 'four answers');
    const users = sim.log.entries({ endpoint: 'user' });
    assert.equal(users.length, 8, JSON.stringify(users));
    const gaps = users.slice(1).map((entry, i) => entry.at - users[i].at);
    // The published interval is 1 s; two processes spacing only their own requests would interleave closer.
    assert.ok(Math.min(...gaps) >= 900, `gaps at the server: ${gaps.join(', ')} ms`);
    assert.equal(sim.log.count({ status: 429 }), 0);
  });

  it('with sharing off, each process keeps its own budget and polls for itself', async () => {
    const a = start({ share: false });
    const b = start({ share: false });
    await a.waitFor(isRole('off'), 'A not sharing');
    await b.waitFor(isRole('off'), 'B not sharing');
    await a.waitFor(() => sentLists(a) >= 1, 'A polling');
    await b.waitFor(() => sentLists(b) >= 1, 'B polling');
    assert.deepEqual(fs.readdirSync(dir), [], 'no socket was made');
  });

  it('when the local channel cannot be set up, the process runs standalone, polls for itself and logs one line why', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const a = start({ dir: path.join(file, 'sockets') });
    await a.waitFor(isRole('off'), 'A standalone');
    await a.waitFor(() => sentLists(a) >= 1, 'A polling');
    const lines = a.events.filter((e) => e.ev === 'log').map((e) => String(e.line));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /not shared with other processes: cannot create/);
    assert.ok(!lines[0].includes(sim.apiKey));
  });
});
