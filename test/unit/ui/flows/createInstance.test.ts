import assert from 'node:assert/strict';
import { createInstanceFlow, priceWithDisk } from '../../../../src/ui/flows/createInstance';
import type { Offer } from '../../../../src/vast/types';
import { startFlowHarness, type FlowHarness, type FlowHarnessOptions } from '../../../support/flowHarness';
import { fakeOffer } from '../../../support/fixtures';

describe('Create Instance flow', () => {
  let h: FlowHarness;
  let offer: Offer;
  async function start(options: FlowHarnessOptions = {}) {
    h = await startFlowHarness(options);
    offer = (await h.run(h.client.searchOffers({ gpuName: 'RTX 4090', order: 'price', diskGb: h.settings.defaultDiskGb }))).offers[0];
  }
  afterEach(async () => {
    await h?.close();
  });

  const createCount = () => h.sim.log.count({ endpoint: 'create' });

  it('offers recent images first, then the default, then "Other image…"; confirms with GPU, place and price', async () => {
    await start({ recentImages: ['vllm/vllm-openai:latest', 'pytorch/pytorch:latest'] });
    h.prompter
      .choose(/vllm/, { step: 1, totalSteps: 5 })
      .enter({ step: 2 })
      .type('', { step: 3 })
      .type('pip install vllm', { step: 4 })
      .choose('No auto-stop', { step: 5 })
      .confirmWith(true)
      .onNotice('info', /is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    const imageStep = h.prompter.prompt({ step: 1 });
    assert.deepEqual(imageStep.items, ['vllm/vllm-openai:latest', 'pytorch/pytorch:latest', 'Other image…']);
    assert.equal(h.prompter.prompt({ step: 2 }).value, '20', 'disk defaults to vastai.defaultDiskGb');
    const confirm = h.prompter.prompts.find((p) => p.kind === 'confirm')!;
    assert.equal(confirm.message, `Rent RTX 4090 ×1 in ${offer.geolocation} for $${offer.dph_total.toFixed(2)}/h?`);
    assert.equal(
      confirm.detail,
      `Offer ${offer.id} · vllm/vllm-openai:latest · 20 GB disk.\n` +
        `On-demand (no bid price): $${offer.dph_total.toFixed(2)}/h, and Vast.ai does not interrupt it.\n` +
        'Billing starts when the instance is running and continues until you destroy it; the disk is billed from creation, and also while stopped.\n' +
        '(simulated: no money is spent)',
    );
    assert.equal(confirm.confirmLabel, 'Create Instance');
    const instance = h.sim.instances.get(id!)!;
    assert.equal(instance.onstart, 'pip install vllm');
    assert.equal(instance.label, null);
    assert.deepEqual(h.memory.images, ['vllm/vllm-openai:latest', 'pytorch/pytorch:latest']);
  });

  it('without an offer, runs the search first', async () => {
    await start();
    h.prompter
      .choose('RTX 3090', { title: 'Search Offers', step: 1 })
      .enter()
      .choose('1 GPU')
      .choose('Any reliability')
      .choose('Europe')
      .choose('Lowest price')
      .choose(() => true, { step: 7 })
      .choose('pytorch/pytorch:latest', { title: /^Create Instance: RTX 3090 ×1, / })
      .enter()
      .type('eu')
      .type('')
      .choose('No auto-stop')
      .confirmWith(true, { text: /^Rent RTX 3090 ×1 in .+, (GB|IE|FR|DE|NL|BE|LU|ES|PT|IT|CH|AT|DK|NO|SE|FI|IS|PL|CZ|SK|HU|RO|BG|GR|SI|HR|RS|EE|LV|LT|UA) for / })
      .onNotice('info', /^Instance eu \(\d+\) is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx));
    assert.equal(h.sim.instances.get(id!)!.gpu_name, 'RTX 3090');
  });

  it('"Other image…" asks for a name (validated; Escape returns to the list); a typed image works too', async () => {
    await start({ simulated: false });
    h.prompter
      .choose('Other image…', { step: 1 })
      .escape({ step: 1 })
      .choose('Other image…', { step: 1 })
      .type('my image', { step: 1 })
      .type('ghcr.io/me/trainer:v2', { step: 1 })
      .type('30')
      .back({ step: 3 })
      .back({ step: 2 })
      .chooseTyped('nvidia/cuda:12.4.1-devel-ubuntu22.04', { step: 1 })
      .type('30', { step: 2 })
      .type('x', { step: 3 })
      .type('')
      .choose('No auto-stop')
      .confirmWith(true, { text: /nvidia\/cuda:12\.4\.1-devel-ubuntu22\.04 · 30 GB disk · label "x"/ })
      .onNotice('info', /^Instance x \(\d+\) is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    assert.equal(h.prompter.prompt({ kind: 'input', text: /^Docker image/ }, 2).validation[0], 'A Docker image name has no spaces (e.g. pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime).');
    assert.equal(h.prompter.prompt({ step: 2 }, 2).value, '30', 'Back keeps the disk typed before');
    assert.doesNotMatch(h.prompter.prompts.find((p) => p.kind === 'confirm')!.detail!, /simulated/);
    assert.equal(h.sim.instances.get(id!)!.image_uuid, 'nvidia/cuda:12.4.1-devel-ubuntu22.04');
  });

  it('validates the disk size: a whole number, at least 8 GB, at most what the machine offers', async () => {
    await start();
    h.prompter
      .choose('pytorch/pytorch:latest')
      .type('7')
      .type('20.5')
      .type(String(Math.floor(offer.disk_space) + 1))
      .type('8')
      .escape({ step: 3 });
    assert.equal(await h.flow(createInstanceFlow(h.ctx, offer)), undefined);
    assert.deepEqual(h.prompter.prompt({ step: 2 }).validation, [
      'The disk must be at least 8 GB.',
      'Enter the disk size as a whole number of GB, e.g. 40.',
      `This machine offers at most ${Math.floor(offer.disk_space)} GB of disk.`,
    ]);
    assert.equal(createCount(), 0);
  });

  for (const [what, script] of [
    ['the image pick', (h: FlowHarness) => h.prompter.escape({ step: 1 })],
    ['the label input', (h: FlowHarness) => h.prompter.choose('pytorch/pytorch:latest').type('20').escape({ step: 3 })],
    ['the confirmation (declined)', (h: FlowHarness) => h.prompter.choose('pytorch/pytorch:latest').type('20').type('').type('').choose('No auto-stop').confirmWith(false)],
    ['the confirmation (Escape)', (h: FlowHarness) => h.prompter.choose('pytorch/pytorch:latest').type('20').type('').type('').escape()],
  ] as const) {
    it(`cancelling at ${what} creates nothing and says nothing`, async () => {
      await start();
      script(h);
      assert.equal(await h.flow(createInstanceFlow(h.ctx, offer)), undefined);
      assert.equal(createCount(), 0);
      assert.equal(h.sim.instances.size, 0);
      assert.deepEqual(h.prompter.notifications, []);
      assert.deepEqual(h.memory.images, []);
    });
  }

  it('a lost answer (outcome unknown) says the instance may exist, to check before retrying, and never resends', async () => {
    await start();
    h.sim.faults.add({ kind: 'lost-response', endpoint: 'create' });
    h.prompter
      .choose('pytorch/pytorch:latest')
      .type('20')
      .type('lost')
      .type('')
      .choose('No auto-stop')
      .confirmWith(true)
      .onNotice('error', /may exist \(and be billed\)\. Check the instance list before retrying; nothing was sent again\.$/);
    assert.equal(await h.flow(createInstanceFlow(h.ctx, offer)), undefined);
    assert.equal(createCount(), 1, 'sent once');
    assert.equal(h.sim.instances.list().filter((i) => i.label === 'lost').length, 1, 'it did happen, once');
    assert.match(h.prompter.notifications[0].message, new RegExp(`^Create instance from offer ${offer.id}: Vast\\.ai's answer was lost`));
    assert.ok(h.logs.some((l) => /\[outcome-unknown\]/.test(l)));
    assert.equal(h.prompter.progress.filter((p) => p.title.startsWith('Waiting')).length, 0, 'no wait for an unknown id');
  });

  it('an offer taken meanwhile: says so and offers to search again', async () => {
    await start();
    h.sim.offers.remove(offer.id);
    h.prompter.choose('pytorch/pytorch:latest').type('20').type('').type('').choose('No auto-stop').confirmWith(true).onNotice('error', new RegExp(`offer ${offer.id}`), 'Search Again').escape({ title: 'Search Offers', step: 1 });
    assert.equal(await h.flow(createInstanceFlow(h.ctx, offer)), undefined);
    assert.equal(h.sim.instances.size, 0);
  });

  it('cancelling while the create is in flight: nothing made, and it says so (after looking long enough)', async () => {
    await start();
    h.sim.faults.add({ kind: 'slow', endpoint: 'create', delayMs: 10_000 });
    h.prompter.choose('pytorch/pytorch:latest').type('20').type('slow').type('').choose('No auto-stop').confirmWith(true);
    const pending = createInstanceFlow(h.ctx, offer);
    await h.clock.advance(2000);
    assert.equal(h.prompter.abortProgress(/^Creating/), 1);
    assert.equal(await h.flow(pending), undefined);
    assert.equal(h.sim.instances.size, 0);
    assert.deepEqual(h.prompter.notifications.map((n) => n.message), ['Creating was cancelled: no instance was made.']);
  });

  it('cancelling a create that commits after the cancel (late): says instance N was made anyway', async () => {
    await start();
    h.sim.faults.add({ kind: 'late-commit', endpoint: 'create', delayMs: 25_000 });
    h.prompter.choose('pytorch/pytorch:latest').type('20').type('late').type('').choose('No auto-stop').confirmWith(true);
    const pending = createInstanceFlow(h.ctx, offer);
    await h.clock.advance(2000);
    assert.equal(h.prompter.abortProgress(/^Creating/), 1);
    assert.equal(await h.flow(pending), undefined);
    const made = h.sim.instances.list().filter((i) => i.label === 'late');
    assert.equal(made.length, 1, 'the create committed 23 s after the cancel');
    assert.deepEqual(h.prompter.notifications.map((n) => n.message), [
      `Creating was cancelled, but the request had already reached Vast.ai: instance late (${made[0].id}) was made anyway, and is billed. Destroy it if you do not want it.`,
    ]);
  });

  it('cancelling after the create reached Vast: finds the new instance and says it exists and is billed', async () => {
    await start();
    h.sim.faults.add({ kind: 'slow', endpoint: 'create', delayMs: 10_000 });
    h.prompter.choose('pytorch/pytorch:latest').type('20').type('late').type('').choose('No auto-stop').confirmWith(true);
    const pending = createInstanceFlow(h.ctx, offer);
    await h.clock.advance(2000);
    // As if Vast had processed it just before the person pressed Cancel.
    const made = h.sim.instances.add({ label: 'late', image: 'pytorch/pytorch:latest', ageMs: 0 });
    h.prompter.abortProgress(/^Creating/);
    assert.equal(await h.flow(pending), undefined);
    assert.equal(h.prompter.notifications.length, 1);
    assert.equal(
      h.prompter.notifications[0].message,
      `Creating was cancelled, but the request had already reached Vast.ai: instance late (${made.id}) was made anyway, and is billed. Destroy it if you do not want it.`,
    );
  });

  it('cancelling once the instance exists stops the waiting only, and says it keeps running and billing', async () => {
    await start();
    h.prompter.choose('pytorch/pytorch:latest').type('20').type('kept').type('').choose('No auto-stop').confirmWith(true);
    h.prompter.cancelProgress(/^Creating instance kept/, { whenReported: /^created/ });
    h.prompter.onNotice('info', /^Stopped waiting\. Instance kept \(\d+\) keeps starting, and is billed until you stop or destroy it\.$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    assert.ok(id);
    assert.ok(h.sim.instances.has(id!), 'the instance is left as it is');
    assert.equal(h.prompter.progress.length, 1, 'one notification for create and wait');
    assert.match(h.prompter.progress[0].lines.join('\n'), /Cancel only stops waiting: instance \d+ keeps running and billing/);
    assert.equal(h.sim.log.count({ endpoint: 'destroy' }) + h.sim.log.count({ endpoint: 'manage' }), 0);
  });

  it('prices another disk size from storage_cost ($/GB/month)', () => {
    const o = fakeOffer({ dph_total: 0.42, storage_cost: 0.144 });
    assert.equal(priceWithDisk(o, 20, 20), 0.42);
    assert.ok(Math.abs(priceWithDisk(o, 70, 20) - (0.42 + 0.01)) < 1e-9);
  });
});
