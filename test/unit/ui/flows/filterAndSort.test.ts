import assert from 'node:assert/strict';
import { filterInstancesFlow } from '../../../../src/ui/flows/filterInstances';
import { sortInstancesFlow } from '../../../../src/ui/flows/sortInstances';
import { ScriptedPrompter } from '../../../support/scriptedPrompter';

describe('Filter Instances and Sort Instances By', () => {
  it('asks for the filter words, starting from the current filter', async () => {
    const prompter = new ScriptedPrompter().type('  4090 running ', { title: /Filter Instances/ });
    assert.equal(await filterInstancesFlow(prompter, 'vllm'), '4090 running');
    assert.equal(prompter.lastPrompt()?.value, 'vllm');
    prompter.assertDone();
  });

  it('Escape keeps the filter as it was; an empty answer clears it', async () => {
    assert.equal(await filterInstancesFlow(new ScriptedPrompter().escape(), 'vllm'), undefined);
    assert.equal(await filterInstancesFlow(new ScriptedPrompter().type(''), 'vllm'), '');
  });

  it('offers the four orders and marks the current one', async () => {
    const prompter = new ScriptedPrompter().choose('Price', { title: /Sort Instances By/ });
    assert.equal(await sortInstancesFlow(prompter, 'state'), 'price');
    assert.deepEqual(prompter.lastPrompt()?.items, ['State', 'Name', 'Price', 'Uptime']);
    assert.match(String(prompter.lastPrompt()?.rawItems?.[0].description), /current/);
  });
});
