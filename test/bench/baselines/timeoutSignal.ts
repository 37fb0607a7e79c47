import type { Clock } from '../../../src/util/clock';

export interface TimeoutSignal {
  /** Aborts when the time is up or when the parent signal aborts. */
  signal: AbortSignal;
  timedOut(): boolean;
  /** Stops the timer and detaches from the parent; call when the work is over. */
  dispose(): void;
}

/** An abort signal with a deadline on `clock` (unlike `AbortSignal.timeout`, which is real time only). */
export function timeoutSignal(clock: Clock, ms: number, parent?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${ms} ms`));
  }, ms);
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clock.clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
