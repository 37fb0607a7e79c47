import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSimulator, type Simulator } from '../../../src/simulator';
import { ScriptedPrompter } from '../../support/scriptedPrompter';
import { eventually, extensionApi, setSetting } from './helpers';

describe('API key in SecretStorage', () => {
  let sim: Simulator;

  before(async () => {
    // A second simulator playing "the real API" at vastai.apiUrl (loopback http is allowed).
    sim = await startSimulator({ seed: 9, instances: [{ label: 'remote-a', status: 'running' }, { label: 'remote-b', status: 'stopped' }] });
    await setSetting('useSimulator', false);
    await setSetting('apiUrl', sim.url);
  });

  after(async () => {
    await setSetting('apiUrl', undefined);
    await sim.close();
  });

  async function withPrompter(prompter: ScriptedPrompter, command: string): Promise<void> {
    const api = await extensionApi();
    const seam = api.usePrompter(prompter);
    try {
      await vscode.commands.executeCommand(command);
    } finally {
      seam.dispose();
    }
    prompter.assertDone();
  }

  it('starts with no session and the welcome content for a host without a key', async () => {
    const api = await extensionApi();
    await eventually('no session', () => api.session() === undefined);
    assert.equal(api.statusBar.last?.state, 'no-key');
  });

  it('refuses a key Vast rejects, and stores nothing', async () => {
    const api = await extensionApi();
    await withPrompter(new ScriptedPrompter().type('this-key-is-not-valid-000').onNotice('error', /rejected .*nothing was saved/i), 'vastai.setApiKey');
    assert.equal(api.session(), undefined);
  });

  it('checks a good key, keeps it in SecretStorage (not in settings), and connects', async () => {
    const api = await extensionApi();
    await withPrompter(new ScriptedPrompter().type(sim.apiKey).onNotice('info', /Connected to Vast\.ai as /), 'vastai.setApiKey');
    const session = await eventually('the API session', () => api.session());
    assert.equal(session.simulated, false);
    assert.equal(session.client.baseUrl, sim.url);
    await api.tree.refresh();
    assert.deepEqual(api.tree.instanceIds().map((id) => String(api.tree.getTreeItem(id).label)).sort(), ['remote-a', 'remote-b']);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('vastai'));
    assert.ok(!settings.includes(sim.apiKey), 'the key is not in settings');
    // A reconnect (any session setting) reads it back from SecretStorage.
    await setSetting('refreshInterval', 45);
    await eventually('a new session from the stored key', () => api.session() !== session && api.session());
    await setSetting('refreshInterval', undefined);
    assert.equal(sim.log.entries().some((e) => e.keyId === 'invalid'), true, 'the rejected key reached only this host');
  });

  it('clears the key after a confirmation', async () => {
    const api = await extensionApi();
    await withPrompter(new ScriptedPrompter().confirmWith(true, { text: /Remove the Vast\.ai API key/ }).onNotice('info', /removed/), 'vastai.clearApiKey');
    await eventually('no session', () => api.session() === undefined);
  });
});
