import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { SimulatorOptions } from '../../../src/simulator';

/** [ms since the simulator started, endpoint, status], from the simulator's own log. */
type LogEntry = [number, string | undefined, number];

export interface LearningFigures {
  /** 30 searches against a server at twice the configured interval answering `Retry-After: 1` only. */
  burst: { rateLimited: number; elapsedMs: number; idealMs: number; failed: number };
  /** Set API Key followed by the session start: 429s now, and with the check on its own budget (before). */
  setKey: { rateLimited: number; rateLimitedUnshared: number };
  /** Learning 429s of a first process, then of a second one on the same state directory. */
  startup: { cold: number; warm: number };
}

const BURST_SERVER_INTERVAL_MS = 2000;

/**
 * Issue 9's real-time workloads for learning: the simulator in its own process, each client in its
 * own process, real timers. Every count comes from the simulator's request log.
 */
export async function learningWorkloads(): Promise<LearningFigures> {
  const burst = await withSimulator(
    { rateLimits: { intervalsMs: { search: BURST_SERVER_INTERVAL_MS }, retryAfter: 1, body: 'bare' } },
    async (sim) => {
      const own = await runClient('burst', sim);
      const log = await sim.log();
      return {
        rateLimited: log.filter(([, e, s]) => e === 'search' && s === 429).length,
        elapsedMs: own.elapsedMs as number,
        idealMs: 29 * BURST_SERVER_INTERVAL_MS,
        failed: own.failed as number,
      };
    },
  );
  const setKey = {
    rateLimited: await withSimulator({ instances: 3 }, async (sim) => {
      await runClient('setKeyThenSession', sim);
      return count429(await sim.log());
    }),
    rateLimitedUnshared: await withSimulator({ instances: 3 }, async (sim) => {
      await runClient('setKeyThenSessionUnshared', sim);
      return count429(await sim.log());
    }),
  };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-bench-state-'));
  try {
    const startup = await withSimulator({ instances: 1 }, async (sim) => {
      await runClient('showThrice', sim, stateDir);
      const cold = count429(await sim.log());
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the second process starts later, as a restart would
      await runClient('showThrice', sim, stateDir);
      return { cold, warm: count429(await sim.log()) - cold };
    });
    return { burst, setKey, startup };
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The bench lines: each figure beside its goal (issue 9). */
export function learningWorkloadsText(f: LearningFigures): string {
  const ratio = f.burst.elapsedMs / f.burst.idealMs;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    'Real time (simulator and each client in their own processes):',
    `  Retry-After-only burst (server interval 2x the configured 1 s, "Retry-After: 1", bare 429 body; 30 searches): ` +
      `${f.burst.rateLimited} 429s (goal <= 3: ${verdict(f.burst.rateLimited <= 3)}), ` +
      `time/ideal ${ratio.toFixed(2)} (${(f.burst.elapsedMs / 1000).toFixed(1)} s / ${(f.burst.idealMs / 1000).toFixed(0)} s; goal <= 1.20: ${verdict(ratio <= 1.2)}), ` +
      `${f.burst.failed} failed`,
    `  Set API Key then session start: ${f.setKey.rateLimited} 429s (goal 0: ${verdict(f.setKey.rateLimited === 0)}); ` +
      `with the key check on its own budget (before): ${f.setKey.rateLimitedUnshared}`,
    `  Learning 429s, cold start ${f.startup.cold} vs warm start ${f.startup.warm} (goal warm = 0: ${verdict(f.startup.warm === 0)})`,
  ].join('\n');
}

function count429(log: LogEntry[]): number {
  return log.filter(([, , status]) => status === 429).length;
}

interface SimulatorProcess {
  url: string;
  apiKey: string;
  log(): Promise<LogEntry[]>;
}

async function withSimulator<T>(options: SimulatorOptions, work: (sim: SimulatorProcess) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'simulatorServer.ts'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  try {
    const { url, apiKey } = JSON.parse(await nextLine(lines, child)) as { url: string; apiKey: string };
    return await work({
      url,
      apiKey,
      log: async () => {
        child.stdin!.write('log\n');
        return JSON.parse(await nextLine(lines, child)) as LogEntry[];
      },
    });
  } finally {
    lines.close();
    child.stdin?.end();
    child.kill();
  }
}

async function runClient(scenario: string, sim: SimulatorProcess, stateDir?: string): Promise<Record<string, unknown>> {
  const args = ['--import', 'tsx', path.join(__dirname, 'clientProcess.ts'), scenario, sim.url, sim.apiKey, ...(stateDir ? [stateDir] : [])];
  // The key goes to the child on its command line only because both are ours and local; it is never printed.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VAST_SHARE_BUDGET: '0' } });
  const lines = createInterface({ input: child.stdout! });
  try {
    return JSON.parse(await nextLine(lines, child)) as Record<string, unknown>;
  } finally {
    lines.close();
    await once(child, 'exit').catch(() => undefined);
  }
}

async function nextLine(lines: Interface, child: ChildProcess): Promise<string> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`child process exited (${code}) before answering`);
  });
  exited.catch(() => undefined);
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  return line;
}
