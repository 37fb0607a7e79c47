import assert from 'node:assert/strict';
import { VastApiError } from '../../../../src/api/errors';
import { WaitError } from '../../../../src/monitor/waitError';
import { parseMaxPrice, customGpuItem, regionItems } from '../../../../src/ui/flows/offerFilters';
import { formatPrice, offerItem, resultsTitle } from '../../../../src/ui/offerPresentation';
import { describeFailure, isCancellation } from '../../../../src/ui/reportError';
import { BACK } from '../../../../src/ui/prompter';
import { ScriptedPrompter } from '../../../support/scriptedPrompter';
import { fakeOffer } from '../../../support/fixtures';

describe('offer presentation', () => {
  it('formats an offer as label, description and detail', () => {
    assert.deepEqual(
      (({ label, description, detail }) => ({ label, description, detail }))(offerItem(fakeOffer())),
      {
        label: '$0.42/h  RTX 4090 ×1',
        description: '24 GB · 99.2% · California, US',
        detail: 'offer 1234 · 16 CPU · 64 GB RAM · ↓1200 Mbps · CUDA 12.4 · verified',
      },
    );
    assert.equal(formatPrice(0.0534), '$0.053/h');
    assert.equal(formatPrice(2.5), '$2.50/h');
  });

  it('titles results by source', () => {
    const offers = [fakeOffer(), fakeOffer()];
    assert.equal(resultsTitle({ offers, source: 'network', ageMs: 0, fetchedAt: 0 }), '2 offers');
    assert.equal(resultsTitle({ offers: [offers[0]], source: 'cache', ageMs: 40_000, fetchedAt: 0 }), '1 offer · cached, 40 s old');
    assert.equal(
      resultsTitle({ offers, source: 'stale', ageMs: 300_000, fetchedAt: 0, staleReason: 'Vast.ai is rate-limiting search offers.' }),
      '2 offers · STALE, 5 min old: Vast.ai is rate-limiting search offers.',
    );
  });

  it('parses max prices', () => {
    assert.deepEqual(parseMaxPrice(''), {});
    for (const text of ['0.5', '$0.50', ' $ 0.5 ', '0.50/h', '.5', '0,5', '$0.5/hr']) assert.deepEqual(parseMaxPrice(text), { value: 0.5 }, text);
    for (const text of ['abc', '-1', '0', '1e3', '$', '5000']) assert.ok(parseMaxPrice(text).error, text);
  });

  it('keeps the list spelling of a typed model; region labels are readable', () => {
    assert.equal(customGpuItem('rtx_4090')!.gpuName, 'RTX 4090');
    assert.equal(customGpuItem('  B200 ')!.gpuName, 'B200');
    assert.equal(customGpuItem('   '), undefined);
    assert.deepEqual(regionItems().map((i) => i.label), ['Any region', 'North America', 'South America', 'Europe', 'Asia', 'Oceania', 'Africa']);
  });
});

describe('reportError messages', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('rate-limited says when to retry', () => {
    const error = new VastApiError('rate-limited', 'x', { endpoint: 'search', resumeAt: now + 90_000 });
    assert.equal(describeFailure(error, 'Search offers', now), 'Search offers failed: Vast.ai is rate-limiting search offers. Try again at 12:01:30 UTC (in 1 min 30 s).');
    assert.equal(describeFailure(new VastApiError('rate-limited', 'x'), 'Stop', now), 'Stop failed: Vast.ai is rate-limiting these requests. Try again in a minute.');
  });

  it('auth points at "Vast.ai: Set API Key"; outcome-unknown says check before retrying', () => {
    assert.equal(
      describeFailure(new VastApiError('auth', 'Invalid user key.', { status: 401 }), 'Stop instance 1', now),
      'Stop instance 1 failed: Vast.ai did not accept the API key (Invalid user key). Check the key with "Vast.ai: Set API Key".',
    );
    assert.match(describeFailure(new VastApiError('auth', 'forbidden', { status: 403 }), 'Destroy', now), /a scoped key may lack the permission/);
    assert.match(describeFailure(new VastApiError('outcome-unknown', 'x', { endpoint: 'create' }), 'Create instance', now), /the instance may exist \(and be billed\)\. Check the instance list before retrying/);
    assert.match(describeFailure(new VastApiError('outcome-unknown', 'x', { endpoint: 'destroy' }), 'Destroy instance 1', now), /may or may not have happened\. Check the instance list before retrying\.$/);
  });

  it('wait errors keep their reason', () => {
    assert.equal(describeFailure(new WaitError('destroyed', 1, 'Instance 1 was destroyed while waiting for it.'), 'Wait', now), 'Instance 1 was destroyed while waiting for it.');
    assert.match(describeFailure(new WaitError('timeout', 1, 'Instance 1 was not running after 10 min.'), 'Wait', now), /It may still come up/);
  });

  it('knows a cancellation', () => {
    assert.ok(isCancellation(new DOMException('Cancelled.', 'AbortError')));
    const controller = new AbortController();
    controller.abort();
    assert.ok(isCancellation(controller.signal.reason));
    assert.ok(!isCancellation(new Error('boom')));
  });
});

describe('ScriptedPrompter', () => {
  it('fails clearly on a prompt the script did not expect, and on answers left over', async () => {
    const p = new ScriptedPrompter();
    await assert.rejects(p.input({ title: 'Rename' }), /the flow asked input "Rename" but the script has no more answers/);
    assert.throws(() => p.assertDone(), /script has no more answers/);
    const q = new ScriptedPrompter().type('x');
    await assert.rejects(q.pick([{ label: 'a' }], { title: 'T', step: 1, totalSteps: 2 }), /asked pick "T" \(1\/2\) but the script expected input "x"/);
    const r = new ScriptedPrompter().choose('a').confirmWith(true);
    await r.pick([{ label: 'a' }], { title: 'T' });
    assert.throws(() => r.assertDone(), /scripted answers left: a confirmation \(yes\)/);
  });

  it('refuses Back on a first step (VS Code shows no Back button there)', async () => {
    const p = new ScriptedPrompter().back();
    await assert.rejects(p.pick([{ label: 'a' }], { title: 'T', step: 1, totalSteps: 2 }), /has no Back button/);
    const q = new ScriptedPrompter().back();
    assert.equal(await q.pick([{ label: 'a' }], { title: 'T', step: 2, totalSteps: 2 }), BACK);
  });
});
