import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO_INSTANCES } from '../../../src/simulator/demoScenario';
import { eventually, extensionApi, setSetting, useSimulator } from './helpers';

describe('Instances view on the built-in simulator', () => {
  it('lists the simulator\'s instances with an icon, colour and context value per state', async () => {
    const api = await extensionApi();
    await useSimulator(api);
    await api.tree.refresh();
    const ids = await eventually('the instances', () => {
      const children = api.tree.instanceIds();
      return children.length >= DEMO_INSTANCES.length && children;
    });
    const items = new Map(ids.map((id) => [String(api.tree.getTreeItem(id).label), api.tree.getTreeItem(id)]));
    const look = (label: string) => {
      const item = items.get(label);
      assert.ok(item, `no tree item "${label}" among ${[...items.keys()].join(', ')}`);
      const icon = item.iconPath as vscode.ThemeIcon;
      return { icon: icon.id, color: icon.color?.id, context: item.contextValue, id: item.id, description: String(item.description) };
    };
    assert.deepEqual(
      { icon: look('train-llama-3').icon, color: look('train-llama-3').color, context: look('train-llama-3').context },
      { icon: 'vm-running', color: 'testing.iconPassed', context: 'instance.running.ssh' },
    );
    assert.match(look('train-llama-3').description, /^\d+h \d+m · \$0\.82\/h · \d+% \d+°C · RTX 4090 ×2$/);
    assert.equal(look('jupyter-scratch').context, 'instance.running.jupyter.ssh');
    assert.equal(look('sd-webui').icon, 'debug-stop');
    assert.match(look('sd-webui').context!, /^instance\.stopped\b/);
    assert.equal(look('eval-harness').icon, 'error');
    assert.match(look('eval-harness').context!, /^instance\.failed\b/);
    // The two booting ones may already be up, depending on how long activation took.
    for (const label of ['vllm-serve', 'finetune-qwen']) assert.ok(['loading~spin', 'vm-running'].includes(look(label).icon), label);
    assert.ok([...items.values()].every((item) => /^\d+$/.test(String(item.id))), 'item ids are the instance ids');
  });

  it('says it is the simulator, with the account summary beside the title and rows grouped by state', async () => {
    const api = await extensionApi();
    await useSimulator(api);
    await api.tree.refresh();
    assert.match(String(api.tree.view.description), /^Simulator · \$\d+\.\d\d\/h · \$48\.\d\d credit · ~\d+ h left$/);
    const groups = api.tree.getChildren().map((node) => String(api.tree.getTreeItem(node).label));
    assert.deepEqual(groups.filter((g) => g !== 'Starting'), ['Running', 'Stopped', 'Failed']);
    assert.match(api.statusBar.item.text, /Vast\.ai \(simulator\)/);
  });

  it('keeps the tree and says the data is old when the API fails', async () => {
    const api = await extensionApi();
    const previous = await useSimulator(api);
    // No read retries, so the failure shows at once (retries with backoff are unit-tested).
    await setSetting('maxRetries', 0);
    const session = await eventually('a session without retries', () => api.session() !== previous && api.session()?.simulated && api.session());
    // The simulator runs in this extension host: on a starved machine its clock can see two
    // spaced requests closer than they left, and without retries that 429 would be the failure.
    await eventually('the tree filled', async () => {
      await api.tree.refresh();
      return api.tree.instanceIds().length > 0;
    });
    const before = api.tree.instanceIds().length;
    session.simulator!.faults.add({ kind: 'status', status: 503, endpoint: 'instances', times: 50 });
    await api.tree.refresh();
    assert.equal(api.tree.instanceIds().length, before, 'an error never empties the tree');
    assert.match(String(api.tree.view.message), /^Simulator · .*\n⚠ As of .* ago · Vast\.ai is having trouble/);
    session.simulator!.faults.clear();
    await eventually('only the summary once it works again', async () => {
      await api.tree.refresh();
      return /^Simulator · \$[\d.]+\/h · [^\n]*$/.test(String(api.tree.view.message));
    });
  });

  afterEach(async () => {
    await setSetting('maxRetries', undefined);
  });
});
