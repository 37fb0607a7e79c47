import fetch, { type Response } from 'node-fetch';
import type { Clock } from '../util/clock';
import type { Emitter } from '../util/emitter';
import { formatDuration } from '../util/format';
import { sleep } from '../util/sleep';
import { timeoutSignal } from '../util/timeoutSignal';
import { ENDPOINTS, type EndpointClass } from '../vast/endpoints';
import { fullJitterDelay, type BackoffPolicy } from './backoff';
import { BodyTooLargeError, readBoundedText } from './boundedBody';
import { VastApiError, endpointTitle, type VastErrorKind } from './errors';
import type { EndpointGate } from './endpointGate';
import type { RateLimitGates } from './rateLimitGates';
import { parseRetryAfter, parseThresholdMs } from './retryHints';
import { errorMessage } from '../util/errorMessage';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  endpoint: EndpointClass;
  method: HttpMethod;
  /** Path on the API host, e.g. `/api/v0/bundles/`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * For callers with a cached answer to fall back on: do not wait out a cooldown and do not retry;
   * the first 429, 5xx or network failure is thrown (a 429 still teaches the gate its wait).
   */
  failFast?: boolean;
}

/** One line per attempt and per wait: what the log shows. Never carries the key. */
export type RequestEvent =
  | { type: 'response'; endpoint: EndpointClass; method: HttpMethod; path: string; attempt: number; status: number; durationMs: number }
  | { type: 'failure'; endpoint: EndpointClass; method: HttpMethod; path: string; attempt: number; error: string; durationMs: number }
  | { type: 'wait'; endpoint: EndpointClass; method: HttpMethod; path: string; attempt: number; waitMs: number; reason: string };

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  clock: Clock;
  gates: RateLimitGates;
  events: Emitter<RequestEvent>;
  random: () => number;
  /** Retries after the first attempt, whatever made them necessary. */
  maxRetries: number;
  maxWaitMs: number;
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  /** Safety factor on a `threshold=` interval: Vast enforces it at the edge, probabilistically. */
  thresholdMargin: number;
  userAgent: string;
  /** Answers larger than this are abandoned while streaming, never read whole. */
  maxBodyBytes: number;
}

type Exchange =
  | { kind: 'response'; status: number; headers: Response['headers']; text: string }
  | { kind: 'network'; message: string; timedOut: boolean; reachedServer: boolean; tooLarge?: boolean };

/** Errors where the connection never got as far as delivering the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends one API request: through the endpoint's gate, out over node-fetch with the Bearer key and a
 * timeout, and through the retry loop. 429s are always retried (Vast did not process them); 5xx,
 * resets and timeouts only for idempotent endpoints, since a write may have happened.
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async request<T>(request: ApiRequest): Promise<T> {
    const { clock, gates, maxRetries } = this.options;
    const gate = gates.get(request.endpoint);
    const idempotent = ENDPOINTS[request.endpoint].idempotent;
    let consecutive429 = 0;
    for (let attempt = 1; ; attempt++) {
      const release = await gate.acquire({
        signal: request.signal,
        front: attempt > 1,
        failFastWhileCooling: request.failFast,
        maxWaitMs: this.options.maxWaitMs,
      });
      const started = clock.now();
      let exchange: Exchange;
      try {
        exchange = await clock.trackIo(this.exchange(request));
      } finally {
        release();
      }
      request.signal?.throwIfAborted();
      this.emitAttempt(request, attempt, exchange, clock.now() - started);
      const retriesLeft = !request.failFast && attempt <= maxRetries;

      if (exchange.kind === 'response' && exchange.status === 429) {
        consecutive429++;
        const wait = this.rateLimitWait(request.endpoint, exchange, consecutive429);
        gate.noteRateLimited();
        // No threshold= to learn from: the interval backs off multiplicatively instead (AIMD).
        if (!wait.threshold) gate.backOff(started);
        gate.coolDown(wait.ms, wait.reason);
        if (wait.ms > this.options.maxWaitMs || !retriesLeft) {
          const resumeAt = clock.now() + wait.ms;
          const message =
            wait.ms > this.options.maxWaitMs
              ? `Vast.ai is rate-limiting ${endpointTitle(request.endpoint)} (${wait.reason}); try again in ${formatDuration(wait.ms)}.`
              : `Vast.ai kept rate-limiting ${endpointTitle(request.endpoint)}: gave up after ${attempt} attempt${attempt > 1 ? 's' : ''}.`;
          throw this.fail(gate, 'rate-limited', message, { request, exchange, attempt, resumeAt });
        }
        this.emitWait(request, attempt, wait.ms, wait.reason);
        continue;
      }
      consecutive429 = 0;

      if (exchange.kind === 'network' && exchange.tooLarge) {
        // Asking again would fetch the same oversized answer; a write did reach the server.
        const detail = `Vast.ai sent an oversized answer for ${endpointTitle(request.endpoint)} (${exchange.message})`;
        if (!idempotent) throw this.fail(gate, 'outcome-unknown', this.unknownOutcome(request, exchange.message), { request, exchange, attempt });
        throw this.fail(gate, 'invalid-response', `${detail}.`, { request, exchange, attempt });
      }

      if (exchange.kind === 'network') {
        const safe = idempotent || !exchange.reachedServer;
        if (safe && retriesLeft) {
          await this.backoff(request, attempt, exchange.message);
          continue;
        }
        if (!safe) {
          throw this.fail(gate, 'outcome-unknown', this.unknownOutcome(request, exchange.message), { request, exchange, attempt });
        }
        throw this.fail(gate, 'network', `Could not reach Vast.ai for ${endpointTitle(request.endpoint)}: ${exchange.message}.`, {
          request,
          exchange,
          attempt,
        });
      }

      const { status, text } = exchange;
      if (status >= 500) {
        const detail = `HTTP ${status}${describeBody(text) ? `: ${describeBody(text)}` : ''}`;
        if (!idempotent) throw this.fail(gate, 'outcome-unknown', this.unknownOutcome(request, detail), { request, exchange, attempt });
        if (retriesLeft) {
          await this.backoff(request, attempt, `HTTP ${status}`);
          continue;
        }
        throw this.fail(gate, 'server', `Vast.ai failed on ${endpointTitle(request.endpoint)} (${detail}).`, { request, exchange, attempt });
      }
      if (status >= 400) throw this.clientError(gate, request, exchange, attempt);

      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        if (!idempotent) {
          throw this.fail(gate, 'outcome-unknown', this.unknownOutcome(request, 'the answer was not valid JSON'), { request, exchange, attempt });
        }
        if (retriesLeft) {
          await this.backoff(request, attempt, 'invalid JSON');
          continue;
        }
        throw this.fail(gate, 'invalid-response', `Vast.ai sent an unreadable answer for ${endpointTitle(request.endpoint)} (not valid JSON).`, {
          request,
          exchange,
          attempt,
        });
      }
      if (isRecord(body) && body.success === false) {
        throw this.fail(gate, 'bad-request', `Vast.ai refused ${endpointTitle(request.endpoint)}: ${vastMessage(body) ?? 'no reason given'}.`, {
          request,
          exchange,
          attempt,
          code: typeof body.error === 'string' ? body.error : undefined,
        });
      }
      gate.noteSuccess();
      return body as T;
    }
  }

  private async exchange(request: ApiRequest): Promise<Exchange> {
    const { clock, requestTimeoutMs } = this.options;
    const deadline = timeoutSignal(clock, requestTimeoutMs, request.signal);
    try {
      const response = await fetch(this.url(request), {
        method: request.method,
        headers: {
          Authorization: `Bearer ${this.options.apiKey}`,
          Accept: 'application/json',
          'User-Agent': this.options.userAgent,
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: deadline.signal,
        redirect: 'error', // a redirect could carry the key to another host
      });
      const text = await readBoundedText(response.body, this.options.maxBodyBytes, response.headers.get('content-length'));
      return { kind: 'response', status: response.status, headers: response.headers, text };
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { kind: 'network', message: error.message, timedOut: false, reachedServer: true, tooLarge: true };
      const code = (error as { code?: string }).code;
      const timedOut = deadline.timedOut();
      const message = timedOut
        ? `no answer within ${formatDuration(requestTimeoutMs)}`
        : request.signal?.aborted
          ? 'cancelled'
          : describeNetworkError(error);
      return { kind: 'network', message, timedOut, reachedServer: !(code && NOT_SENT_CODES.has(code)) };
    } finally {
      deadline.dispose();
    }
  }

  private rateLimitWait(endpoint: EndpointClass, exchange: Extract<Exchange, { kind: 'response' }>, consecutive: number) {
    const { clock, thresholdMargin, backoff, random, gates } = this.options;
    const penaltyMs = ENDPOINTS[endpoint].penaltyMs ?? 0;
    const retryAfter = parseRetryAfter(exchange.headers.get('retry-after'), clock.now(), exchange.headers.get('date'));
    if (retryAfter !== undefined) return { ms: Math.max(retryAfter, penaltyMs), reason: `Retry-After ${formatDuration(retryAfter)}` };
    const threshold = parseThresholdMs(exchange.text);
    if (threshold !== undefined) {
      const learned = Math.ceil(threshold * thresholdMargin);
      gates.get(endpoint).learnInterval(learned);
      // Doubling when the same request keeps hitting 429s: the threshold alone did not suffice.
      const ms = Math.max(learned * 2 ** (consecutive - 1), penaltyMs);
      return { ms, reason: `threshold=${threshold / 1000}`, threshold: true };
    }
    return { ms: Math.max(fullJitterDelay(consecutive, backoff, random), penaltyMs), reason: 'backoff' };
  }

  private async backoff(request: ApiRequest, attempt: number, reason: string): Promise<void> {
    const ms = fullJitterDelay(attempt, this.options.backoff, this.options.random);
    this.emitWait(request, attempt, ms, reason);
    await sleep(this.options.clock, ms, request.signal);
  }

  private clientError(gate: EndpointGate, request: ApiRequest, exchange: Extract<Exchange, { kind: 'response' }>, attempt: number) {
    const { status, text } = exchange;
    const body = parseJson(text);
    const code = isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
    const detail = (isRecord(body) ? vastMessage(body) : undefined) ?? describeBody(text) ?? `HTTP ${status}`;
    const title = endpointTitle(request.endpoint);
    const [kind, message]: [VastErrorKind, string] =
      status === 401
        ? ['auth', `Vast.ai rejected the API key (${detail}). Check or replace the key.`]
        : status === 403
          ? ['auth', `The API key is not allowed to ${title} (${detail}).`]
          : status === 404 || status === 410
            ? ['not-found', `Not found on Vast.ai (${title}): ${detail}.`]
            : ['bad-request', `Vast.ai refused ${title} (HTTP ${status}): ${detail}.`];
    return this.fail(gate, kind, message, { request, exchange, attempt, code });
  }

  private unknownOutcome(request: ApiRequest, detail: string): string {
    return (
      `The outcome of ${endpointTitle(request.endpoint)} is unknown (${detail}): it may have taken effect. ` +
      'It was not resent; check the instance list before trying again.'
    );
  }

  private fail(
    gate: EndpointGate,
    kind: VastErrorKind,
    message: string,
    context: { request: ApiRequest; exchange: Exchange; attempt: number; resumeAt?: number; code?: string },
  ): VastApiError {
    const safeMessage = this.scrub(message);
    gate.noteError(safeMessage);
    return new VastApiError(kind, safeMessage, {
      endpoint: context.request.endpoint,
      status: context.exchange.kind === 'response' ? context.exchange.status : undefined,
      code: context.code,
      attempts: context.attempt,
      resumeAt: context.resumeAt,
    });
  }

  /** Text from the server ends up in messages; make sure the key never does. */
  private scrub(text: string): string {
    const key = this.options.apiKey;
    return key.length >= 4 ? text.split(key).join('***') : text;
  }

  private url(request: ApiRequest): string {
    const url = new URL(request.path, this.options.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    return url.toString();
  }

  private emitAttempt(request: ApiRequest, attempt: number, exchange: Exchange, durationMs: number): void {
    const base = { endpoint: request.endpoint, method: request.method, path: request.path, attempt, durationMs };
    this.options.events.fire(
      exchange.kind === 'response'
        ? { type: 'response', ...base, status: exchange.status }
        : { type: 'failure', ...base, error: exchange.message },
    );
  }

  private emitWait(request: ApiRequest, attempt: number, waitMs: number, reason: string): void {
    this.options.events.fire({ type: 'wait', endpoint: request.endpoint, method: request.method, path: request.path, attempt, waitMs, reason });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Vast puts the human text in `msg`, sometimes `message` or `detail`. */
function vastMessage(body: Record<string, unknown>): string | undefined {
  for (const field of ['msg', 'message', 'detail', 'error']) {
    const value = body[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/** A short, single-line description of a non-JSON body (HTML error pages become their title). */
function describeBody(text: string): string | undefined {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  if (!plain) return undefined;
  return plain.length > 160 ? `${plain.slice(0, 157)}...` : plain;
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = errorMessage(error);
  if (code === 'ECONNRESET') return 'the connection was reset';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  return code ? `${code}: ${message}` : message;
}
