import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import type { InstanceSeed } from '../../../src/simulator';
import { sleep } from '../../../src/util/sleep';
import { runScenario } from '../harness/scenario';
import { renderTable } from '../harness/table';
import { ourClient } from '../workloads/clients';

const INSTANCE_COUNTS = [1, 50, 500];
const WAIT_COUNTS = [0, 1, 20];
const WINDOW_MS = 10 * 60_000;
const PAGE_SIZE = 25;

export interface MonitorScaleCell {
  instances: number;
  waits: number;
  requestsPerMin: number;
  /** Batched polls per minute: list requests / pages per full list (first pages, from the server log). */
  pollsPerMin: number;
  rateLimited: number;
}

/**
 * Our monitor with the tree subscribed and W concurrent waits, over 10 virtual minutes. The waited
 * instances (round-robin over the fleet) are loading for an hour, so the waits stay pending; the
 * rest run, so with no wait nothing is transitional.
 */
export async function monitorScale(): Promise<MonitorScaleCell[]> {
  const cells: MonitorScaleCell[] = [];
  for (const instances of INSTANCE_COUNTS) {
    for (const waits of WAIT_COUNTS) {
      const loading = Math.min(instances, waits);
      const seeds: InstanceSeed[] = Array.from({ length: instances }, (_, i) =>
        i < loading ? { status: 'loading', nextInMs: 3600_000, outcome: 'running' } : { status: 'running' },
      );
      const run = await runScenario({ simulator: { instances: seeds }, capMs: WINDOW_MS + 60_000 }, async (ctx) => {
        const api = ourClient(ctx);
        const monitor = new InstanceMonitor(api, { clock: ctx.clock });
        const ids = ctx.sim.instances.list().map((instance) => instance.id);
        const tree = monitor.subscribe();
        for (let i = 0; i < waits; i++) monitor.waitUntilRunning(ids[i % loading], { timeoutMs: 2 * 3600_000 }).catch(() => undefined);
        await sleep(ctx.clock, WINDOW_MS);
        tree.dispose();
        monitor.dispose();
        api.dispose();
      });
      const inWindow = run.log.filter((entry) => entry.at < run.origin + WINDOW_MS);
      const lists = inWindow.filter((entry) => entry.endpoint === 'instances').length;
      const minutes = WINDOW_MS / 60_000;
      cells.push({
        instances,
        waits,
        requestsPerMin: inWindow.length / minutes,
        pollsPerMin: lists / Math.max(1, Math.ceil(instances / PAGE_SIZE)) / minutes,
        rateLimited: inWindow.filter((entry) => entry.status === 429).length,
      });
    }
  }
  return cells;
}

export function monitorScaleReport(cells: MonitorScaleCell[]): string {
  const rows = INSTANCE_COUNTS.map((instances) => [
    `${instances} instance${instances === 1 ? '' : 's'}`,
    ...WAIT_COUNTS.map((waits) => {
      const cell = cells.find((c) => c.instances === instances && c.waits === waits)!;
      return `${cell.requestsPerMin.toFixed(1)} (${cell.pollsPerMin.toFixed(1)})${cell.rateLimited ? ` ${cell.rateLimited}x429` : ''}`;
    }),
  ]);
  return [
    'Monitor scale: API requests/min (polls/min) over 10 virtual minutes, tree subscribed',
    renderTable(['', ...WAIT_COUNTS.map((w) => `${w} wait${w === 1 ? '' : 's'}`)], rows),
    `  polls = list requests / pages per full list (${PAGE_SIZE} per page), from the server log; waited instances loading for 1 h, the rest running`,
  ].join('\n');
}
