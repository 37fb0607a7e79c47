import assert from 'node:assert/strict';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import { provisionInstances, type ProvisionProgress } from '../../../src/monitor/provisioner';
import type { Simulator } from '../../../src/simulator';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { createMultipleFlow } from '../../../src/ui/flows/createMultiple';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { startFlowHarness, type FlowHarness } from '../../support/flowHarness';

// Finding 3: a create that commits after the client's timeout must not become a second paid instance.

/**
 * The first create commits 100 s after it was sent (70 s after the client gave up); the resend to
 * the same offer finds it taken (404), so the slot moves to the next offer: two instances, one label.
 */
function lateThenOfferGone(sim: Simulator): void {
  sim.faults.add({ kind: 'late-commit', endpoint: 'create', delayMs: 100_000 });
  sim.faults.add({ kind: 'respond', endpoint: 'create', response: { status: 404, body: { success: false, error: 'no_such_ask', msg: 'Offer not available.' } } });
}
describe('hardening: no duplicate under slow commits', () => {
  describe('provisioner', () => {
    let h: ClientHarness;
    let monitor: InstanceMonitor;
    beforeEach(async () => {
      h = await startClientHarness({ simulator: { lifecycle: { failureRate: 0 } } });
      monitor = new InstanceMonitor(h.client, { clock: h.clock });
    });
    afterEach(async () => {
      monitor.dispose();
      await h.close();
    });

    function provision(count: number, events: ProvisionProgress[] = []) {
      return h.run(
        provisionInstances(
          { client: h.client, monitor, clock: h.clock, random: mulberry32(5) },
          { count, offers: { query: { gpuName: 'RTX 4090', order: 'price' } }, instance: { image: 'pytorch/pytorch', label: 'slow' }, onProgress: (e) => events.push(e) },
        ),
      );
    }
    const withLabel = (label: string) => h.sim.instances.list().filter((i) => i.label === label);

    it('a create committed 15 s after the client gave up (30 s timeout) is found, not sent again', async () => {
      h.sim.faults.add({ kind: 'late-commit', endpoint: 'create', delayMs: 45_000 });
      const report = await provision(1);
      const [slot] = report.slots;
      assert.equal(withLabel(slot.label).length, 1, 'one instance for the slot');
      assert.equal(h.sim.log.count({ endpoint: 'create' }), 1, 'the create was not resent');
      assert.equal(slot.reconciled, true);
      assert.equal(slot.instanceId, withLabel(slot.label)[0].id);
      assert.deepEqual(report.duplicates, []);
    });

    it('a commit later than the window is caught by the final sweep a minute on, and reported', async () => {
      const events: ProvisionProgress[] = [];
      lateThenOfferGone(h.sim);
      const report = await provision(1, events);
      const [slot] = report.slots;
      assert.equal(h.sim.log.count({ endpoint: 'create' }), 3, 'resent after the window (40 s after the timeout), then to the next offer');
      const ids = withLabel(slot.label).map((i) => i.id).sort((a, b) => a - b);
      assert.equal(ids.length, 2);
      assert.deepEqual(report.duplicates, [{ label: slot.label, instanceIds: report.duplicates[0]?.instanceIds ?? [] }]);
      assert.deepEqual([...report.duplicates[0].instanceIds].sort((a, b) => a - b), ids);
      assert.ok(events.some((e) => e.phase === 'sweeping'));
    });
  });

  describe('Create Multiple flow', () => {
    let f: FlowHarness;
    afterEach(async () => f?.close());

    it('offers to destroy the extra instance, and destroys it only after a confirmation', async () => {
      f = await startFlowHarness();
      lateThenOfferGone(f.sim);
      f.prompter
        .type('2')
        .choose('RTX 4090')
        .type('')
        .choose('1 GPU')
        .choose('Any reliability')
        .choose('Any region')
        .choose('Lowest price')
        .choose('pytorch/pytorch:latest')
        .enter()
        .type('dup')
        .confirmWith(true)
        .onNotice('warning', /Duplicates found/)
        .onNotice('warning', /^dup-[0-9a-z]{5} was created 2 times .*Keep (\d+) and destroy instance (\d+)\?$/, 'Destroy Extra')
        .confirmWith(true, { text: /^Destroy instance \d+ \(the extra dup-[0-9a-z]{5}\)\?/ })
        .onNotice('info', /^Destroyed the extra instance \d+\.$/);
      const report = await f.flow(createMultipleFlow(f.ctx));
      f.prompter.assertDone();
      const label = report!.duplicates[0].label;
      const kept = report!.slots.find((s) => s.label === label)!.instanceId!;
      const left = f.sim.instances.list().filter((i) => i.label === label);
      assert.deepEqual(left.map((i) => i.id), [kept], 'the extra is gone, the recorded one kept');
    });
  });
});
