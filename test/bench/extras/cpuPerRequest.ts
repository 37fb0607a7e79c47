import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { VastClient } from '../../../src/api/vastClient';
import { systemClock } from '../../../src/util/clock';
import { ENDPOINT_CLASSES, type EndpointClass } from '../../../src/vast/endpoints';
import { CliClient } from '../baselines/cliClient';

const REQUESTS = 1800;
const CONCURRENCY = 8;
const WARM_UP = 200;

export interface CpuResult {
  /** CPU ms (user + system) of this process per 1,000 requests: medians over interleaved rounds. */
  oursShowMs: number;
  oursSearchMs: number;
  cliShowMs: number;
  /** Median of the per-round ratios ours/cli for show-instance (goal: at most 1). */
  showRatio: number;
}

const ROUNDS = 9;

/**
 * CPU time of the client per 1,000 requests, real time, with the simulator in a child process
 * (rate limits off there, intervals 0 in our client) so the figure is the client's alone. Ours and
 * the CLI baseline run in alternating rounds (ours first in odd rounds, the CLI first in even ones)
 * after the same warm-up, and each figure is the median of its rounds: on a shared, busy machine
 * one long run of each measures the machine's mood as much as the client.
 */
export async function cpuPerRequest(): Promise<CpuResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'simulatorProcess.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const { url, apiKey } = await firstLine(child);
    const noIntervals = Object.fromEntries(ENDPOINT_CLASSES.map((c) => [c, 0])) as Record<EndpointClass, number>;
    const ours = new VastClient({ apiKey, baseUrl: url, intervalsMs: noIntervals, limitMemory: null });
    const cli = new CliClient({ clock: systemClock, baseUrl: url, apiKey, signal: new AbortController().signal });
    const id = (await ours.listInstances())[0].id;
    const queries = Array.from({ length: CONCURRENCY }, (_, i) => ({ maxDph: 0.5 + i / 10 }));
    const oursShow = () => measure(() => ours.showInstance(id), REQUESTS / ROUNDS);
    const cliShow = () => measure(() => cli.showInstance(id), REQUESTS / ROUNDS);
    await measure(() => ours.showInstance(id), WARM_UP);
    await measure(() => cli.showInstance(id), WARM_UP);
    const rounds: Array<{ ours: number; cli: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) rounds.push({ ours: await oursShow(), cli: await cliShow() });
      else {
        const cliMs = await cliShow();
        rounds.push({ ours: await oursShow(), cli: cliMs });
      }
    }
    // Each worker has its own query, so identical searches never share a request; refresh skips the cache.
    const oursSearchMs = await measure((worker) => ours.searchOffers(queries[worker], { refresh: true }), REQUESTS);
    ours.dispose();
    return {
      oursShowMs: median(rounds.map((r) => r.ours)),
      cliShowMs: median(rounds.map((r) => r.cli)),
      oursSearchMs,
      showRatio: median(rounds.map((r) => r.ours / r.cli)),
    };
  } finally {
    child.stdin?.end();
    child.kill();
  }
}

/** The bench line: each figure beside its goal (issue 13: at or below the CLI baseline's). */
export function cpuPerRequestText(cpu: CpuResult): string {
  return (
    `Client CPU per 1,000 requests (simulator in a child process, limits off; medians of ${ROUNDS} interleaved rounds): ` +
    `ours show-instance ${cpu.oursShowMs.toFixed(0)} ms vs cli baseline ${cpu.cliShowMs.toFixed(0)} ms, ` +
    `ratio ${cpu.showRatio.toFixed(2)} (goal <= 1.00: ${cpu.showRatio <= 1 ? 'met' : 'NOT met'}); ` +
    `ours search (64 offers, cache bypassed) ${cpu.oursSearchMs.toFixed(0)} ms`
  );
}

/** CPU ms per 1,000 calls for `total` calls, CONCURRENCY at a time. */
async function measure(call: (worker: number) => Promise<unknown>, total: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next++ < total) await call(worker);
    }),
  );
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000) * (1000 / total);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function firstLine(child: ChildProcess): Promise<{ url: string; apiKey: string }> {
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`simulator process exited (${code}) before listening`);
  });
  exited.catch(() => undefined); // it only matters while racing for the first line
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  lines.close();
  return JSON.parse(line);
}
