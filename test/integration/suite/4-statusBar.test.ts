import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, extensionApi, useSimulator } from './helpers';

describe('status bar while the simulator throttles', () => {
  it('goes from all clear to throttled (no warning colour at first), then back to clear', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    await useSimulator(api);
    await api.tree.refresh();
    await eventually('all clear', () => api.statusBar.last?.state === 'clear');
    assert.match(api.statusBar.item.text, /^\$\(check\) Vast\.ai \(simulator\)$/);

    await vscode.commands.executeCommand('vastai.simulator.throttleHard');
    const throttled = await eventually('throttled', () => api.statusBar.last?.state === 'throttled' && api.statusBar.last);
    assert.match(throttled.text, /^\$\(watch\) Vast\.ai \(simulator\): waiting \d+ s \(rate limit\)$/);
    assert.equal(throttled.background, undefined, 'a fresh 429 does not turn the item yellow');
    assert.match(throttled.tooltip, /\| list instances \| 1\.\d s \((Vast\.ai's published limit|learned[^)]*)\) \|/);
    assert.ok(api.statusBar.item.tooltip instanceof vscode.MarkdownString);

    await vscode.commands.executeCommand('vastai.simulator.clearLimits');
    await eventually('clear again', () => api.statusBar.last?.state === 'clear', 45_000);
  });
});
