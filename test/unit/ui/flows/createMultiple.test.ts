import assert from 'node:assert/strict';
import { createMultipleFlow } from '../../../../src/ui/flows/createMultiple';
import { startFlowHarness, type FlowHarness } from '../../../support/flowHarness';
import type { ScriptedPrompter } from '../../../support/scriptedPrompter';

describe('Create Multiple Instances flow', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  /** count, the six filters, image, disk, label base. */
  function steps(p: ScriptedPrompter, count: string, price = '', label = 'batch') {
    return p
      .type(count, { title: 'Create Multiple Instances', step: 1, totalSteps: 10 })
      .choose('RTX 4090', { step: 2 })
      .type(price, { step: 3 })
      .choose('1 GPU', { step: 4 })
      .choose('Any reliability', { step: 5 })
      .choose('Any region', { step: 6 })
      .choose('Lowest price', { step: 7 })
      .choose('pytorch/pytorch:latest', { step: 8 })
      .enter({ step: 9 })
      .type(label, { step: 10 });
  }

  const labelled = (base: string) => h.sim.instances.list().filter((i) => i.label?.startsWith(`${base}-`));

  it('confirms the worst-case total, provisions, summarizes, and waits for all on request', async () => {
    h = await startFlowHarness();
    steps(h.prompter, '3')
      .confirmWith(true, { text: /^Create 3 instances for up to \$\d+\.\d\d\/h in total\?/ })
      .onNotice('info', /^Created 3 of 3 instances: batch-[0-9a-z]{5} \(\d+\), /, 'Wait Until Running')
      .onNotice('info', /^All 3 instances are running\.$/);
    const report = await h.flow(createMultipleFlow(h.ctx));
    assert.equal(report!.created, 3);
    const confirm = h.prompter.prompts.find((p) => p.kind === 'confirm')!;
    const per = Number(confirm.detail!.match(/^Up to \$(\d+\.\d+)\/h each/)![1]);
    const total = Number(confirm.message!.match(/up to \$(\d+\.\d+)\/h/)![1]);
    assert.equal(total.toFixed(2), (per * 3).toFixed(2));
    assert.match(confirm.detail!, /\(the dearest matching offer, now the limit\); the cheapest matching offer is \$\d\.\d\d\/h\. RTX 4090 · ≤ \$\d\.\d\d\/h · 1 GPU\./);
    assert.match(confirm.detail!, /Image pytorch\/pytorch:latest, 20 GB disk, labels "batch-xxxxx"\./);
    assert.match(confirm.detail!, /Billing starts when each instance is running[\s\S]*simulated: no money is spent/);
    assert.equal(confirm.confirmLabel, 'Create 3 Instances');
    const instances = labelled('batch');
    assert.equal(instances.length, 3);
    assert.ok(instances.every((i) => i.dph_total! <= per + 1e-9 && i.actual_status === 'running'));
    const progress = h.prompter.progress.find((p) => p.title.startsWith('Creating 3 instances'))!;
    assert.ok(progress.lines.some((l) => /^1\/3: Creating batch-/.test(l)));
    assert.ok(progress.lines.some((l) => /^3\/3: Created instance \d+/.test(l)));
    const creates = h.sim.log.entries({ endpoint: 'create' }).map((e) => e.at);
    assert.ok(creates.slice(1).every((t, i) => t - creates[i] >= 4500), 'creates spaced by the create limit');
  });

  it('with a max price, the worst case is count × that price', async () => {
    h = await startFlowHarness();
    steps(h.prompter, '2', '$0.45').confirmWith(false, { text: /^Create 2 instances for up to \$0\.90\/h in total\?\nUp to \$0\.45\/h each \(your max price\)/ });
    assert.equal(await h.flow(createMultipleFlow(h.ctx)), undefined);
    assert.equal(h.sim.log.count({ endpoint: 'create' }), 0, 'declining creates nothing');
    assert.equal(h.sim.instances.size, 0);
    assert.deepEqual(h.prompter.notifications, []);
  });

  it('a lost create answer is reconciled by label: no duplicate, none lost, and the summary says so', async () => {
    h = await startFlowHarness();
    h.sim.faults.add({ kind: 'lost-response', endpoint: 'create', times: 1 });
    steps(h.prompter, '3', '', 'lossy')
      .confirmWith(true)
      .onNotice('info', /^Created 3 of 3 instances: .* 1 lost answer was found by label \(not created twice\)\.$/);
    const report = await h.flow(createMultipleFlow(h.ctx));
    assert.equal(report!.created, 3);
    assert.deepEqual(report!.duplicates, []);
    assert.equal(h.sim.log.count({ endpoint: 'create' }), 3, 'never resent');
    const labels = labelled('lossy').map((i) => i.label);
    assert.equal(labels.length, 3);
    assert.equal(new Set(labels).size, 3);
  });

  it('cancelling while creating stops there; the summary still names what was created (and billed)', async () => {
    h = await startFlowHarness();
    h.prompter.cancelProgress(/^Creating 3 instances/, { whenReported: /^1\/3: Created instance/ });
    steps(h.prompter, '3', '0.6', 'stopped')
      .confirmWith(true)
      .onNotice('warning', /^Created 1 of 3 instances: stopped-[0-9a-z]{5} \(\d+\)\. 2 failed: .*: Cancelled before this instance was created\.$/);
    const report = await h.flow(createMultipleFlow(h.ctx));
    assert.equal(report!.created, 1);
    assert.equal(labelled('stopped').length, 1);
    assert.equal(h.sim.log.count({ endpoint: 'create' }), 1);
  });

  it('validates the count (2-20), and Escape at the filters cancels silently', async () => {
    h = await startFlowHarness();
    h.prompter.type('1').type('21').type('two').type('4').escape({ step: 2 });
    assert.equal(await h.flow(createMultipleFlow(h.ctx)), undefined);
    assert.deepEqual(h.prompter.prompt({ step: 1 }).validation, Array(3).fill('Enter a whole number from 2 to 20.'));
    assert.deepEqual(h.prompter.notifications, []);
    assert.equal(h.sim.log.count(), 0);
  });

  it('fewer matching offers than asked: the confirmation warns, the summary lists what failed', async () => {
    h = await startFlowHarness({ simulator: { offerCount: 40 } });
    const available = (await h.run(h.client.searchOffers({ gpuName: 'RTX 4090', numGpus: 1, order: 'price', limit: 100 }))).offers.length;
    assert.ok(available >= 1 && available < 6, `the small catalogue has ${available} single RTX 4090 offers`);
    steps(h.prompter, '6', '', 'few')
      .confirmWith(true, { text: new RegExp(`Only ${available} matching offers right now: fewer instances may be created\\.`) })
      .onNotice('warning', new RegExp(`^Created ${available} of 6 instances: .* ${6 - available} failed: .*: No matching offer is left to rent\\.`));
    const report = await h.flow(createMultipleFlow(h.ctx));
    assert.equal(report!.created, available);
  });
});
