// The extension as VS Code sees it: installed from the development path, activates cleanly.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'vast-gpu-explorer.vast-gpu-explorer';

describe('Vast.ai GPU Explorer extension', () => {
  before(() => {
    console.log(`host: VS Code ${vscode.version}, app ${vscode.env.appName}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, ` +
      `remote ${vscode.env.remoteName ?? 'none'}, node ${process.version}`);
  });

  it('is installed under its id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} not found among ${vscode.extensions.all.length} extensions`);
    assert.equal(extension.packageJSON.displayName, 'Vast.ai GPU Explorer');
  });

  it('activates without error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const wasActive = extension.isActive;
    const started = performance.now();
    await extension.activate();
    const ms = performance.now() - started;
    console.log(`activation: ${ms.toFixed(1)} ms${wasActive ? ' (was already active)' : ''}`);
    assert.equal(extension.isActive, true);
  });

});
