import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../support/scriptedPrompter';
import { eventually, extensionApi, useSimulator } from './helpers';

describe('command flow end to end: search → create → wait until running', () => {
  it('answers the QuickPicks through the extension\'s prompter seam and ends with a running instance', async function () {
    this.timeout(90_000);
    const api = await extensionApi();
    const session = await useSimulator(api);
    const prompter = new ScriptedPrompter()
      .choose('RTX 4090', { title: 'Search Offers', step: 1, totalSteps: 7 })
      .enter({ step: 2 })
      .choose('1 GPU', { step: 3 })
      .choose('Any reliability', { step: 4 })
      .choose('Any region', { step: 5 })
      .choose('Lowest price', { step: 6 })
      .choose(() => true, { step: 7 })
      .choose('pytorch/pytorch:latest', { title: /^Create Instance/ })
      .enter()
      .type('it-e2e')
      .type('')
      .choose('No auto-stop')
      .confirmWith(true, { text: /Rent RTX 4090 ×1 .* for \$\d+\.\d\d\/h\?[\s\S]*simulated: no money is spent/ })
      .onNotice('info', /is running$/);
    const seam = api.usePrompter(prompter);
    try {
      await vscode.commands.executeCommand('vastai.searchOffers');
    } finally {
      seam.dispose();
    }
    prompter.assertDone();
    const instance = [...session.monitor.snapshot.instances.values()].find((i) => i.label === 'it-e2e');
    assert.ok(instance, `no instance labelled it-e2e; transcript:\n${prompter.transcript()}`);
    assert.equal(instance.actual_status, 'running');
    assert.equal(instance.gpu_name, 'RTX 4090');
    const progress = prompter.progress.flatMap((p) => p.lines);
    assert.ok(progress.some((line) => /loading/.test(line)), `progress showed each status: ${progress.join(' | ')}`);
    const perInstance = session.simulator!.log.count({ endpoint: 'instance' });
    assert.equal(perInstance, 0, 'waiting used the batched list, never per-instance polling');
    await eventually('the new instance in the tree', () => api.tree.instanceIds().includes(instance.id));
  });
});
