import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { budgetFingerprint } from '../../../src/coordination/fingerprint';
import { HandshakeRefused, joinLeader } from '../../../src/coordination/handshake';
import { MessageChannel } from '../../../src/coordination/messageChannel';
import { Coordinator } from '../../../src/coordination/coordinator';
import { ParticipantProcess, firstTo } from './participantProcess';

const KEY = 'a'.repeat(64);
const HOST = 'http://127.0.0.1:9';

// Real child processes: each one starts Node with tsx, which takes seconds on a loaded machine.
describe('budget coordination across processes: election, hand-over, refusal', function () {
  this.timeout(240_000);
  let dir: string;
  const started: ParticipantProcess[] = [];
  const start = (apiKey = KEY) => {
    const participant = new ParticipantProcess({ mode: 'coordinator', dir, host: HOST, apiKey });
    started.push(participant);
    return participant;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-coord-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.kill('SIGKILL')));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the first process leads, the next follow, calls from followers run on the leader, and the socket is private', async () => {
    const a = start();
    await a.waitFor((e) => e.ev === 'role' && e.role === 'leader', 'A leading');
    const b = start();
    const c = start();
    await b.waitFor((e) => e.ev === 'role' && e.role === 'follower', 'B following');
    await c.waitFor((e) => e.ev === 'role' && e.role === 'follower', 'C following');
    await a.waitFor((e) => e.ev === 'participants' && e.n === 3, 'A seeing three participants');
    b.send({ cmd: 'call', method: 'who' });
    const answer = await b.waitFor((e) => e.ev === 'result', "B's call answered");
    assert.deepEqual(answer.value, { pid: a.pid });

    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const sockets = fs.readdirSync(dir).filter((name) => name.endsWith('.sock'));
    assert.deepEqual(sockets, [`${budgetFingerprint(HOST, KEY)}.sock`]);
    assert.ok(!sockets[0].includes(KEY.slice(0, 8)), 'the socket name does not contain the key');
    assert.equal(fs.statSync(path.join(dir, sockets[0])).mode & 0o777, 0o600);
  });

  it('when the leader is killed with SIGKILL, a follower takes over and the other follows it', async () => {
    const a = start();
    await a.waitFor((e) => e.ev === 'role' && e.role === 'leader', 'A leading');
    const b = start();
    const c = start();
    await b.waitFor((e) => e.ev === 'role' && e.role === 'follower', 'B following');
    await c.waitFor((e) => e.ev === 'role' && e.role === 'follower', 'C following');
    const marks = [b.events.length, c.events.length];
    await a.kill('SIGKILL');
    const first = await firstTo([b, c], (e) => e.ev === 'role' && e.role === 'leader', 'B or C leading');
    const other = first === b ? c : b;
    await other.waitFor((e) => e.ev === 'participants' && e.n === 2, 'the other joining the new leader', 120_000, marks[first === b ? 1 : 0]);
    assert.equal(other.last('role')?.role, 'follower');
    other.send({ cmd: 'call', method: 'who' });
    const answer = await other.waitFor((e) => e.ev === 'result', 'a call answered by the new leader');
    assert.deepEqual(answer.value, { pid: first.pid });
  });

  it('a process that cannot prove it holds the key is refused, and the leader says so without the key', async () => {
    const a = start();
    await a.waitFor((e) => e.ev === 'role' && e.role === 'leader', 'A leading');
    const socket = net.connect(path.join(dir, `${budgetFingerprint(HOST, KEY)}.sock`));
    await new Promise((resolve) => socket.once('connect', resolve));
    const channel = new MessageChannel(socket);
    // Right budget name, wrong key: the HMAC over the leader's challenge cannot match.
    await assert.rejects(joinLeader(channel, 'b'.repeat(64), budgetFingerprint(HOST, KEY), { pid: process.pid, kind: 'script' }), HandshakeRefused);
    const refusal = await a.waitFor((e) => e.ev === 'log' && /refused/.test(String(e.line)), 'the leader logging the refusal');
    assert.ok(!String(refusal.line).includes(KEY));
    // The leader still serves the right key.
    const b = start();
    await b.waitFor((e) => e.ev === 'role' && e.role === 'follower', 'B following');
  });

  it('a process with another key gets a budget of its own', async () => {
    const a = start();
    await a.waitFor((e) => e.ev === 'role' && e.role === 'leader', 'A leading');
    const other = start('c'.repeat(64));
    await other.waitFor((e) => e.ev === 'role' && e.role === 'leader', 'the other key leading its own budget');
  });

  it('a socket held by a process without the key is not trusted: the joiner runs standalone and says why once', async () => {
    // A squatter on the socket name answers the challenge with a proof it cannot make.
    const endpoint = path.join(dir, `${budgetFingerprint(HOST, KEY)}.sock`);
    const squatter = net.createServer((socket) => {
      const channel = new MessageChannel(socket);
      channel.send({ t: 'hello', v: 1, nonce: 'f'.repeat(64) });
      channel.onMessage((message) => {
        if (message.t === 'auth') channel.send({ t: 'welcome', proof: '0'.repeat(64) });
      });
    });
    await new Promise<void>((resolve) => squatter.listen(endpoint, resolve));
    try {
      const lines: string[] = [];
      const coordinator = await Coordinator.join({ host: HOST, apiKey: KEY, dir, log: (line) => lines.push(line) });
      assert.equal(coordinator.role, 'standalone');
      assert.equal(lines.filter((line) => /not shared/.test(line)).length, 1, lines.join('\n'));
      coordinator.handle('who', () => 'me');
      assert.equal(await coordinator.call('who'), 'me', 'a standalone process serves itself');
      coordinator.dispose();
    } finally {
      squatter.close();
    }
  });

  it('a socket directory that cannot be made is a clear error (the caller then runs standalone)', async () => {
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, '');
    await assert.rejects(Coordinator.join({ host: HOST, apiKey: KEY, dir: path.join(file, 'sockets') }), /cannot create/);
  });
});
