import assert from 'node:assert/strict';
import { BATCH_OFFERS_PER_MODEL, batchSearchFlow } from '../../../../src/ui/flows/batchSearch';
import { filtersQuery } from '../../../../src/ui/flows/offerFilters';
import { startFlowHarness, type FlowHarness } from '../../../support/flowHarness';

describe('Batch Search flow', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('searches several models (spaced by the search limit) and shows them grouped; picking one creates it', async () => {
    h = await startFlowHarness();
    h.prompter
      .chooseMany(['RTX 4090', 'RTX 3090', 'H100 SXM'], { title: 'Batch Search', step: 1, totalSteps: 4 })
      .type('', { step: 2 })
      .choose('1 GPU', { step: 3 })
      .choose((item) => item.label.endsWith('RTX 3090 ×1'), { title: /^\d+ offers for 3 GPU models$/, step: 4 })
      .choose('pytorch/pytorch:latest')
      .enter()
      .type('from-batch')
      .type('')
      .choose('No auto-stop')
      .confirmWith(true, { text: /^Rent RTX 3090 ×1 in / })
      .onNotice('info', /is running$/);
    const id = await h.flow(batchSearchFlow(h.ctx));
    assert.equal(h.sim.instances.get(id!)!.gpu_name, 'RTX 3090');
    const groups = h.prompter.prompt({ step: 4 }).items!.filter((l) => l.startsWith('── '));
    assert.deepEqual(
      groups.map((g) => g.replace(/: \d+ offers?$/, '')),
      ['── RTX 4090', '── RTX 3090', '── H100 SXM'],
    );
    const searches = h.sim.log.entries({ endpoint: 'search' }).map((e) => e.at);
    assert.equal(searches.length, 3);
    assert.ok(searches.slice(1).every((t, i) => t - searches[i] >= 6000), 'spaced by the search interval');
    assert.equal(h.sim.log.count({ endpoint: 'search', status: 429 }), 0);
  });

  it('a failed model shows one line with its error and the others are still offered; Back returns to the count', async () => {
    h = await startFlowHarness();
    // RTX 3090 with these filters is in the cache; then the daily search quota runs out.
    const primed = { ...filtersQuery({ order: 'price', maxDph: 0.5, numGpus: 1, gpuName: 'RTX 3090' }, h.settings.defaultDiskGb), limit: BATCH_OFFERS_PER_MODEL };
    await h.run(h.client.searchOffers(primed));
    h.sim.limits.exhaustSearchQuota(3600_000);
    await h.clock.advance(10_000);
    h.prompter
      .chooseMany(['RTX 4090', 'RTX 3090'])
      .type('0.5')
      .choose('1 GPU')
      .back({ step: 4 })
      .choose('Any count', { step: 3 })
      .onNotice('error', /^Every search failed: RTX 4090: .*RTX 3090: /);
    assert.equal(await h.flow(batchSearchFlow(h.ctx)), undefined);
    const first = h.prompter.prompt({ step: 4 }).items!;
    assert.match(first[0], /^── RTX 4090: failed: Vast\.ai is rate-limiting search offers \(Retry-After/);
    assert.match(first[1], /^── RTX 3090: \d+ offers · cached, 10 s old$/);
    assert.ok(first.slice(2).every((l) => /RTX 3090 ×1$/.test(l)));
    assert.ok(h.logs.some((l) => /^Batch search: RTX 4090 failed \[rate-limited\]/.test(l)));
  });

  it('asks again when no model was picked; Escape cancels silently', async () => {
    h = await startFlowHarness();
    h.prompter.chooseMany([]).escape({ step: 1 });
    assert.equal(await h.flow(batchSearchFlow(h.ctx)), undefined);
    assert.equal(h.prompter.prompt({ step: 1 }, 2).placeholder, 'Pick at least one GPU model (Space selects)');
    assert.deepEqual(h.prompter.notifications, []);
    assert.equal(h.sim.log.count(), 0);
  });
});
