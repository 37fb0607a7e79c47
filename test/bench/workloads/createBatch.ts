import { buildSearchBody, type OfferQuery } from '../../../src/api/offerQuery';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import { provisionInstances } from '../../../src/monitor/provisioner';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { ENDPOINTS } from '../../../src/vast/endpoints';
import type { BaselineClient } from '../baselines/baselineClient';
import type { ScenarioContext } from '../harness/scenario';
import { baselineClient, ourClient } from './clients';
import type { Outcome, Workload } from './workload';

const COUNT = 10;
/** Tries per slot in the baselines' user loop: the same cap as our provisioner's attempts per slot. */
const TRIES_PER_SLOT = 5;
const QUERY: OfferQuery = { maxDph: 1.0, order: 'price', limit: 60 };
const IMAGE = 'pytorch/pytorch';

/**
 * Workload 3: 10 creates; the first create the server accepts is committed and its answer lost,
 * the second is answered 503 by the proxy (not processed).
 */
export function createBatch(id: string): Workload {
  const interval = ENDPOINTS.create.publishedIntervalMs;
  return {
    id,
    title: `${COUNT} creates; one committed-then-lost (lost-response), one 503 on create`,
    idealDefinition: `${COUNT + 1} creates (10 + a resend of the 503'd one) spaced by the create interval: ${COUNT} x ${interval / 1000} s`,
    neededDefinition: `1 search + ${COUNT + 1} creates + 1 list page per ambiguous create to reconcile it (2) = ${COUNT + 4}`,
    idealMs: COUNT * interval,
    requestsNeeded: COUNT + 4,
    classes: ['create', 'instances'],
    simulator: { lifecycle: { failureRate: 0 } },
    capMs: 30 * 60_000,
    async run(client, ctx) {
      ctx.sim.faults.add({ kind: 'lost-response', endpoint: 'create', times: 1 });
      ctx.sim.faults.add({ kind: 'status', status: 503, endpoint: 'create', times: 1 });
      const known = client === 'ours' ? await runOurs(ctx) : await runBaseline(baselineClient(client, ctx), ctx);
      const resent = resentCommittedCreates(ctx);
      const note = resent ? `resent the committed (answer-lost) create ${resent}x to the same offer (a duplicate wherever that offer is still rentable)` : undefined;
      return { operations: COUNT, failed: COUNT - known.size, ...serverCounts(ctx, known), note };
    },
    oursBroken: (o) => [
      ...(o.duplicates ? [`${o.duplicates} duplicate instances`] : []),
      ...(o.lost ? [`${o.lost} lost instances`] : []),
      ...(o.failed ? [`${o.failed} creates failed`] : []),
    ],
  };
}

/** Ours: `provisionInstances`, which reconciles an ambiguous create by its label before resending. */
async function runOurs(ctx: ScenarioContext): Promise<Set<number>> {
  const api = ourClient(ctx);
  const monitor = new InstanceMonitor(api, { clock: ctx.clock });
  const report = await provisionInstances(
    { client: api, monitor, clock: ctx.clock, random: mulberry32(3) },
    { count: COUNT, offers: { query: QUERY }, instance: { image: IMAGE, label: 'bench' }, signal: ctx.signal },
  );
  monitor.dispose();
  api.dispose();
  return new Set(report.slots.flatMap((slot) => (slot.instanceId === undefined ? [] : [slot.instanceId])));
}

/**
 * A user's script: one search, then for each slot a create with a unique label through the
 * client's own retry logic; when a create fails, the script tries the next offer (up to 5 tries
 * per slot), as someone who wants 10 instances would.
 */
async function runBaseline(api: BaselineClient, ctx: ScenarioContext): Promise<Set<number>> {
  const known = new Set<number>();
  const offers = await api.search(buildSearchBody(QUERY)).catch(() => []);
  const candidates = offers.map((offer) => offer.id);
  for (let slot = 1; slot <= COUNT && !ctx.signal.aborted; slot++) {
    for (let attempt = 1; attempt <= TRIES_PER_SLOT && candidates.length > 0 && !ctx.signal.aborted; attempt++) {
      try {
        known.add(await api.createInstance(candidates.shift()!, { image: IMAGE, label: `bench-${slot}` }));
        break;
      } catch {
        // Next offer.
      }
    }
  }
  return known;
}

/** From the server: instances beyond one per label, and instances the client never reported. */
function serverCounts(ctx: ScenarioContext, known: Set<number>): Pick<Outcome, 'duplicates' | 'lost'> {
  const instances = ctx.sim.instances.list();
  const perLabel = new Map<string, number>();
  for (const instance of instances) perLabel.set(instance.label ?? '', (perLabel.get(instance.label ?? '') ?? 0) + 1);
  const duplicates = [...perLabel.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const lost = instances.filter((instance) => !known.has(instance.id)).length;
  return { duplicates, lost };
}

/** Creates sent to the same offer after one the server had committed but whose answer was lost. */
function resentCommittedCreates(ctx: ScenarioContext): number {
  const creates = ctx.sim.log.entries({ endpoint: 'create' });
  const committed = creates.filter((entry) => entry.fault === 'lost-response');
  return creates.filter((entry) => committed.some((c) => c !== entry && c.path === entry.path && entry.at >= c.at)).length;
}
