import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { EXTENSION_ID, extensionApi } from './helpers';

describe('activation and contributions', () => {
  before(() => {
    console.log(
      `host: VS Code ${vscode.version}, app ${vscode.env.appName}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, ` +
        `remote ${vscode.env.remoteName ?? 'none'}, node ${process.version}`,
    );
  });

  it('is installed under its id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} not found`);
    assert.equal(extension.packageJSON.displayName, 'Vast.ai GPU Explorer');
  });

  it('activates without error', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    const wasActive = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    const withLoading = performance.now() - started;
    // The figure is `activate` from its first line to its return (the extension measures it); loading
    // the bundle and the host's bookkeeping come on top. No assertion: speed lives in the bench.
    console.log(
      `activation: ${api.activationMs.toFixed(1)} ms${wasActive ? ' (was already active)' : ''} ` +
        `(extension.activate() including loading the bundle: ${withLoading.toFixed(1)} ms)`,
    );
    assert.equal(extension.isActive, true);
    await api.ready;
  });

  it('registers every command it contributes', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 20);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('shows the rate-limit status bar item', async () => {
    const api = await extensionApi();
    assert.equal(api.statusBar.item.name, 'Vast.ai Rate Limits');
    assert.equal(api.statusBar.item.command, 'vastai.showLog');
    assert.ok(api.statusBar.last, 'the item was drawn');
  });
});
