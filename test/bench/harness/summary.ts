import type { ClientResult, WorkloadResult } from '../workloads/workload';
import { duration, renderTable } from './table';
import { completionRatio, completionText } from './workloadReport';

/** One cell: the completion ratio, with what went wrong next to it (a fast run that failed is no win). */
function cell(result: ClientResult, idealMs: number): string {
  const { run } = result;
  const outcome = run.outcome;
  if (idealMs <= 0) {
    // Workload 5: the figure is how soon usable (stale) data was served.
    if (run.capped) return `${completionText(result)}, still sleeping${run.capped.sleeping ? ` ${run.capped.sleeping}` : ''}`;
    if (outcome?.staleAfterMs != null) return `stale served at ${duration(outcome.staleAfterMs)}`;
    return `no data; failed at ${completionText(result)}`;
  }
  const problems = [
    ...(outcome?.failed && !run.capped ? [`${outcome.failed} failed`] : []),
    ...(outcome?.duplicates ? [`${outcome.duplicates} dup`] : []),
    ...(outcome?.lost ? [`${outcome.lost} lost`] : []),
    ...(run.capped ? ['capped'] : []),
  ];
  return `${completionRatio(result, idealMs)}${problems.length ? ` (${problems.join(', ')})` : ''}`;
}

export function ratiosSummary(results: WorkloadResult[]): string {
  const rows = results.map(({ workload, results: clients }) => [
    workload.id,
    workload.idealMs > 0 ? duration(workload.idealMs) : '0 s',
    ...clients.map((result) => cell(result, workload.idealMs)),
  ]);
  return [
    'Ratios summary: completion time / ideal (1.00 = what the intervals allow; failures next to it)',
    renderTable(['workload', 'ideal', ...results[0].results.map((r) => r.client)], rows),
  ].join('\n');
}
