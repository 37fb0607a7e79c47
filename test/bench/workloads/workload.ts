import type { SimulatorOptions } from '../../../src/simulator';
import type { EndpointClass } from '../../../src/vast/endpoints';
import { runScenario, type ScenarioContext, type ScenarioRun } from '../harness/scenario';
import { serverFigures, type ServerFigures } from '../harness/serverFigures';

export type ClientName = 'ours' | 'seed' | 'cli';
export const CLIENTS: readonly ClientName[] = ['ours', 'seed', 'cli'];

/** What a workload's run reports about its operations (client-side outcome, checked against the server where it can be). */
export interface Outcome {
  operations: number;
  failed: number;
  /** Extra instances beyond one per requested slot (server side). */
  duplicates?: number;
  /** Instances on the server the client never reported (paid for, untracked). */
  lost?: number;
  /** Workload 5: virtual ms until stale data was served; null = never served. */
  staleAfterMs?: number | null;
  /** Virtual ms at which the operations were done, when background loops (a tree) still had to drain. */
  finishedAtMs?: number;
  /** Something the table cannot show, printed under it. */
  note?: string;
}

export interface Workload {
  id: string;
  title: string;
  /** How "ideal" is defined, printed under the table. */
  idealDefinition: string;
  neededDefinition: string;
  /** Virtual ms; 0 when the ideal is "at once" (no ratio then). */
  idealMs: number;
  requestsNeeded: number;
  /** Classes whose spacing matters here (the min-gap column). */
  classes: EndpointClass[];
  simulator: SimulatorOptions;
  capMs: number;
  /** When the search quota ends, for the cooldown count (workload 5). */
  quotaUntil?: (run: ScenarioRun<Outcome>) => number | undefined;
  run(client: ClientName, ctx: ScenarioContext): Promise<Outcome>;
  /** Why our result breaks correctness (empty when it does not). */
  oursBroken(outcome: Outcome): string[];
}

export interface ClientResult {
  client: ClientName;
  run: ScenarioRun<Outcome>;
  server: ServerFigures;
}

export interface WorkloadResult {
  workload: Workload;
  results: ClientResult[];
  /** Reasons our client broke a correctness count. */
  broken: string[];
}

export async function runWorkload(workload: Workload): Promise<WorkloadResult> {
  const results: ClientResult[] = [];
  for (const client of CLIENTS) {
    const run = await runScenario({ simulator: workload.simulator, capMs: workload.capMs }, (ctx) => workload.run(client, ctx));
    if (run.outcome?.finishedAtMs !== undefined) run.completionMs = run.outcome.finishedAtMs;
    results.push({ client, run, server: serverFigures(run.log, run.intervalsMs, workload.quotaUntil?.(run)) });
  }
  const ours = results[0].run;
  const broken = ours.error
    ? [`threw: ${ours.error}`]
    : ours.capped || !ours.outcome
      ? ['did not finish within the cap']
      : workload.oursBroken(ours.outcome);
  return { workload, results, broken: broken.map((reason) => `${workload.id}: ${reason}`) };
}

/** Counts failed settlements of a batch of operations. */
export async function countFailures(operations: Array<Promise<unknown>>): Promise<number> {
  const settled = await Promise.allSettled(operations);
  return settled.filter((s) => s.status === 'rejected').length;
}
