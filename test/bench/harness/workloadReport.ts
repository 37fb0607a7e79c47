import { ENDPOINTS, type EndpointClass } from '../../../src/vast/endpoints';
import type { ClientResult, WorkloadResult } from '../workloads/workload';
import { duration, ratio, renderTable } from './table';

const SHORT: Partial<Record<EndpointClass, string>> = { instances: 'list', instance: 'show' };

/** The time a client took, or why it has none. */
export function completionText(result: ClientResult): string {
  const { run } = result;
  if (run.error) return 'error';
  if (run.capped) return `>${duration(run.completionMs)}`;
  return duration(run.completionMs);
}

export function completionRatio(result: ClientResult, idealMs: number): string {
  const { run } = result;
  if (run.error) return 'error';
  if (idealMs <= 0) return '—';
  return `${run.capped ? '>' : ''}${ratio(run.completionMs, idealMs)}`;
}

/** One table per workload: rows are clients, columns the figures, then the definitions. */
export function workloadReport({ workload, results }: WorkloadResult): string {
  const headers = ['client', 'ok/ops', 'time', 'time/ideal', '429s', 'requests', 'req/needed', 'min gap/interval', 'dup', 'lost', 'stale after', 'in cooldown', 'failed'];
  const staleness = results.some((r) => r.run.outcome?.staleAfterMs !== undefined);
  const rows = results.map((result) => {
    const { run, server } = result;
    const o = run.outcome;
    const spacing = workload.classes
      .filter((c) => server.byClass[c]?.minGapMs !== undefined)
      .map((c) => `${SHORT[c] ?? c} ${ratio(server.byClass[c]!.minGapMs!, run.intervalsMs[c] ?? ENDPOINTS[c].publishedIntervalMs)}`)
      .join(', ');
    const stale = staleness ? (o?.staleAfterMs == null ? 'never' : duration(o.staleAfterMs)) : '—';
    return [
      result.client,
      o && !run.capped ? `${o.operations - o.failed}/${o.operations}` : run.capped ? 'capped' : 'error',
      completionText(result),
      completionRatio(result, workload.idealMs),
      String(server.rateLimited),
      String(server.requests),
      ratio(server.requests, workload.requestsNeeded),
      spacing || '—',
      o?.duplicates === undefined ? '—' : String(o.duplicates),
      o?.lost === undefined ? '—' : String(o.lost),
      stale,
      String(server.sentInCooldown),
      o && !run.capped ? String(o.failed) : '—',
    ];
  });
  const notes = results.flatMap((r) => [
    ...(r.run.capped ? [`  ${r.client}: stopped at the ${duration(r.run.capped.capMs)} virtual-time cap${r.run.capped.sleeping ? `, sleeping ${r.run.capped.sleeping}` : ''}`] : []),
    ...(r.run.error ? [`  ${r.client}: threw ${r.run.error}`] : []),
    ...(r.run.outcome?.note ? [`  ${r.client}: ${r.run.outcome.note}`] : []),
  ]);
  return [
    `${workload.id}. ${workload.title}`,
    renderTable(headers, rows),
    `  ideal: ${workload.idealDefinition} = ${workload.idealMs > 0 ? duration(workload.idealMs) : '0 s'}`,
    `  needed: ${workload.neededDefinition}`,
    ...notes,
  ].join('\n');
}
