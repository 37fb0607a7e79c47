import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeAccount } from '../../../src/ui/accountSummary';
import { findCliKey } from '../../../src/ui/cliKeyImport';
import type { Instance, User } from '../../../src/vast/types';

describe('account line', () => {
  const user = { id: 1, username: 'ada', email: 'a@b', credit: 48.2 } as User;
  const inst = (status: Instance['actual_status'], dph: number) => ({ actual_status: status, intended_status: 'running', dph_total: dph }) as Instance;

  it('leads with the $/h billed now (storage of the others included), then the credit and how long it lasts', () => {
    assert.equal(summarizeAccount(user, [inst('running', 0.5), inst('running', 0.25), inst('loading', 2)]), '$0.75/h · $48.20 credit · ~3 days left');
    const stopped = { ...inst('stopped', 0.3), intended_status: 'stopped', dph_base: 0.25, storage_total_cost: 0.05 } as Instance;
    assert.equal(summarizeAccount(user, [stopped]), '$0.05/h · $48.20 credit · ~40 days left');
    assert.equal(summarizeAccount(undefined, [inst('running', 4.91), { ...stopped, credit_balance: 49.1 } as Instance]), '$4.96/h · $49.10 credit · ~10 h left');
    assert.equal(summarizeAccount(undefined, []), '$0.00/h');
  });
});

describe('Vast CLI key discovery', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-home-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('follows the CLI order: VAST_API_KEY, then ~/.config/vastai/vast_api_key, then ~/.vast_api_key', () => {
    fs.writeFileSync(path.join(home, '.vast_api_key'), 'legacy-key-000000\n');
    assert.deepEqual(findCliKey({}, home), { key: 'legacy-key-000000', source: '~/.vast_api_key' });
    fs.mkdirSync(path.join(home, '.config', 'vastai'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'vastai', 'vast_api_key'), '  current-key-1111 \n');
    assert.deepEqual(findCliKey({}, home), { key: 'current-key-1111', source: '~/.config/vastai/vast_api_key' });
    assert.deepEqual(findCliKey({ VAST_API_KEY: 'env-key-22222' }, home), { key: 'env-key-22222', source: 'the VAST_API_KEY environment variable' });
  });

  it('finds nothing when there is nothing, or only empty files', () => {
    fs.writeFileSync(path.join(home, '.vast_api_key'), '\n');
    assert.equal(findCliKey({ VAST_API_KEY: '  ' }, home), undefined);
  });
});
