import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import type { InstanceSeed } from '../../../src/simulator';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { sleep } from '../../../src/util/sleep';
import { ENDPOINTS } from '../../../src/vast/endpoints';
import type { BaselineClient } from '../baselines/baselineClient';
import type { ScenarioContext } from '../harness/scenario';
import { baselineClient, ourClient } from './clients';
import { countFailures, type Outcome, type Workload } from './workload';

const COUNT = 50;
const SPREAD_MS = 120_000;
const TREE_REFRESH_MS = 30_000;
const PAGE_SIZE = 25;

/** 50 instances loading now, each becoming `running` at a seeded random moment within 2 minutes. */
function bootSeeds(): InstanceSeed[] {
  const random = mulberry32(2026);
  return Array.from({ length: COUNT }, () => ({ status: 'loading' as const, nextInMs: 1000 + Math.round(random() * (SPREAD_MS - 1000)), outcome: 'running' as const }));
}

export interface Outage {
  fromMs: number;
  durationMs: number;
}

/**
 * Workloads 2 and 6: everything waited on at once while the tree refreshes, optionally with 503s
 * on the list and show endpoints for a while.
 */
export function bootWave(id: string, outage?: Outage): Workload {
  const seeds = bootSeeds();
  const lastRunningAt = Math.max(...seeds.map((seed) => seed.nextInMs!));
  const pages = Math.ceil(COUNT / PAGE_SIZE);
  const listInterval = ENDPOINTS.instances.publishedIntervalMs;
  const observableAt = Math.max(lastRunningAt, outage ? outage.fromMs + outage.durationMs : 0);
  const idealMs = observableAt + (pages - 1) * listInterval;
  const treeLists = Math.floor(idealMs / TREE_REFRESH_MS) + 1;
  const outageText = outage ? `, with 503s on list/show from ${outage.fromMs / 1000} s for ${outage.durationMs / 1000} s` : '';
  return {
    id,
    title: `${COUNT} instances running at random times over 2 min, all waited on at once, tree refreshing${outageText}`,
    idealDefinition:
      `the last instance runs at ${(lastRunningAt / 1000).toFixed(1)} s${outage ? ' (or the outage ends, if later)' : ''}; ` +
      `then one batched list (${pages} pages, ${listInterval / 1000} s apart) sees it`,
    neededDefinition: `an oracle's requests: the tree's batched list every ${TREE_REFRESH_MS / 1000} s over the ideal time (${treeLists} x ${pages} pages) + one batched list when the last instance runs (${pages})`,
    idealMs,
    requestsNeeded: (treeLists + 1) * pages,
    classes: ['instances', 'instance'],
    simulator: { instances: seeds },
    capMs: 30 * 60_000,
    async run(client, ctx) {
      if (outage) scheduleOutage(ctx, outage);
      const ids = ctx.sim.instances.list().map((instance) => instance.id);
      return client === 'ours' ? runOurs(ctx, ids) : runBaseline(baselineClient(client, ctx), ctx, ids);
    },
    oursBroken: (outcome) => (outcome.failed ? [`${outcome.failed} of ${outcome.operations} waits did not end running`] : []),
  };
}

function scheduleOutage(ctx: ScenarioContext, outage: Outage): void {
  ctx.clock.setTimeout(() => {
    ctx.sim.faults.add({ kind: 'status', status: 503, endpoint: ['instances', 'instance'], untilMs: ctx.clock.now() + outage.durationMs });
  }, outage.fromMs);
}

/** Ours: the tree is a monitor subscription; every wait rides on the same batched poll. */
async function runOurs(ctx: ScenarioContext, ids: number[]): Promise<Outcome> {
  const api = ourClient(ctx);
  const monitor = new InstanceMonitor(api, { clock: ctx.clock });
  const tree = monitor.subscribe();
  const failed = await countFailures(ids.map((id) => monitor.waitUntilRunning(id, { signal: ctx.signal })));
  tree.dispose();
  monitor.dispose();
  api.dispose();
  return { operations: ids.length, failed };
}

/** Baselines: their own wait loop per instance, and a list call every 30 s for the tree. */
async function runBaseline(api: BaselineClient, ctx: ScenarioContext, ids: number[]): Promise<Outcome> {
  const treeStop = new AbortController();
  const tree = (async () => {
    while (!treeStop.signal.aborted && !ctx.signal.aborted) {
      await api.listInstances().catch(() => undefined); // a failed refresh shows an error; the next tick tries again
      await sleep(ctx.clock, TREE_REFRESH_MS, treeStop.signal).catch(() => undefined);
    }
  })();
  const failed = await countFailures(ids.map((id) => api.waitUntilRunning(id)));
  const finishedAtMs = ctx.elapsed();
  treeStop.abort();
  await tree;
  return { operations: ids.length, failed, finishedAtMs };
}
