import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { BACK, type Back, type InputOptions, type PickItem, type PickOptions, type ProgressReporter } from '../prompter';
import { isCancellation } from '../reportError';

/** The person cancelled a progress notification. */
export const CANCELLED = Symbol('cancelled');
export type Cancelled = typeof CANCELLED;

/**
 * Runs `task` under a cancellable progress notification. Resolves with its value, or CANCELLED
 * when the person cancelled and the task gave up because of it; other failures are thrown.
 */
export async function runWithProgress<T>(
  ctx: FlowContext,
  title: string,
  task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>,
): Promise<T | Cancelled> {
  let taskSignal: AbortSignal | undefined;
  try {
    return await ctx.prompter.withProgress(title, (progress, signal) => {
      taskSignal = signal;
      return task(progress, signal);
    });
  } catch (error) {
    if (taskSignal?.aborted || isCancellation(error)) return CANCELLED;
    throw error;
  }
}

/** `work`, or a rejection with the signal's reason as soon as it aborts (for work that takes no signal). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** "train (31000123)", or "31000123" without a label. */
export function instanceName(instance: Pick<Instance, 'id' | 'label'>): string {
  return instance.label ? `${instance.label} (${instance.id})` : String(instance.id);
}

/** Appended wherever money is mentioned: " (simulated: no money is spent)", or its own line in a detail. */
export function simulatedNote(ctx: Pick<FlowContext, 'simulated'>, separator: ' ' | '\n' = ' '): string {
  return ctx.simulated ? `${separator}(simulated: no money is spent)` : '';
}

// ---------------------------------------------------------------------------------------------
// Multi-step input: each step asks one thing; Back returns to the previous step, Escape cancels.

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

/** 'next' to move on, BACK to return to the previous step, undefined when cancelled. */
export type StepOutcome = 'next' | Back | undefined;
export type Step = (at: StepPosition) => Promise<StepOutcome>;

/**
 * Runs `steps` from `startAt`. Resolves 'done' after the last one, BACK when the first step went
 * back (the caller may have a step before), undefined when cancelled.
 */
export async function runSteps(
  title: string,
  steps: readonly Step[],
  options: { startAt?: number; totalSteps?: number } = {},
): Promise<'done' | Back | undefined> {
  const totalSteps = options.totalSteps ?? steps.length;
  let index = Math.min(Math.max(0, options.startAt ?? 0), steps.length - 1);
  while (index < steps.length) {
    const outcome = await steps[index]({ title, step: index + 1, totalSteps });
    if (outcome === undefined) return undefined;
    if (outcome === BACK) {
      if (index === 0) return BACK;
      index--;
      continue;
    }
    index++;
  }
  return 'done';
}

/** A pick as a step: `accept` stores the choice (or returns a StepOutcome of its own). */
export function pickStep<T extends PickItem>(
  ctx: FlowContext,
  items: () => readonly T[],
  options: Omit<PickOptions<T>, 'title' | 'step' | 'totalSteps'>,
  accept: (item: T, at: StepPosition) => void | StepOutcome | Promise<void | StepOutcome>,
): Step {
  return async (at) => {
    const picked = await ctx.prompter.pick(items(), { ...options, ...at });
    if (picked === undefined || picked === BACK) return picked;
    return (await accept(picked, at)) ?? 'next';
  };
}

/** An input as a step; the value has passed `validate`. */
export function inputStep(
  ctx: FlowContext,
  options: () => Omit<InputOptions, 'title' | 'step' | 'totalSteps'>,
  accept: (value: string) => void,
): Step {
  return async (at) => {
    const value = await ctx.prompter.input({ ...options(), ...at });
    if (value === undefined || value === BACK) return value;
    accept(value);
    return 'next';
  };
}

/** Marks the item equal to `current` as the pre-selected one. */
export function markPicked<T extends PickItem>(items: readonly T[], isCurrent: (item: T) => boolean): T[] {
  return items.map((item) => (isCurrent(item) ? { ...item, picked: true } : { ...item, picked: false }));
}
