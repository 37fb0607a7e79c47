import { buildSearchBody, type OfferQuery } from '../../../src/api/offerQuery';
import { sleep } from '../../../src/util/sleep';
import type { ScenarioContext } from '../harness/scenario';
import { baselineClient, ourClient } from './clients';
import type { ClientName, Outcome, Workload } from './workload';

const QUERY: OfferQuery = { gpuName: 'RTX 4090', maxDph: 0.6, order: 'price' };
const EARLIER_MS = 150_000;
const QUOTA_MS = 6 * 3600_000;

/**
 * Workload 5: each client searched once 2.5 min ago; now the daily search quota is exhausted
 * (429 with a Retry-After of 6 h) and the same search is asked for again.
 */
export function staleQuota(id: string): Workload {
  return {
    id,
    title: `search quota exhausted (429, Retry-After ${QUOTA_MS / 3600_000} h); the same search succeeded ${EARLIER_MS / 60_000} min earlier`,
    idealDefinition: 'serve the earlier result at once, marked stale (0 s); nothing fresh exists until the quota resets',
    neededDefinition: 'one request to learn that the quota is exhausted (1)',
    idealMs: 0,
    requestsNeeded: 1,
    classes: ['search'],
    simulator: {},
    capMs: 15 * 60_000,
    quotaUntil: (run) => run.origin + QUOTA_MS,
    async run(client, ctx) {
      const search = searcher(client, ctx);
      await search();
      await sleep(ctx.clock, EARLIER_MS, ctx.signal);
      ctx.sim.limits.exhaustSearchQuota(QUOTA_MS);
      ctx.markStart();
      const outcome: Outcome = { operations: 1, failed: 0, staleAfterMs: null };
      try {
        if ((await search()) === 'stale') outcome.staleAfterMs = ctx.elapsed();
      } catch {
        outcome.failed = 1;
      }
      return outcome;
    },
    oursBroken: (outcome) => (outcome.staleAfterMs == null ? ['did not serve the cached result'] : []),
  };
}

/** The same search through one client: 'stale' when it answered with an earlier, stale result. */
function searcher(client: ClientName, ctx: ScenarioContext): () => Promise<'stale' | 'fresh'> {
  if (client === 'ours') {
    const api = ourClient(ctx);
    return async () => ((await api.searchOffers(QUERY)).source === 'stale' ? 'stale' : 'fresh');
  }
  const api = baselineClient(client, ctx);
  return async () => {
    await api.search(buildSearchBody(QUERY)); // no cache: an answer is always fresh
    return 'fresh';
  };
}
