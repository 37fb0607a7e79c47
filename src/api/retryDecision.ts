import { formatDuration } from '../util/format';
import { ENDPOINTS, type EndpointClass } from '../vast/endpoints';
import { fullJitterDelay, type BackoffPolicy } from './backoff';
import { endpointTitle, type VastErrorKind } from './errors';
import { parseRetryAfter, parseThresholdMs } from './retryHints';
import { describeBody, isRecord, parseJson, vastMessage } from './vastBody';

/** Whatever headers object the transport got (node-fetch's, or a test's Map-like). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** One attempt's outcome, as the transport saw it. */
export type Exchange =
  | { kind: 'response'; status: number; headers: HeaderReader; text: string }
  | { kind: 'network'; message: string; timedOut: boolean; reachedServer: boolean; tooLarge?: boolean };

export interface RetryContext {
  endpoint: EndpointClass;
  /** Clock time now (epoch ms), for HTTP-date Retry-After. */
  now: number;
  /** 429s in a row for this request, this one included (0 when this answer is not a 429). */
  consecutive429: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A cooldown longer than this is not sat out. */
  maxWaitMs: number;
  /** Do not retry at all (a caller with a cached answer). */
  failFast?: boolean;
  backoff: BackoffPolicy;
  /** Safety factor on a `threshold=` interval. */
  thresholdMargin: number;
  random: () => number;
}

/** What a 429 teaches the endpoint's gate, whatever is done with the request. */
export interface RateLimitLesson {
  /** The whole endpoint queue is held back this long. */
  cooldownMs: number;
  reason: string;
  /** The interval `threshold=` gave (margin included); absent, the gate backs off by AIMD. */
  learnedIntervalMs?: number;
}

export type RetryDecision =
  | { action: 'done'; body: unknown }
  /** Try again after `waitMs`: a cooldown of the whole endpoint when `lesson` is set, else this request's own backoff. */
  | { action: 'retry'; waitMs: number; reason: string; lesson?: RateLimitLesson }
  | { action: 'fail'; kind: VastErrorKind; message: string; code?: string; resumeAt?: number; lesson?: RateLimitLesson };

/** Bodies that mean "this key is no good", whatever the status (Vast answers a bad key with 404 too). */
const AUTH_CODES = new Set(['auth_error', 'invalid_token', 'unauthorized', 'not_authorized']);
const AUTH_TEXT = /invalid user key|please log in/i;
const AUTH_STATUSES = new Set([401, 403, 404, 410]);

/**
 * What to do with one attempt's outcome: a pure function of the exchange, the attempt number and
 * whether the endpoint is safe to repeat (as ky's retry-timing does), so every branch is tested
 * without a server. 429s are always retried (Vast did not process them); 5xx, resets, timeouts and
 * unreadable answers only when the endpoint is idempotent or the request never left.
 */
export function decideRetry(exchange: Exchange, attempt: number, idempotent: boolean, context: RetryContext): RetryDecision {
  const title = endpointTitle(context.endpoint);
  const retriesLeft = !context.failFast && attempt <= context.maxRetries;

  if (exchange.kind === 'network') {
    if (exchange.tooLarge) {
      // Asking again would fetch the same oversized answer; a write did reach the server.
      return idempotent
        ? { action: 'fail', kind: 'invalid-response', message: `Vast.ai sent an oversized answer for ${title} (${exchange.message}).` }
        : { action: 'fail', kind: 'outcome-unknown', message: unknownOutcome(title, exchange.message) };
    }
    const safe = idempotent || !exchange.reachedServer;
    if (!safe) return { action: 'fail', kind: 'outcome-unknown', message: unknownOutcome(title, exchange.message) };
    if (retriesLeft) return retryBackoff(attempt, context, exchange.message);
    return { action: 'fail', kind: 'network', message: `Could not reach Vast.ai for ${title}: ${exchange.message}.` };
  }

  const { status, text } = exchange;
  if (status === 429) return decideRateLimited(exchange, attempt, retriesLeft, context);
  if (status >= 500) {
    const body = describeBody(text);
    const detail = `HTTP ${status}${body ? `: ${body}` : ''}`;
    if (!idempotent) return { action: 'fail', kind: 'outcome-unknown', message: unknownOutcome(title, detail) };
    if (retriesLeft) return retryBackoff(attempt, context, `HTTP ${status}`);
    return { action: 'fail', kind: 'server', message: `Vast.ai failed on ${title} (${detail}).` };
  }
  if (status >= 400) return classifyClientError(status, text, title);

  let body: unknown;
  if (text.trim() === '') body = {};
  else {
    body = parseJson(text);
    if (body === undefined) {
      if (!idempotent) return { action: 'fail', kind: 'outcome-unknown', message: unknownOutcome(title, 'the answer was not valid JSON') };
      if (retriesLeft) return retryBackoff(attempt, context, 'invalid JSON');
      return { action: 'fail', kind: 'invalid-response', message: `Vast.ai sent an unreadable answer for ${title} (not valid JSON).` };
    }
  }
  if (isRecord(body) && body.success === false) {
    return {
      action: 'fail',
      kind: 'bad-request',
      message: `Vast.ai refused ${title}: ${vastMessage(body) ?? 'no reason given'}.`,
      code: typeof body.error === 'string' ? body.error : undefined,
    };
  }
  return { action: 'done', body };
}

/**
 * A 429. The wait: Retry-After when given, else the `threshold=` interval (doubling while the same
 * request keeps being refused), else exponential backoff with full jitter; never shorter than the
 * endpoint's published penalty. A threshold is learned whenever the body has one.
 */
function decideRateLimited(exchange: Extract<Exchange, { kind: 'response' }>, attempt: number, retriesLeft: boolean, context: RetryContext): RetryDecision {
  const { endpoint, now, consecutive429 } = context;
  const title = endpointTitle(endpoint);
  const penaltyMs = ENDPOINTS[endpoint].penaltyMs ?? 0;
  const retryAfter = parseRetryAfter(exchange.headers.get('retry-after'), now, exchange.headers.get('date'));
  const threshold = parseThresholdMs(exchange.text);
  const learnedIntervalMs = threshold === undefined ? undefined : Math.ceil(threshold * context.thresholdMargin);
  let cooldownMs: number;
  let reason: string;
  if (retryAfter !== undefined) {
    cooldownMs = Math.max(retryAfter, penaltyMs);
    reason = `Retry-After ${formatDuration(retryAfter)}`;
  } else if (learnedIntervalMs !== undefined) {
    cooldownMs = Math.max(learnedIntervalMs * 2 ** (Math.max(1, consecutive429) - 1), penaltyMs);
    reason = `threshold=${threshold! / 1000}`;
  } else {
    cooldownMs = Math.max(fullJitterDelay(Math.max(1, consecutive429), context.backoff, context.random), penaltyMs);
    reason = 'backoff';
  }
  const lesson: RateLimitLesson = { cooldownMs, reason, learnedIntervalMs };
  if (cooldownMs > context.maxWaitMs) {
    return {
      action: 'fail',
      kind: 'rate-limited',
      message: `Vast.ai is rate-limiting ${title} (${reason}); try again in ${formatDuration(cooldownMs)}.`,
      resumeAt: now + cooldownMs,
      lesson,
    };
  }
  if (!retriesLeft) {
    return {
      action: 'fail',
      kind: 'rate-limited',
      message: `Vast.ai kept rate-limiting ${title}: gave up after ${attempt} attempt${attempt > 1 ? 's' : ''}.`,
      resumeAt: now + cooldownMs,
      lesson,
    };
  }
  return { action: 'retry', waitMs: cooldownMs, reason, lesson };
}

/**
 * 4xx other than 429. The body decides before the status: Vast answers a bad key with 401, but also
 * 403, 404 and 410 `auth_error` "Invalid user key"; treating that 404 as "not found" would make a
 * live instance look destroyed. A 410 `deprecated_endpoint` means Vast retired the endpoint.
 */
export function classifyClientError(status: number, text: string, title: string): Extract<RetryDecision, { action: 'fail' }> {
  const body = parseJson(text);
  const code = isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
  const detail = (isRecord(body) ? vastMessage(body) : undefined) ?? describeBody(text) ?? `HTTP ${status}`;
  const saysAuth = (code !== undefined && AUTH_CODES.has(code)) || AUTH_TEXT.test(detail);
  if (status === 401 || (saysAuth && AUTH_STATUSES.has(status))) {
    return { action: 'fail', kind: 'auth', code, message: `Vast.ai rejected the API key (${detail}). Check or replace the key.` };
  }
  if (status === 403) return { action: 'fail', kind: 'auth', code, message: `The API key is not allowed to ${title} (${detail}).` };
  if (status === 410 && code === 'deprecated_endpoint') {
    return {
      action: 'fail',
      kind: 'endpoint-retired',
      code,
      message: `Vast.ai has retired the endpoint for ${title} (${detail}); this version of the extension needs an update.`,
    };
  }
  if (status === 404 || status === 410) return { action: 'fail', kind: 'not-found', code, message: `Not found on Vast.ai (${title}): ${detail}.` };
  return { action: 'fail', kind: 'bad-request', code, message: `Vast.ai refused ${title} (HTTP ${status}): ${detail}.` };
}

function retryBackoff(attempt: number, context: RetryContext, reason: string): RetryDecision {
  return { action: 'retry', waitMs: fullJitterDelay(attempt, context.backoff, context.random), reason };
}

function unknownOutcome(title: string, detail: string): string {
  return `The outcome of ${title} is unknown (${detail}): it may have taken effect. It was not resent; check the instance list before trying again.`;
}
