import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Instance } from '../../../src/vast/types';
import { runScenario } from '../harness/scenario';
import { ourClient } from '../workloads/clients';

const INSTANCES = 1000;
const ROUNDS = 20;
/** Being written by another engineer: imported only if it exists, by a path tsc does not resolve. */
export const PRESENTATION_MODULE = path.resolve(__dirname, '../../../src/ui/instancePresentation.ts');
/** Names the pure presenter is likely to have; otherwise its only (or first) exported function. */
const LIKELY_NAMES = ['presentInstance', 'instancePresentation', 'toPresentation', 'present', 'describeInstance', 'default'];

export type TreeRefreshResult = { available: false; reason: string } | { available: true; exportName: string; medianMs: number; instances: number };

/** 1,000 realistic instances, as the list endpoint returns them (mixed states, labels, images). */
export async function thousandInstances(): Promise<Instance[]> {
  const run = await runScenario({ capMs: 10 * 60_000 }, async (ctx) => {
    ctx.sim.instances.addMany(INSTANCES);
    const api = ourClient(ctx);
    const instances = await api.listInstances();
    api.dispose();
    return instances;
  });
  if (!run.outcome) throw new Error(`could not list ${INSTANCES} instances: ${run.error ?? 'capped'}`);
  return run.outcome;
}

/** Building the tree items for a 1,000-instance snapshot with the UI's presentation function. */
export async function treeRefresh(instances: Instance[], modulePath = PRESENTATION_MODULE): Promise<TreeRefreshResult> {
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(modulePath).href);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    return { available: false, reason: missing ? 'not built yet' : `could not load it: ${(error as Error).message}` };
  }
  const functions = Object.entries(module).filter(([, value]) => typeof value === 'function') as Array<[string, (...args: unknown[]) => unknown]>;
  const chosen = LIKELY_NAMES.map((name) => functions.find(([exported]) => exported === name)).find(Boolean) ?? functions[0];
  if (!chosen) return { available: false, reason: 'the module exports no function' };
  const [exportName, present] = chosen;
  const now = Date.now();
  const times: number[] = [];
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const started = performance.now();
      const items = instances.map((instance) => present(instance, now));
      if (round > 0) times.push(performance.now() - started); // round 0 warms up
      if (items.length !== instances.length) throw new Error('lost items');
    }
  } catch (error) {
    return { available: false, reason: `${exportName}() threw: ${(error as Error).message}` };
  }
  times.sort((a, b) => a - b);
  return { available: true, exportName, medianMs: times[Math.floor(times.length / 2)], instances: instances.length };
}

export function treeRefreshText(result: TreeRefreshResult): string {
  return result.available
    ? `${result.medianMs.toFixed(2)} ms per refresh of ${result.instances} items (${result.exportName}, median of ${ROUNDS})`
    : `n/a (${result.reason})`;
}
