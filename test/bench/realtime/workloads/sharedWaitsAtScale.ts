import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstanceSeed, RequestLogEntry } from '../../../../src/simulator';
import { sleep, startClientProcess, startSimulatorProcess, stopClient } from '../processHarness';
import type { RealtimeResult, RealtimeRow, RealtimeWorkload } from '../realtimeWorkload';

const INSTANCES = 500;
const WAITS = 20;
const FIRST_ID = 5001;
/** Measured from when every process is up. */
const WINDOW_MS = 150_000;
/** The booting instances are set running 30 s, 33.5 s, ... 96.5 s into the window. */
const runsAtMs = (i: number) => 30_000 + i * 3500;

interface Run {
  label: string;
  processes: number;
  waits: boolean;
  fullPerMin: number;
  idPerMin: number;
  latenciesMs: number[];
  rateLimited: number;
  /** Each 429: endpoint, id-filtered or not, the limiter's reason, and the gap to the request before it on that endpoint. */
  limitedDetails: string[];
}

/**
 * The "waits at scale" figure with sharing on, in real processes: 500 instances, 20 of them booting,
 * every process a window with the Instances view visible. Without waits, then with the 20 waits spread
 * over the processes (the instances are set running one by one, 3.5 s apart), then the same 20 waits
 * in one process. Counts come from the simulator's log; a wait's latency is from setting its instance
 * running to the wait resolving in its process.
 */
export const sharedWaitsAtScale: RealtimeWorkload = {
  id: 'R2',
  title: `waits at scale, shared (${INSTANCES} instances, ${WAITS} booting; each process a visible view)`,
  async run(say) {
    const runs: Run[] = [];
    for (const [processes, waits] of [[3, false], [3, true], [1, true]] as Array<[number, boolean]>) {
      const run = await runOnce(processes, waits);
      runs.push(run);
      say(`  ${run.label}: ${run.fullPerMin.toFixed(1)} full-list + ${run.idPerMin.toFixed(1)} id-filtered requests/min, ${run.latenciesMs.length} waits resolved, ${run.rateLimited} 429s`);
      for (const detail of run.limitedDetails) say(`    429: ${detail}`);
    }
    const base = runs[0].fullPerMin + runs[0].idPerMin;
    const rows: RealtimeRow[] = runs.map((run) => {
      const total = run.fullPerMin + run.idPerMin;
      const sorted = [...run.latenciesMs].sort((a, b) => a - b);
      const worst = sorted.length ? sorted[sorted.length - 1] / 1000 : NaN;
      const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] / 1000 : NaN;
      const figures: RealtimeRow['figures'] = [
        { name: 'list requests/min (full + id)', value: `${total.toFixed(1)} (${run.fullPerMin.toFixed(1)} + ${run.idPerMin.toFixed(1)})` },
      ];
      if (run.waits) {
        const ratio = total / base;
        figures.push(
          { name: 'ratio to no waits (3 processes)', value: `${ratio.toFixed(2)}x`, goal: '<= 1.15x', met: ratio <= 1.15 },
          { name: 'waits resolved', value: `${sorted.length}/${WAITS}`, goal: `${WAITS}/${WAITS}`, met: sorted.length === WAITS },
          { name: 'after running: worst / median', value: `${worst.toFixed(1)} s / ${median.toFixed(1)} s`, goal: 'worst <= 6 s', met: worst <= 6 },
        );
      }
      figures.push({ name: '429s', value: String(run.rateLimited), goal: '0', met: run.rateLimited === 0 });
      return { label: run.label, figures };
    });
    return {
      rows,
      notes: [
        `requests: GET /api/v1/instances/ in a ${WINDOW_MS / 1000} s window from when every process is up, from the simulator's log (id-filtered: select_filters on id); 429s over the whole run.`,
        'Each process: a VastClient from dist/core.js on a shared budget, an InstanceMonitor subscribed, and its share of the waits.',
        'Latency: from the bench setting the instance running (via the simulator process) to the wait resolving in its process, real time.',
        ...runs.flatMap((run) => run.limitedDetails.map((detail) => `429 in "${run.label}": ${detail}`)),
      ],
    };
  },
};

async function runOnce(processes: number, waits: boolean): Promise<Run> {
  const seeds: InstanceSeed[] = Array.from({ length: INSTANCES }, (_, i) =>
    i < WAITS ? { id: FIRST_ID + i, status: 'loading', nextInMs: 24 * 3600_000, outcome: 'running' } : { status: 'running' },
  );
  const sim = await startSimulatorProcess({ seed: 12, instances: seeds });
  // A private socket directory per run: the bench never joins a real window's group.
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-bench-'));
  const env = { XDG_RUNTIME_DIR: runtime, VAST_SHARE_BUDGET: '1' };
  const label = `${processes} process${processes > 1 ? 'es' : ''}, ${waits ? `${WAITS} waits` : 'no waits'}`;
  try {
    // Round robin: process k waits for instances k, k + processes, ...
    const clients = await Promise.all(
      Array.from({ length: processes }, (_, k) => {
        const waitFor = waits ? Array.from({ length: WAITS }, (_, i) => FIRST_ID + i).filter((_, i) => i % processes === k) : [];
        return startClientProcess('monitorAndWaitMany', { url: sim.url, apiKey: sim.apiKey, waitFor }, env);
      }),
    );
    const from = (await sim.log()).length;
    const start = Date.now();
    const setAt: Record<string, number> = {};
    for (let i = 0; i < WAITS; i++) {
      await sleep(Math.max(0, start + runsAtMs(i) - Date.now()));
      setAt[FIRST_ID + i] = Date.now();
      sim.setStatus(FIRST_ID + i, 'running');
    }
    await sleep(Math.max(0, start + WINDOW_MS - Date.now()));
    const entries = await sim.log();
    const reports = await Promise.all(clients.map((client) => stopClient(client)));
    const inWindow = entries.slice(from).filter((entry: RequestLogEntry) => entry.endpoint === 'instances' && entry.at < start + WINDOW_MS);
    const id = inWindow.filter((entry) => (entry.filteredBy ?? []).includes('id')).length;
    const latenciesMs = reports.flatMap((report) =>
      Object.entries((report.waited ?? {}) as Record<string, number>).map(([instance, at]) => at - setAt[instance]),
    );
    return {
      label,
      processes,
      waits,
      fullPerMin: (inWindow.length - id) / (WINDOW_MS / 60_000),
      idPerMin: id / (WINDOW_MS / 60_000),
      latenciesMs,
      rateLimited: entries.filter((entry) => entry.status === 429).length,
      limitedDetails: entries.flatMap((entry, i) => {
        if (entry.status !== 429) return [];
        const before = entries.slice(0, i).reverse().find((other) => other.endpoint === entry.endpoint);
        const gap = before ? `${entry.at - before.at} ms after the previous` : 'first';
        return [`${entry.endpoint}${(entry.filteredBy ?? []).includes('id') ? ' (id-filtered)' : ''}, ${entry.limited ?? '?'}, ${gap}`];
      }),
    };
  } finally {
    sim.process.send({ cmd: 'stop' });
    setTimeout(() => sim.process.kill(), 2000).unref();
    fs.rmSync(runtime, { recursive: true, force: true });
  }
}
