import type { Instance } from '../vast/types';

/**
 * How the product reads an instance's status fields (docs/vast-api.md §6, and the CLI's self-test):
 * which states are on their way somewhere, and which will never become `running`.
 */

/** Still moving: worth polling faster. */
export function isTransitional(instance: Instance): boolean {
  const actual = instance.actual_status;
  if (actual === null || actual === 'created' || actual === 'loading' || actual === 'rebooting') return true;
  // Asked to stop but still up, or asked to run but not yet (Vast's console calls that "Scheduling").
  const intended = instance.intended_status;
  return intended !== null && intended !== actual && (actual === 'running' || actual === 'stopped');
}

export function isRunning(instance: Instance): boolean {
  return instance.actual_status === 'running' && (instance.intended_status ?? 'running') === 'running';
}

/** Words in `status_msg` that the CLI's self-test treats as a failed start. */
const FAILURE_MESSAGE = /error|failed|exception|traceback|oci runtime|permission denied/i;

/**
 * Why this instance will not become running on its own, or undefined while it still may.
 * `unknown` is left to the caller: it can be a passing heartbeat gap.
 */
export function neverRunningReason(instance: Instance): string | undefined {
  const actual = instance.actual_status;
  const message = instance.status_msg ? `: ${instance.status_msg}` : '';
  if (actual === 'exited') return `its container exited${message}`;
  if (actual === 'offline') return 'its host is offline';
  if (instance.intended_status === 'stopped') return 'it was stopped';
  if (actual !== 'running' && instance.status_msg && FAILURE_MESSAGE.test(instance.status_msg)) {
    return `it failed to start: ${instance.status_msg}`;
  }
  return undefined;
}

/** "loading (pulling image...)": a status as a person reads it. */
export function describeStatus(instance: Instance): string {
  const status = instance.actual_status ?? 'provisioning';
  return instance.status_msg ? `${status} (${instance.status_msg})` : status;
}
