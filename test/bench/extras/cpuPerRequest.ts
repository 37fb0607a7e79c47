import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { VastClient } from '../../../src/api/vastClient';
import { systemClock } from '../../../src/util/clock';
import { ENDPOINT_CLASSES, type EndpointClass } from '../../../src/vast/endpoints';
import { CliClient } from '../baselines/cliClient';

const REQUESTS = 1000;
const CONCURRENCY = 8;
const WARM_UP = 100;

export interface CpuResult {
  /** CPU ms (user + system) of this process per 1,000 requests. */
  oursShowMs: number;
  oursSearchMs: number;
  cliShowMs: number;
}

/**
 * CPU time of the client per 1,000 requests, real time, with the simulator in a child process
 * (rate limits off there, intervals 0 in our client) so the figure is the client's alone.
 */
export async function cpuPerRequest(): Promise<CpuResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'simulatorProcess.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const { url, apiKey } = await firstLine(child);
    const noIntervals = Object.fromEntries(ENDPOINT_CLASSES.map((c) => [c, 0])) as Record<EndpointClass, number>;
    const ours = new VastClient({ apiKey, baseUrl: url, intervalsMs: noIntervals });
    const cli = new CliClient({ clock: systemClock, baseUrl: url, apiKey, signal: new AbortController().signal });
    const id = (await ours.listInstances())[0].id;
    const queries = Array.from({ length: CONCURRENCY }, (_, i) => ({ maxDph: 0.5 + i / 10 }));
    const result = {
      oursShowMs: await measure((worker) => ours.showInstance(id).then(() => worker)),
      // Each worker has its own query, so identical searches never share a request; refresh skips the cache.
      oursSearchMs: await measure((worker) => ours.searchOffers(queries[worker], { refresh: true })),
      cliShowMs: await measure(() => cli.showInstance(id)),
    };
    ours.dispose();
    return result;
  } finally {
    child.stdin?.end();
    child.kill();
  }
}

/** CPU ms for REQUESTS calls, CONCURRENCY at a time, after a warm-up. */
async function measure(call: (worker: number) => Promise<unknown>): Promise<number> {
  const runBatch = async (total: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (next++ < total) await call(worker);
      }),
    );
  };
  await runBatch(WARM_UP);
  const before = process.cpuUsage();
  await runBatch(REQUESTS);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000) * (1000 / REQUESTS);
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
