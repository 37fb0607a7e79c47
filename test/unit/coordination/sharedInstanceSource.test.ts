import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isVastApiError } from '../../../src/api/errors';
import { Coordinator } from '../../../src/coordination/coordinator';
import { BY_IDS_METHOD, LIST_METHOD, PollHub } from '../../../src/coordination/pollHub';
import { SharedInstanceSource } from '../../../src/coordination/sharedInstanceSource';
import type { Instance } from '../../../src/vast/types';

const HOST = 'https://console.vast.ai';
const KEY = 'k'.repeat(64);

// A follower's SharedInstanceSource against a leader that answers whatever a test scripts: what comes
// over the socket is checked like a server's answer. Both ends in this process, on a real socket.
describe('SharedInstanceSource: what the leader sends is untrusted', () => {
  let dir: string;
  let leader: Coordinator;
  let follower: Coordinator;
  let source: SharedInstanceSource;
  const directCalls: string[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-shared-source-'));
    leader = await Coordinator.join({ host: HOST, apiKey: KEY, dir });
    follower = await Coordinator.join({ host: HOST, apiKey: KEY, dir });
    assert.deepEqual([leader.role, follower.role], ['leader', 'follower']);
    directCalls.length = 0;
    const direct = {
      listInstances: async () => (directCalls.push('list'), []),
      listInstancesById: async (ids: readonly number[]) => (directCalls.push(`byId ${ids.join(',')}`), ids.map((id) => ({ id }) as Instance)),
    };
    source = new SharedInstanceSource(Promise.resolve({ coordinator: follower, hub: new PollHub(follower) }), direct);
  });
  afterEach(() => {
    source.dispose();
    follower.dispose();
    leader.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('id-poll rows are re-checked: rows without a usable id are dropped, bad fields degrade, rows not asked for are ignored', async () => {
    leader.handle(BY_IDS_METHOD, () => ({
      instances: [{ id: 'seven' }, 'junk', null, { id: 7, actual_status: 'running', num_gpus: 'many' }, { id: 99, actual_status: 'running' }],
    }));
    const rows = await source.listInstancesById([7, 8]);
    assert.deepEqual(rows.map((row) => row.id), [7]);
    assert.equal(rows[0].actual_status, 'running');
    assert.equal(rows[0].num_gpus, null);
    assert.deepEqual(directCalls, []);
  });

  it('an id-poll answer that is not a list of rows is an invalid-response error, not a crash', async () => {
    leader.handle(BY_IDS_METHOD, () => ({ instances: 'all of them' }));
    await assert.rejects(source.listInstancesById([7]), (error: unknown) => isVastApiError(error) && error.kind === 'invalid-response');
  });

  it('full-list rows from the leader are re-checked too', async () => {
    leader.handle(LIST_METHOD, () => ({ polledAt: Date.now(), startedAt: 'yesterday', instances: [{ id: 1, actual_status: 'running' }, { nope: true }] }));
    const rows = await source.listInstances();
    assert.deepEqual(rows.map((row) => row.id), [1]);
    assert.equal(source.listStartedAt(rows), undefined, 'a start time that is not a time is ignored');
  });

  it('a leader without a way to poll by id sends the follower to its own client', async () => {
    new PollHub(leader); // serves instance polls, but nobody in the leading process added a poller
    assert.deepEqual((await source.listInstancesById([3])).map((row) => row.id), [3]);
    assert.deepEqual(directCalls, ['byId 3']);
  });

  it('the leader rejects an ask whose ids are not a short list of positive whole numbers', async () => {
    new PollHub(leader);
    for (const ids of [['1'], [-1], [1.5], Array.from({ length: 1001 }, (_, i) => i + 1)]) {
      await assert.rejects(follower.call(BY_IDS_METHOD, { ids }), /names at most 1000 instance ids/);
    }
    await assert.rejects(follower.call(BY_IDS_METHOD, { ids: 'everything' }), /names at most/);
  });
});
