import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import type { InstanceSeed } from '../../../src/simulator';
import { sleep } from '../../../src/util/sleep';
import { runScenario } from '../harness/scenario';
import { ourClient } from '../workloads/clients';

const INSTANCES = 500;
const WAITS = 20;
const WINDOW_MS = 5 * 60_000;
/** The booting instances run 60 s, 67 s, ... 193 s after the start. */
const runsAfterMs = (i: number) => 60_000 + i * 7000;

export interface WaitsAtScaleResult {
  instances: number;
  waits: number;
  /** List requests per minute over the window, tree subscribed, no wait / twenty waits. */
  requestsPerMinNoWaits: number;
  requestsPerMinWaits: number;
  /** How long after its instance ran each wait resolved (ms). */
  latenciesMs: number[];
  rateLimited: number;
}

/**
 * 500 instances, 20 of them booting (running between 60 s and 193 s), the tree subscribed, over five
 * virtual minutes: once with no wait, once with a wait on each booting instance. The waits must not
 * cost requests, and each must resolve soon after its instance runs.
 */
export async function waitsAtScale(): Promise<WaitsAtScaleResult> {
  const seeds: InstanceSeed[] = Array.from({ length: INSTANCES }, (_, i) =>
    i < WAITS ? { status: 'loading', nextInMs: runsAfterMs(i), outcome: 'running' } : { status: 'running' },
  );
  const measure = async (waits: number) => {
    const latencies: number[] = [];
    const run = await runScenario({ simulator: { instances: seeds }, capMs: WINDOW_MS + 60_000 }, async (ctx) => {
      const start = ctx.clock.now();
      const api = ourClient(ctx);
      const monitor = new InstanceMonitor(api, { clock: ctx.clock });
      const ids = ctx.sim.instances.list().map((instance) => instance.id);
      const tree = monitor.subscribe();
      for (let i = 0; i < waits; i++) {
        monitor
          .waitUntilRunning(ids[i], { timeoutMs: WINDOW_MS })
          .then(() => latencies.push(ctx.clock.now() - (start + runsAfterMs(i))))
          .catch(() => undefined);
      }
      await sleep(ctx.clock, WINDOW_MS);
      tree.dispose();
      monitor.dispose();
      api.dispose();
    });
    const inWindow = run.log.filter((entry) => entry.at < run.origin + WINDOW_MS);
    return {
      perMin: inWindow.filter((entry) => entry.endpoint === 'instances').length / (WINDOW_MS / 60_000),
      rateLimited: inWindow.filter((entry) => entry.status === 429).length,
      latencies,
    };
  };
  const none = await measure(0);
  const twenty = await measure(WAITS);
  return {
    instances: INSTANCES,
    waits: WAITS,
    requestsPerMinNoWaits: none.perMin,
    requestsPerMinWaits: twenty.perMin,
    latenciesMs: twenty.latencies,
    rateLimited: none.rateLimited + twenty.rateLimited,
  };
}

export function waitsAtScaleText(result: WaitsAtScaleResult): { latency: string; requests: string } {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const resolved = sorted.length;
  const worst = resolved ? sorted[resolved - 1] / 1000 : NaN;
  const median = resolved ? sorted[Math.floor(resolved / 2)] / 1000 : NaN;
  const ratio = result.requestsPerMinWaits / result.requestsPerMinNoWaits;
  return {
    latency:
      `${resolved}/${result.waits} waits resolved; after their instance ran: worst ${worst.toFixed(1)} s, median ${median.toFixed(1)} s ` +
      `(${result.instances} instances, virtual time)`,
    requests:
      `${result.requestsPerMinWaits.toFixed(1)} list requests/min with ${result.waits} waits vs ${result.requestsPerMinNoWaits.toFixed(1)} with none = ` +
      `${ratio.toFixed(2)}x${result.rateLimited ? `; ${result.rateLimited} x 429` : ''}`,
  };
}
