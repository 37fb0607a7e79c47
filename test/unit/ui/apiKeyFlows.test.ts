import assert from 'node:assert/strict';
import { VastClient } from '../../../src/api/vastClient';
import { clearApiKeyFlow, importCliKeyFlow, setApiKeyFlow, storageProblem, type KeyFlowDeps, type KeyStore } from '../../../src/ui/apiKeyFlows';
import type { CliKey } from '../../../src/ui/cliKeyImport';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { ScriptedPrompter } from '../../support/scriptedPrompter';

/** SecretStorage stand-in; `broken` mimics Linux without a keyring. */
class MemoryKeyStore implements KeyStore {
  key?: string;
  broken = false;
  async get() {
    if (this.broken) throw new Error('Cannot create an item in a locked collection');
    return this.key;
  }
  async set(key: string) {
    if (this.broken) throw new Error('Cannot create an item in a locked collection');
    this.key = key;
  }
  async delete() {
    if (this.broken) throw new Error('Cannot create an item in a locked collection');
    this.key = undefined;
  }
}

describe('API key flows (checked against the simulator)', () => {
  let h: ClientHarness;
  let store: MemoryKeyStore;
  let prompter: ScriptedPrompter;
  let reconnects: number;
  let cliKey: CliKey | undefined;

  beforeEach(async () => {
    h = await startClientHarness();
    store = new MemoryKeyStore();
    prompter = new ScriptedPrompter();
    reconnects = 0;
    cliKey = undefined;
  });
  afterEach(async () => h.close());

  function deps(): KeyFlowDeps {
    return {
      prompter,
      store,
      verify: (key, signal) => new VastClient({ apiKey: key, baseUrl: h.sim.url, clock: h.clock, maxRetries: 0 }).currentUser({ signal }),
      findCliKey: () => cliKey,
      onKeyChanged: async () => {
        reconnects++;
      },
    };
  }

  it('checks a pasted key with Vast, stores it, reconnects and says who it is', async () => {
    prompter.type(`  ${h.sim.apiKey}  `).onNotice('info', /^Connected to Vast\.ai as .* \(\$\d+\.\d\d credit\)\.$/);
    assert.equal(await h.run(setApiKeyFlow(deps())), true);
    prompter.assertDone();
    assert.equal(store.key, h.sim.apiKey, 'stored trimmed');
    assert.equal(reconnects, 1);
    const prompt = prompter.prompt({ kind: 'input' });
    assert.match(prompt.prompt!, /secret storage/);
  });

  it('validates while typing: empty, spaces, too short; nothing is sent for those', async () => {
    prompter.type('').type('abc def ghi jkl mno').type('short').type(h.sim.apiKey).onNotice('info', /Connected/);
    await h.run(setApiKeyFlow(deps()));
    assert.deepEqual(prompter.prompt({ kind: 'input' }).validation, [
      'Paste the key (it cannot be empty).',
      'A key has no spaces or line breaks; paste it again.',
      'That looks too short for a Vast.ai API key.',
    ]);
    assert.equal(h.sim.log.count(), 1, 'only the good key was checked');
  });

  it('never stores a key Vast rejects', async () => {
    prompter.type('a-key-that-vast-does-not-know').onNotice('error', /rejected the key you entered .*Nothing was saved/);
    assert.equal(await h.run(setApiKeyFlow(deps())), false);
    assert.equal(store.key, undefined);
    assert.equal(reconnects, 0);
  });

  it('when Vast cannot be reached, lets the person save anyway (nothing lost either way)', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, endpoint: 'user' });
    prompter.type(h.sim.apiKey).onNotice('warning', /Could not check the key you entered/, 'Save Anyway').onNotice('info', /^Connected to Vast\.ai\.$/);
    assert.equal(await h.run(setApiKeyFlow(deps())), true);
    assert.equal(store.key, h.sim.apiKey);
  });

  it('says how to fix a secret storage that does not work, and keeps the key nowhere else', async () => {
    store.broken = true;
    prompter.type(h.sim.apiKey).onNotice('error', /secret storage .* keyring .*gnome-keyring or KWallet.* not saved anywhere else/);
    assert.equal(await h.run(setApiKeyFlow(deps())), false);
    assert.equal(reconnects, 0);
    assert.match(storageProblem(new Error('x')), /--password-store/);
  });

  it('cancelling the input changes nothing', async () => {
    prompter.escape();
    assert.equal(await h.run(setApiKeyFlow(deps())), false);
    assert.equal(h.sim.log.count(), 0);
  });

  it('imports the Vast CLI key after checking it, naming where it came from', async () => {
    cliKey = { key: h.sim.apiKey, source: '~/.config/vastai/vast_api_key' };
    prompter.onNotice('info', /Connected/);
    assert.equal(await h.run(importCliKeyFlow(deps())), true);
    assert.equal(store.key, h.sim.apiKey);
  });

  it('without a CLI key, says where it looked and offers to set one', async () => {
    prompter.onNotice('info', /No Vast CLI key found .*VAST_API_KEY/, 'Set API Key').type(h.sim.apiKey).onNotice('info', /Connected/);
    assert.equal(await h.run(importCliKeyFlow(deps())), true);
  });

  it('a rejected CLI key is not imported', async () => {
    cliKey = { key: 'stale-cli-key-123456789', source: 'the VAST_API_KEY environment variable' };
    prompter.onNotice('error', /rejected the Vast CLI's key \(from the VAST_API_KEY environment variable\)/);
    assert.equal(await h.run(importCliKeyFlow(deps())), false);
    assert.equal(store.key, undefined);
  });

  it('clears the key only after a confirmation', async () => {
    store.key = h.sim.apiKey;
    prompter.confirmWith(false);
    assert.equal(await h.run(clearApiKeyFlow(deps())), false);
    assert.equal(store.key, h.sim.apiKey);
    prompter.confirmWith(true, { text: /Remove the Vast\.ai API key/ }).onNotice('info', /removed/);
    assert.equal(await h.run(clearApiKeyFlow(deps())), true);
    assert.equal(store.key, undefined);
    assert.equal(reconnects, 1);
  });
});
