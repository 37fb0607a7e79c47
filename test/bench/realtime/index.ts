import { renderTable } from '../harness/table';
import type { RealtimeResult, RealtimeWorkload } from './realtimeWorkload';
import { oneKeyManyProcesses } from './workloads/oneKeyManyProcesses';
import { sharedWaitsAtScale } from './workloads/sharedWaitsAtScale';

/** The real-time workloads, in the order they run. Add yours here (see README.md in this folder). */
export function realtimeWorkloads(): RealtimeWorkload[] {
  return [oneKeyManyProcesses, sharedWaitsAtScale];
}

export interface RealtimeOutcome {
  workload: RealtimeWorkload;
  result?: RealtimeResult;
  error?: string;
}

/** Runs the workloads (only those whose ids are in `only`, when given). */
export async function runRealtime(say: (line: string) => void, only?: readonly string[]): Promise<RealtimeOutcome[]> {
  const outcomes: RealtimeOutcome[] = [];
  for (const workload of realtimeWorkloads().filter((w) => !only?.length || only.includes(w.id))) {
    say(`${workload.id}: ${workload.title} ...`);
    try {
      outcomes.push({ workload, result: await workload.run(say) });
    } catch (error) {
      outcomes.push({ workload, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

/** One table per workload: each figure beside its goal. */
export function realtimeReport(outcomes: RealtimeOutcome[]): string {
  const blocks = ['Real-time workloads (real timers; the simulator and each client in its own process)', '-'.repeat(84)];
  for (const { workload, result, error } of outcomes) {
    blocks.push(`${workload.id}: ${workload.title}`);
    if (!result) {
      blocks.push(`  not measured: ${error}`);
      continue;
    }
    const rows = result.rows.flatMap((row) =>
      row.figures.map((figure, i) => [i === 0 ? row.label : '', figure.name, figure.value, figure.goal ?? '', figure.goal ? (figure.met ? 'met' : 'MISSED') : '']),
    );
    blocks.push(renderTable(['run', 'figure', 'value', 'goal', ''], rows));
    for (const note of result.notes) blocks.push(`  ${note}`);
    blocks.push('');
  }
  return blocks.join('\n');
}
