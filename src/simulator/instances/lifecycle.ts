import type { InstanceStatus } from '../../vast/types';
import type { Random } from '../random/prng';
import { defaultMessage, statusMessages } from './statusMessages';
import type { StatusEvent } from './timeline';

/** A fixed duration, or a [min, max] range drawn from the instance's own seeded stream. */
export type Range = number | readonly [min: number, max: number];

/** How long things take (clock ms). Tests set fixed numbers for exact timing. */
export interface LifecycleSettings {
  /** After create: `null`, then `created`, until loading starts. */
  provisionMs: Range;
  /** Pulling and starting the image, until `running` (or `exited`). */
  loadingMs: Range;
  /** Loading after a start of a stopped instance (the image is cached). */
  restartMs: Range;
  /** Delay before a stop or start takes effect on the host. */
  reactMs: Range;
  /** Time spent `rebooting`. */
  rebootMs: Range;
  /** Share of boots (create or start) that end `exited` instead of `running`. */
  failureRate: number;
  /** Time before a requested log upload can be downloaded (404 until then, like S3). */
  logsReadyMs: Range;
}

export const DEFAULT_LIFECYCLE: Readonly<LifecycleSettings> = {
  provisionMs: [5_000, 15_000],
  loadingMs: [30_000, 120_000],
  restartMs: [10_000, 30_000],
  reactMs: [2_000, 5_000],
  rebootMs: [10_000, 20_000],
  failureRate: 0.1,
  logsReadyMs: [500, 2_000],
};

export type BootOutcome = 'running' | 'exited';

/** Where a boot starts: a fresh create, or a seeded instance already part-way through. */
export type BootStage = 'new' | 'created' | 'loading';

export interface PlanContext {
  random: Random;
  settings: LifecycleSettings;
  image: string;
  runtype: string;
}

export function draw(random: Random, range: Range): number {
  return typeof range === 'number' ? range : random.int(range[0], range[1]);
}

/**
 * Create → `null` → `created` → `loading` (pulling, then extracting) → `running` or `exited`.
 * `firstStepMs` fixes how long the starting stage lasts (`null`, `created` or `loading`); `target: 'stopped'` ends in `stopped` once
 * provisioned (create with `target_state: "stopped"`).
 */
export function bootPlan(
  ctx: PlanContext,
  from: number,
  outcome: BootOutcome,
  options: { stage?: BootStage; firstStepMs?: number; target?: 'running' | 'stopped' } = {},
): StatusEvent[] {
  const { stage = 'new', firstStepMs, target = 'running' } = options;
  const events: StatusEvent[] = [];
  let loadingAt = from;
  if (stage === 'new') {
    // About 40% of provisioning reads `null`, the rest `created`.
    const provision = draw(ctx.random, ctx.settings.provisionMs);
    const createdAt = from + (firstStepMs ?? Math.round(provision * 0.4));
    events.push({ at: from, status: null, msg: null });
    events.push({ at: createdAt, status: 'created', msg: statusMessages.created() });
    loadingAt = createdAt + provision - Math.round(provision * 0.4);
  } else if (stage === 'created') {
    events.push({ at: from, status: 'created', msg: statusMessages.created() });
    loadingAt = from + (firstStepMs ?? Math.round(draw(ctx.random, ctx.settings.provisionMs) * 0.6));
  }
  if (target === 'stopped') return [...events, { at: loadingAt, status: 'stopped', msg: statusMessages.stopped() }];
  const loading = stage === 'loading' && firstStepMs !== undefined ? firstStepMs : draw(ctx.random, ctx.settings.loadingMs);
  events.push({ at: loadingAt, status: 'loading', msg: statusMessages.pulling(ctx.image) });
  events.push({ at: loadingAt + Math.round(loading * 0.6), status: 'loading', msg: statusMessages.extracting(ctx.image) });
  events.push(outcomeEvent(ctx, loadingAt + loading, outcome));
  return events;
}

/** Start of a stopped (or exited) instance: `loading` after the host reacts, then the outcome. */
export function restartPlan(ctx: PlanContext, from: number, outcome: BootOutcome): StatusEvent[] {
  const loadingAt = from + draw(ctx.random, ctx.settings.reactMs);
  return [
    { at: loadingAt, status: 'loading', msg: statusMessages.starting() },
    outcomeEvent(ctx, loadingAt + draw(ctx.random, ctx.settings.restartMs), outcome),
  ];
}

/** Stop: the status stays as it is until the host reacts, then `stopped`. */
export function stopPlan(ctx: PlanContext, from: number): StatusEvent[] {
  return [{ at: from + draw(ctx.random, ctx.settings.reactMs), status: 'stopped', msg: statusMessages.stopped() }];
}

/** Reboot: `rebooting` at once (docker stop/start keeps the GPU), then `running`. */
export function rebootPlan(ctx: PlanContext, from: number): StatusEvent[] {
  return [
    { at: from, status: 'rebooting', msg: statusMessages.rebooting() },
    outcomeEvent(ctx, from + draw(ctx.random, ctx.settings.rebootMs), 'running'),
  ];
}

/**
 * The timeline of an instance a scenario starts with: transitional statuses continue on their own
 * (`nextInMs` fixes how long the current stage lasts), settled ones stay put.
 */
export function seedPlan(
  ctx: PlanContext,
  now: number,
  status: InstanceStatus | null,
  outcome: BootOutcome,
  nextInMs?: number,
): StatusEvent[] {
  if (status === null || status === 'created' || status === 'loading') {
    return bootPlan(ctx, now, outcome, { stage: status ?? 'new', firstStepMs: nextInMs });
  }
  if (status === 'rebooting') {
    const [rebooting, done] = rebootPlan(ctx, now);
    return [rebooting, { ...done, at: nextInMs === undefined ? done.at : now + nextInMs }];
  }
  return [{ at: now, status, msg: defaultMessage(status, ctx.image, ctx.runtype, ctx.random) }];
}

function outcomeEvent(ctx: PlanContext, at: number, outcome: BootOutcome): StatusEvent {
  return outcome === 'running'
    ? { at, status: 'running', msg: statusMessages.running(ctx.image, ctx.runtype) }
    : { at, status: 'exited', msg: statusMessages.exited(ctx.random) };
}
