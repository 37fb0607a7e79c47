import { setMaxListeners } from 'node:events';
import { startSimulator, type RequestLogEntry, type Simulator, type SimulatorOptions } from '../../../src/simulator';
import type { EndpointClass } from '../../../src/vast/endpoints';
import { VirtualClock } from '../../support/virtualClock';
import { duration } from './table';

/** Every simulator in the bench uses this seed: each client meets exactly the same world. */
export const BENCH_SEED = 42;

export interface ScenarioContext {
  clock: VirtualClock;
  sim: Simulator;
  /** Aborted when the virtual-time cap is reached: clients stop sleeping and sending. */
  signal: AbortSignal;
  /** Moves the measurement origin to now, after a setup phase (workload 5's earlier search). */
  markStart(): void;
  /** Virtual ms since the measurement origin. */
  elapsed(): number;
  /** Baselines report each deliberate sleep here, so a capped run can say what it was doing. */
  noteSleep(ms: number, reason: string): void;
}

export interface ScenarioRun<T> {
  outcome?: T;
  /** The work threw (a bench bug or an unexpected product exception). */
  error?: string;
  /** Still running when the cap was reached. */
  capped?: { capMs: number; sleeping?: string };
  /** Virtual ms from the measurement origin until the work settled (the cap when capped). */
  completionMs: number;
  /** Simulator log entries from the measurement origin on. */
  log: RequestLogEntry[];
  intervalsMs: Record<EndpointClass, number>;
  origin: number;
}

/**
 * One client in one workload: a fresh virtual clock and simulator (same seed), the work driven on
 * virtual time until it settles or `capMs` of virtual time pass, then everything is torn down.
 */
export async function runScenario<T>(
  options: { simulator?: SimulatorOptions; capMs: number },
  work: (ctx: ScenarioContext) => Promise<T>,
): Promise<ScenarioRun<T>> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ seed: BENCH_SEED, ...options.simulator, clock });
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const runStart = clock.now();
  let origin = runStart;
  let lastSleep: { ms: number; reason: string } | undefined;
  const ctx: ScenarioContext = {
    clock,
    sim,
    signal: controller.signal,
    markStart: () => (origin = clock.now()),
    elapsed: () => clock.now() - origin,
    noteSleep: (ms, reason) => (lastSleep = { ms, reason }),
  };
  const result: ScenarioRun<T> = { completionMs: 0, log: [], intervalsMs: sim.limits.settings.intervalsMs, origin };
  try {
    const pending = work(ctx);
    try {
      result.outcome = await clock.run(pending, options.capMs);
      result.completionMs = clock.now() - origin;
    } catch (error) {
      if (!/still pending after/.test((error as Error).message)) throw error;
      const sleeping = lastSleep && `${duration(lastSleep.ms)}: ${lastSleep.reason}`;
      result.capped = { capMs: options.capMs, sleeping };
      result.completionMs = runStart + options.capMs - origin;
      controller.abort(new Error('bench cap reached'));
      await clock.run(pending.catch(() => undefined), 60_000);
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    result.completionMs = clock.now() - origin;
  } finally {
    result.origin = origin;
    result.log = sim.log.entries((entry) => entry.at >= origin);
    result.intervalsMs = { ...sim.limits.settings.intervalsMs };
    await sim.close();
    clock.uninstall();
  }
  return result;
}

