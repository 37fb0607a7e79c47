import { buildSearchBody, type OfferQuery } from '../../../src/api/offerQuery';
import { GPU_MODELS } from '../../../src/simulator';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { ENDPOINTS } from '../../../src/vast/endpoints';
import { baselineClient, ourClient } from './clients';
import { countFailures, type Workload } from './workload';

const SEARCHES = 200;
const DISTINCT = 40;

/** 40 distinct queries: 8 GPU models x 5 price caps. */
function distinctQueries(): OfferQuery[] {
  const gpus = GPU_MODELS.slice(0, 8).map((model) => model.name);
  const caps = [0.3, 0.5, 0.8, 1.2, 2.0];
  return gpus.flatMap((gpuName) => caps.map((maxDph) => ({ gpuName, maxDph, order: 'price' as const })));
}

/** 200 searches (each distinct query 5 times), in a seeded shuffled order, all issued at once. */
function burst(): OfferQuery[] {
  const queries = distinctQueries();
  const all = Array.from({ length: SEARCHES }, (_, i) => queries[i % DISTINCT]);
  const random = mulberry32(1);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

/** Workloads 1 and 4: the same burst, under strict (Vast default) or probabilistic enforcement. */
export function searchBurst(id: string, enforcement: 'strict' | 'probabilistic'): Workload {
  const interval = ENDPOINTS.search.publishedIntervalMs;
  return {
    id,
    title: `${SEARCHES} searches, ${DISTINCT} distinct queries, issued at once (${enforcement} enforcement)`,
    idealDefinition: `${DISTINCT} distinct searches spaced by the search interval: ${DISTINCT - 1} x ${interval / 1000} s`,
    neededDefinition: `one request per distinct query (${DISTINCT})`,
    idealMs: (DISTINCT - 1) * interval,
    requestsNeeded: DISTINCT,
    classes: ['search'],
    simulator: { rateLimits: { enforcement } },
    capMs: 60 * 60_000,
    async run(client, ctx) {
      const queries = burst();
      if (client === 'ours') {
        const api = ourClient(ctx);
        const failed = await countFailures(queries.map((query) => api.searchOffers(query)));
        api.dispose();
        return { operations: SEARCHES, failed };
      }
      const api = baselineClient(client, ctx);
      return { operations: SEARCHES, failed: await countFailures(queries.map((query) => api.search(buildSearchBody(query)))) };
    },
    oursBroken: (outcome) => (outcome.failed ? [`${outcome.failed} searches failed`] : []),
  };
}
