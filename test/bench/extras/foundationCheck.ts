import type { OfferQuery } from '../../../src/api/offerQuery';
import { GPU_MODELS } from '../../../src/simulator';
import { ENDPOINTS } from '../../../src/vast/endpoints';
import { runScenario } from '../harness/scenario';
import { duration, ratio } from '../harness/table';
import { countFailures } from '../workloads/workload';
import { ourClient } from '../workloads/clients';

const SEARCHES = 30;

export interface FoundationResult {
  searches: number;
  failed: number;
  completionMs: number;
  idealMs: number;
  rateLimitedByClass: Record<string, number>;
}

/** 30 distinct searches at once, default Vast mode: all must succeed, spaced by the search interval. */
export async function foundationCheck(): Promise<FoundationResult> {
  const queries: OfferQuery[] = GPU_MODELS.slice(0, 6).flatMap((model) => [0.3, 0.5, 0.8, 1.2, 2.0].map((maxDph) => ({ gpuName: model.name, maxDph })));
  const run = await runScenario({ capMs: 60 * 60_000 }, async (ctx) => {
    const api = ourClient(ctx);
    const failed = await countFailures(queries.slice(0, SEARCHES).map((query) => api.searchOffers(query)));
    api.dispose();
    return failed;
  });
  const rateLimitedByClass: Record<string, number> = {};
  for (const entry of run.log) if (entry.endpoint) rateLimitedByClass[entry.endpoint] = (rateLimitedByClass[entry.endpoint] ?? 0) + (entry.status === 429 ? 1 : 0);
  return {
    searches: SEARCHES,
    failed: run.outcome ?? SEARCHES,
    completionMs: run.completionMs,
    idealMs: (SEARCHES - 1) * ENDPOINTS.search.publishedIntervalMs,
    rateLimitedByClass,
  };
}

export function foundationReport(r: FoundationResult): string {
  const limited = Object.entries(r.rateLimitedByClass).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
  return (
    `Foundation check: ${r.searches} distinct searches at once (Vast mode): ${r.searches - r.failed}/${r.searches} succeeded, ` +
    `429s per class: ${limited}; ${duration(r.completionMs)} / ideal ${duration(r.idealMs)} (29 x 6 s) = ${ratio(r.completionMs, r.idealMs)}`
  );
}
