import assert from 'node:assert/strict';
import { pickOffer } from '../../../../src/ui/flows/offerPicker';
import { catalogueMatches, customGpuItem, rememberedFilters } from '../../../../src/ui/flows/offerFilters';
import { quickSearchFlow, searchOffersFlow } from '../../../../src/ui/flows/searchOffers';
import { startFlowHarness, type FlowHarness, type FlowHarnessOptions } from '../../../support/flowHarness';

describe('Search Offers flow', () => {
  let h: FlowHarness;
  async function start(options: FlowHarnessOptions = {}) {
    h = await startFlowHarness(options);
    return h;
  }
  afterEach(async () => {
    await h?.close();
  });

  /** The six filter steps, answered. */
  function filters(p = h.prompter, gpu = 'RTX 4090', price = '0.60') {
    return p
      .choose(gpu, { title: 'Search Offers', step: 1, totalSteps: 7 })
      .type(price, { step: 2 })
      .choose('1 GPU', { step: 3 })
      .choose('Any reliability', { step: 4 })
      .choose('Any region', { step: 5 })
      .choose('Lowest price', { step: 6 });
  }

  it('goes through every step, shows the offers, and creates, waits and copies the SSH command', async () => {
    await start();
    filters()
      .choose(() => true, { title: /^\d+ offers$/, step: 7 })
      .choose('pytorch/pytorch:latest', { title: /^Create Instance: RTX 4090 ×1, \$0\.\d\d\/h$/, step: 1, totalSteps: 5 })
      .type('40', { step: 2 })
      .type('job-1', { step: 3 })
      .type('', { step: 4 })
      .choose('No auto-stop', { step: 5 })
      .confirmWith(true, { text: /Rent RTX 4090 ×1 in .+, [A-Z]{2} for \$0\.\d\d\/h\?[\s\S]*Billing starts when the instance is running[\s\S]*simulated: no money is spent/ })
      .onNotice('info', /^Instance job-1 \(\d+\) is running$/, 'Copy SSH Command');
    const id = await h.flow(searchOffersFlow(h.ctx));
    assert.ok(id);
    const instance = h.sim.instances.get(id!)!;
    assert.equal(instance.label, 'job-1');
    assert.equal(instance.image_uuid, 'pytorch/pytorch:latest');
    assert.equal(instance.disk_space, 40);
    assert.equal(instance.actual_status, 'running');

    const results = h.prompter.prompt({ kind: 'pick', step: 7 });
    assert.equal(results.placeholder, 'RTX 4090 · ≤ $0.60/h · 1 GPU: pick an offer to rent');
    const first = results.rawItems![0] as { label: string; description: string; detail: string };
    assert.match(first.label, /^\$0\.\d\d\/h {2}RTX 4090 ×1$/);
    assert.match(first.description, /^24 GB · \d+\.\d% · .+, [A-Z]{2}$/);
    assert.match(first.detail, /^offer \d+ · [\d.]+ CPU · \d+ GB RAM · ↓\d+ Mbps · CUDA \d+\.\d · verified$/);
    const prices = results.items!.map((l) => Number(l.slice(1, l.indexOf('/'))));
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b), 'sorted by price');

    // Create, then wait, in one notification that says what Cancel does once the instance exists.
    const creating = h.prompter.progress.filter((p) => p.title.startsWith('Creating') || p.title.startsWith('Waiting'));
    assert.deepEqual(creating.map((p) => p.title), ['Creating instance job-1: RTX 4090 ×1 (simulated: no money is spent)']);
    const waited = creating[0];
    assert.match(waited.lines[0], /^sending the request for offer \d+…$/);
    assert.match(waited.lines[1], new RegExp(`^created \\(${id}\\); waiting for it to run\\. Cancel only stops waiting: instance ${id} keeps running and billing\\.$`));
    assert.ok(waited.lines.some((l) => l.startsWith('loading')), `status changes reported: ${waited.lines.join(' | ')}`);
    assert.equal(waited.lines.at(-1)!.split(' ')[0], 'running');
    assert.match(h.workbench.clipboard[0], /^ssh -p \d+ root@\S+$/);
    assert.deepEqual(h.memory.images, ['pytorch/pytorch:latest']);
    assert.equal(h.sim.log.count({ endpoint: 'create' }), 1);
  });

  it('Back in the middle of the filters returns to the previous step, keeping what was chosen', async () => {
    await start();
    h.prompter
      .choose('RTX 3090', { step: 1 })
      .type('0.5', { step: 2 })
      .back({ step: 3 })
      .back({ step: 2 })
      .choose('RTX 4090', { step: 1 })
      .type('', { step: 2 })
      .choose('Any count', { step: 3 })
      .choose('99%', { step: 4 })
      .choose('North America', { step: 5 })
      .choose('Best score', { step: 6 })
      .back({ step: 7 })
      .choose('Most reliable', { step: 6 })
      .choose(() => true, { step: 7 });
    const offer = await h.flow(pickOffer(h.ctx));
    assert.ok(offer);
    assert.equal(offer!.gpu_name, 'RTX 4090');
    assert.ok(offer!.reliability >= 0.99);
    assert.match(offer!.geolocation, /, (US|CA|MX)$/);
    const [price2, price2again] = h.prompter.promptsWhere({ kind: 'input', step: 2 });
    assert.equal(price2.value, '', 'first visit: empty');
    assert.equal(price2again.value, '0.5', 'after Back: the value typed before');
    const gpuAgain = h.prompter.prompt({ step: 1 }, 2);
    assert.equal(gpuAgain.rawItems!.find((i) => i.picked)!.label, 'RTX 3090', 'after Back: the previous pick is pre-selected');
    const reliabilities = h.prompter.prompt({ step: 7 }, -1).rawItems!.map((i) => (i as { description: string }).description);
    assert.ok(reliabilities.every((d) => Number(d.split(' · ')[1].replace('%', '')) >= 99));
    assert.equal(h.sim.log.count({ endpoint: 'search' }), 2, 'Back from the offers to the sort order, then a new search');
  });

  for (const [step, script] of [
    ['the GPU pick', (h: FlowHarness) => h.prompter.escape({ step: 1 })],
    ['the price input', (h: FlowHarness) => h.prompter.choose('RTX 4090').escape({ step: 2 })],
    ['the offers', (h: FlowHarness) => filters(h.prompter).escape({ step: 7 })],
  ] as const) {
    it(`Escape on ${step} cancels with no message and creates nothing`, async () => {
      await start();
      script(h);
      assert.equal(await h.flow(searchOffersFlow(h.ctx)), undefined);
      assert.deepEqual(h.prompter.notifications, []);
      assert.equal(h.sim.instances.size, 0);
      assert.equal(h.sim.log.count({ endpoint: 'create' }), 0);
    });
  }

  it('rejects a bad price with a validation message, then accepts "$0.50"; a typed GPU model is searched as typed', async () => {
    await start();
    h.prompter
      .chooseTyped('rtx_4090')
      .type('cheap', { step: 2 })
      .type('0', { step: 2 })
      .type('$0.50', { step: 2 })
      .choose('1 GPU')
      .choose('Any reliability')
      .choose('Any region')
      .choose('Lowest price')
      .escape({ step: 7 });
    await h.flow(pickOffer(h.ctx));
    const price = h.prompter.prompt({ kind: 'input', step: 2 });
    assert.deepEqual(price.validation, [
      'Enter a price in $ per hour, e.g. 0.50 or $0.50, or leave it empty for no limit.',
      'The maximum price must be more than $0/h (leave it empty for no limit).',
    ]);
    assert.equal(price.answered, '$0.50');
    assert.equal(h.prompter.prompt({ step: 7 }).placeholder, 'RTX 4090 · ≤ $0.50/h · 1 GPU: pick an offer to rent', 'rtx_4090 became the listed RTX 4090');
    h.prompter.chooseTyped('Quantum X1').type('').choose('1 GPU').choose('Any reliability').choose('Any region').choose('Lowest price');
    await h.flow(pickOffer(h.ctx));
    assert.match(h.prompter.notifications[0].message, /^No offers for a GPU named 'Quantum X1'\. Vast spells models exactly, e\.g\. "RTX 4090": pick one from the list\.$/);
  });

  it('"4090" finds the catalogue\'s RTX 4090; a name with no offers gets "Did you mean", not "loosen the filters"', async () => {
    await start();
    h.prompter.chooseTyped('4090').type('').choose('1 GPU').choose('Any reliability').choose('Any region').choose('Lowest price').escape({ step: 7 });
    await h.flow(pickOffer(h.ctx));
    assert.equal(h.prompter.prompt({ step: 7 }).placeholder, 'RTX 4090 · 1 GPU: pick an offer to rent');
    h.prompter.chooseTyped('4090 Ti Super').type('').choose('1 GPU').choose('Any reliability').choose('Any region').choose('Lowest price');
    h.prompter.onNotice('info', /^No GPU named '4090 Ti Super'\. Did you mean RTX 4090\?$/, 'Change Filters');
    h.prompter.escape({ step: 1 });
    await h.flow(pickOffer(h.ctx));
    assert.deepEqual(h.prompter.notifications.map((n) => n.actions), [['Change Filters']]);
  });

  it('"A100" names two catalogue models: no typed entry of its own (the list shows both)', async () => {
    assert.equal(customGpuItem('A100'), undefined);
    assert.deepEqual(catalogueMatches('a100').map((g) => g.name), ['A100 SXM4', 'A100 PCIE']);
    assert.equal(customGpuItem('rtx4090')!.gpuName, 'RTX 4090');
  });

  it('remembers the last filters: the next search starts from them; bad saved values fall back to defaults', async () => {
    await start();
    h.prompter.choose('RTX 3090').type('0.5').choose('2 GPUs').choose('99%').choose('Europe').choose('Most reliable').escape({ step: 7 });
    await h.flow(pickOffer(h.ctx));
    const preselected = (item: { picked?: boolean }) => item.picked === true; // what Enter takes in the QuickPick
    h.prompter.choose(preselected, { step: 1 }).enter({ step: 2 }).choose(preselected, { step: 3 }).choose(preselected, { step: 4 });
    h.prompter.choose(preselected, { step: 5 }).choose(preselected, { step: 6 }).escape({ step: 7 });
    await h.flow(pickOffer(h.ctx));
    assert.equal(h.prompter.prompt({ step: 7 }, -1).placeholder, h.prompter.prompt({ step: 7 }).placeholder);
    assert.equal(h.prompter.prompt({ kind: 'input', step: 2 }, -1).value, '0.5');
    assert.equal(h.sim.log.count({ endpoint: 'search' }), 1, 'the same query again: answered from the cache');
    assert.deepEqual(rememberedFilters({ gpuName: 7, maxDph: -1, numGpus: 1.5, region: 'mars', order: 'cheapest' }), { order: 'price' });
  });

  it('Quick Search asks two questions (GPU, max $/h), then shows the cheapest offers', async () => {
    await start();
    h.memory.offerFilters = { gpuName: 'RTX 3090', numGpus: 8, region: 'europe', order: 'reliability' };
    h.prompter
      .choose('RTX 4090', { title: 'Quick Search', step: 1, totalSteps: 3 })
      .type('0.80', { title: 'Quick Search', step: 2, totalSteps: 3 })
      .escape({ step: 3 });
    assert.equal(await h.flow(quickSearchFlow(h.ctx)), undefined);
    assert.equal(h.prompter.prompt({ step: 3 }).placeholder, 'RTX 4090 · ≤ $0.80/h: pick an offer to rent', 'the full search\'s other filters are left open');
    assert.deepEqual(h.memory.offerFilters, { gpuName: 'RTX 4090', maxDph: 0.8, numGpus: 8, region: 'europe', order: 'reliability' }, 'and kept for it');
  });

  it('no offers: says to loosen the filters, and "Change Filters" goes back to the first step', async () => {
    await start();
    filters(h.prompter, 'RTX 4090', '0.01').onNotice('info', /No offers match RTX 4090 · ≤ \$0\.01\/h · 1 GPU/, 'Change Filters');
    filters(h.prompter, 'RTX 4090', '').escape({ step: 7 });
    assert.equal(await h.flow(pickOffer(h.ctx)), undefined);
    assert.deepEqual(h.prompter.notifications.map((n) => n.actions), [['Change Filters']]);
    assert.equal(h.prompter.promptsWhere({ step: 1 }).length, 2, 'Change Filters starts again at the GPU');
  });

  it('titles the offers with where they came from: fresh, cached with its age, stale with the reason', async () => {
    await start();
    const title = async () => {
      filters(h.prompter).escape({ step: 7 });
      await h.flow(pickOffer(h.ctx));
      return h.prompter.prompts.at(-1)!.title!;
    };
    assert.match(await title(), /^\d+ offers$/);
    await h.clock.advance(40_000);
    assert.match(await title(), /^\d+ offers · cached, 40 s old$/);
    h.sim.limits.exhaustSearchQuota(3600_000);
    await h.clock.advance(260_000);
    const stale = await title();
    assert.match(stale, /^\d+ offers · STALE, 5 min old: Vast\.ai is rate-limiting search offers \(Retry-After 55 min 40 s\); try again in 55 min 40 s\.$/);
    assert.equal(h.sim.log.count({ endpoint: 'search', status: 200 }), 1);
  });

  it('a failed search is reported (with "Change Filters") and nothing is created', async () => {
    await start();
    h.sim.limits.exhaustSearchQuota(3600_000);
    filters().onNotice('error', /^Search offers failed: Vast\.ai is rate-limiting search offers\. Try again at \d\d:\d\d:\d\d UTC \(in 1 h\)\.$/);
    assert.equal(await h.flow(searchOffersFlow(h.ctx)), undefined);
    assert.ok(h.logs.some((l) => /Search offers failed \[rate-limited\].*status=429/.test(l)));
  });

  it('cancelling the search progress ends the flow silently', async () => {
    await start();
    h.prompter.cancelProgress(/^Searching offers/);
    filters();
    assert.equal(await h.flow(searchOffersFlow(h.ctx)), undefined);
    assert.deepEqual(h.prompter.notifications, []);
    assert.equal(h.prompter.progress[0].cancelled, true);
  });
});
