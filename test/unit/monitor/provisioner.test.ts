import assert from 'node:assert/strict';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import { provisionInstances, type ProvisionProgress, type ProvisionRequest } from '../../../src/monitor/provisioner';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import type { VastClientOptions } from '../../../src/api/vastClient';

describe('safe multi-instance provisioning', () => {
  let h: ClientHarness;
  let monitor: InstanceMonitor;

  async function start(client: Partial<VastClientOptions> = {}) {
    h = await startClientHarness({ simulator: { lifecycle: { failureRate: 0 } }, client });
    monitor = new InstanceMonitor(h.client, { clock: h.clock });
  }
  afterEach(async () => {
    monitor?.dispose();
    await h?.close();
  });

  function provision(request: Partial<ProvisionRequest> = {}, events: ProvisionProgress[] = []) {
    return h.run(startProvisioning(request, events));
  }

  function startProvisioning(request: Partial<ProvisionRequest> = {}, events: ProvisionProgress[] = []) {
    return provisionInstances(
      { client: h.client, monitor, clock: h.clock, random: mulberry32(3) },
      {
        count: 10,
        offers: { query: { gpuName: 'RTX 4090', order: 'price' } },
        instance: { image: 'pytorch/pytorch', label: 'batch' },
        onProgress: (e) => events.push(e),
        ...request,
      },
    );
  }

  /** Instances in the simulator carrying one of the report's labels. */
  function instancesByLabel(labels: string[]) {
    const wanted = new Set(labels);
    const counts = new Map<string, number>();
    for (const i of h.sim.instances.list()) if (i.label && wanted.has(i.label)) counts.set(i.label, (counts.get(i.label) ?? 0) + 1);
    return counts;
  }

  it('creates N instances with unique labels, spaced by the create interval', async () => {
    await start();
    const report = await provision();
    assert.equal(report.created, 10);
    assert.equal(report.failed, 0);
    assert.deepEqual(report.duplicates, []);
    const labels = report.slots.map((s) => s.label);
    assert.equal(new Set(labels).size, 10);
    assert.ok(labels.every((l) => /^batch-[0-9a-z]{5}$/.test(l)));
    const creates = h.sim.log.entries({ endpoint: 'create' }).map((e) => e.at);
    assert.ok(creates.slice(1).every((t, i) => t - creates[i] >= 4500));
    assert.equal(h.sim.log.count({ endpoint: 'create', status: 429 }), 0);
  });

  it('retries creates refused with 429 (learning the interval), none lost, none doubled', async () => {
    await start({ intervalsMs: { create: 1000 } });
    const report = await provision();
    assert.equal(report.created, 10);
    assert.ok(h.sim.log.count({ endpoint: 'create', status: 429 }) >= 1);
    assert.ok(h.sim.log.count({ endpoint: 'create', status: 429 }) <= 2, 'the first 429 teaches the interval');
    assert.deepEqual([...instancesByLabel(report.slots.map((s) => s.label)).values()], Array(10).fill(1));
  });

  it('reconciles creates whose answer was lost: zero duplicates, zero lost', async () => {
    await start();
    h.sim.faults.add({ kind: 'lost-response', endpoint: 'create', times: 2 });
    const events: ProvisionProgress[] = [];
    const report = await provision({}, events);
    assert.equal(report.created, 10);
    assert.equal(report.slots.filter((s) => s.reconciled).length, 2);
    assert.ok(report.slots.every((s) => s.attempts === 1), 'a lost create is found, never resent');
    assert.equal(events.filter((e) => e.phase === 'reconciled').length, 2);
    assert.deepEqual(report.duplicates, []);
    const counts = instancesByLabel(report.slots.map((s) => s.label));
    assert.equal(counts.size, 10);
    assert.ok([...counts.values()].every((n) => n === 1));
    for (const slot of report.slots) assert.equal(h.sim.instances.get(slot.instanceId!)!.label, slot.label);
  });

  it('resends a create that failed ambiguously but did not happen', async () => {
    await start();
    h.sim.faults.add({ kind: 'status', status: 502, endpoint: 'create' });
    h.sim.faults.add({ kind: 'reset', endpoint: 'create' });
    const events: ProvisionProgress[] = [];
    const report = await provision({ count: 3 }, events);
    assert.equal(report.created, 3);
    assert.equal(events.filter((e) => e.phase === 'resending').length, 2);
    assert.deepEqual([...instancesByLabel(report.slots.map((s) => s.label)).values()], [1, 1, 1]);
  });

  it('moves on to the next matching offer when one has vanished', async () => {
    await start();
    // The provisioner's own search (limit 3 x count), so it gets these offers from the cache.
    const offers = (await h.run(h.client.searchOffers({ gpuName: 'RTX 4090', order: 'price', limit: 12 }))).offers;
    for (const offer of offers.slice(0, 3)) h.sim.offers.remove(offer.id);
    const events: ProvisionProgress[] = [];
    const report = await provision({ count: 4 }, events);
    assert.equal(report.created, 4);
    assert.equal(events.filter((e) => e.phase === 'offer-gone').length, 3);
    assert.ok(report.slots.every((s) => !offers.slice(0, 3).some((o) => o.id === s.offerId)));
  });

  it('with exact offer ids, a vanished offer fails its slot clearly and the others go on', async () => {
    await start();
    const ids = h.sim.offers.all().filter((o) => o.rentable && !o.rented).slice(0, 3).map((o) => o.id);
    h.sim.offers.remove(ids[1]);
    const report = await provision({ count: 3, offers: { offerIds: ids } });
    assert.equal(report.created, 2);
    assert.match(report.slots[1].error!, new RegExp(`Offer ${ids[1]} is no longer available`));
  });

  it('can wait until all of them run, through the shared poll', async () => {
    await start();
    const report = await provision({ count: 3, waitUntilRunning: true });
    assert.ok(report.slots.every((s) => s.instance?.actual_status === 'running'));
    assert.equal(h.sim.log.count({ endpoint: 'instance' }), 0, 'no per-instance polling');
  });

  it('rejects a bad count or too few offer ids before creating anything', async () => {
    await start();
    await assert.rejects(provision({ count: 0 }), /whole number from 1 to 100/);
    await assert.rejects(provision({ count: 3, offers: { offerIds: [1] } }), /need 3 offer ids/);
    assert.equal(h.sim.log.count(), 0);
  });

  it('stops creating when cancelled, and reports which slots were not created', async () => {
    await start();
    const controller = new AbortController();
    const events: ProvisionProgress[] = [];
    const pending = startProvisioning({ count: 5, signal: controller.signal }, events);
    await h.clock.advance(6000);
    controller.abort(new Error('cancelled'));
    const report = await h.run(pending);
    assert.ok(report.created >= 1 && report.created < 5);
    assert.ok(report.slots.filter((s) => s.error).every((s) => /Cancelled/.test(s.error!)));
    assert.equal(h.sim.instances.size, report.created, 'every instance that exists is reported');
  });
});
