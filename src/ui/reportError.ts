import { endpointTitle, isVastApiError } from '../api/errors';
import { WaitError } from '../monitor/waitError';
import { formatDuration, formatUtcTime, isValidTime } from '../util/format';
import type { FlowContext } from './flowContext';
import { errorMessage } from '../util/errorMessage';

/** The person cancelled (Escape, the progress notification's Cancel): never reported. */
export function isCancellation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * What to tell the person when `what` ("Stop instance train (123)") failed: one place that turns
 * the client's and the monitor's error kinds into a sentence that says what to do next.
 */
export function describeFailure(error: unknown, what: string, now: number): string {
  if (isVastApiError(error)) {
    switch (error.kind) {
      case 'rate-limited': {
        const when =
          error.resumeAt !== undefined && error.resumeAt > now
            ? `at ${formatUtcTime(error.resumeAt, now)} (in ${formatDuration(error.resumeAt - now)})`
            : 'in a minute';
        return `${what} failed: Vast.ai is rate-limiting ${error.endpoint ? endpointTitle(error.endpoint) : 'these requests'}. Try again ${when}.`;
      }
      case 'auth':
        return (
          `${what} failed: Vast.ai did not accept the API key (${trimPeriod(error.message)}). ` +
          `Check the key with "Vast.ai: Set API Key"${error.status === 403 ? '; a scoped key may lack the permission for this' : ''}.`
        );
      case 'outcome-unknown':
        return error.endpoint === 'create' || /create/i.test(what)
          ? `${what}: Vast.ai's answer was lost, so the instance may exist (and be billed). Check the instance list before retrying; nothing was sent again.`
          : `${what}: Vast.ai's answer was lost, so it may or may not have happened. Check the instance list before retrying.`;
      case 'server':
        return `${what} failed: Vast.ai had a server problem (${trimPeriod(error.message)}). Try again later.`;
      default:
        return `${what} failed: ${error.message}`;
    }
  }
  if (error instanceof WaitError) {
    switch (error.kind) {
      case 'timeout':
        return `${error.message} It may still come up: check it later, or destroy it to stop paying for it.`;
      case 'never-running':
      case 'unknown':
        return `${error.message} It is billed until you destroy it.`;
      default:
        return error.message;
    }
  }
  return `${what} failed: ${errorMessage(error)}`;
}

/** The log line: the kind and every detail the client had (never the key: errors never hold it). */
export function failureDetail(error: unknown, what: string): string {
  if (isVastApiError(error)) {
    const details = [
      error.endpoint && `endpoint=${error.endpoint}`,
      error.status !== undefined && `status=${error.status}`,
      error.code && `code=${error.code}`,
      error.attempts !== undefined && `attempts=${error.attempts}`,
      error.resumeAt !== undefined && `resumeAt=${isValidTime(error.resumeAt) ? new Date(error.resumeAt).toISOString() : error.resumeAt}`,
    ].filter(Boolean);
    return `${what} failed [${error.kind}]: ${error.message}${details.length ? ` (${details.join(', ')})` : ''}`;
  }
  if (error instanceof WaitError) return `${what} failed [wait ${error.kind}]: ${error.message}`;
  if (error instanceof Error) return `${what} failed [${error.name}]: ${error.message}${error.stack ? `\n${error.stack}` : ''}`;
  return `${what} failed: ${String(error)}`;
}

/**
 * Shows an error notification for `error` (silently ignoring cancellations) and writes the detail
 * to the log. Resolves with the action chosen, if any.
 */
export async function reportError(ctx: FlowContext, error: unknown, what: string, ...actions: string[]): Promise<string | undefined> {
  if (isCancellation(error)) {
    ctx.log(`${what}: cancelled`);
    return undefined;
  }
  ctx.log(failureDetail(error, what));
  return ctx.prompter.notify('error', describeFailure(error, what, ctx.clock.now()), ...actions);
}

function trimPeriod(message: string): string {
  return message.replace(/\.\s*$/, '');
}
