import fetch from 'node-fetch';
import type { Clock } from '../util/clock';
import type { Emitter } from '../util/emitter';
import { formatDuration } from '../util/format';
import { sleep } from '../util/sleep';
import { ENDPOINTS, type EndpointClass } from '../vast/endpoints';
import type { BackoffPolicy } from './backoff';
import { BodyTooLargeError, readBoundedText } from './boundedBody';
import { VastApiError } from './errors';
import type { EndpointGate } from './endpointGate';
import type { RateLimitGates } from './rateLimitGates';
import { queryString } from './queryString';
import { RequestDeadline } from './requestDeadline';
import { decideRetry, type Exchange, type RateLimitLesson, type RetryDecision } from './retryDecision';
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

/** Errors where the connection never got as far as delivering the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends one API request: through the endpoint's gate, out over node-fetch with the Bearer key and a
 * timeout, and through the retry loop. 429s are always retried (Vast did not process them); 5xx,
 * resets and timeouts only for idempotent endpoints, since a write may have happened.
 */
export class Transport {
  /** Built once: node-fetch copies them into its own Headers for every request anyway. */
  private readonly headers: Readonly<Record<string, string>>;
  private readonly jsonHeaders: Readonly<Record<string, string>>;

  constructor(private readonly options: TransportOptions) {
    this.headers = Object.freeze({ Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json', 'User-Agent': options.userAgent });
    this.jsonHeaders = Object.freeze({ ...this.headers, 'Content-Type': 'application/json' });
  }

  async request<T>(request: ApiRequest): Promise<T> {
    const { clock, gates } = this.options;
    const gate = gates.get(request.endpoint);
    const idempotent = ENDPOINTS[request.endpoint].idempotent;
    let consecutive429 = 0;
    for (let attempt = 1; ; attempt++) {
      const release =
        (!request.signal?.aborted && gate.tryAcquireNow()) ||
        (await gate.acquire({
          signal: request.signal,
          front: attempt > 1,
          failFastWhileCooling: request.failFast,
          maxWaitMs: this.options.maxWaitMs,
        }));
      const started = clock.now();
      let exchange: Exchange;
      try {
        exchange = await clock.trackIo(this.exchange(request));
      } finally {
        release();
      }
      request.signal?.throwIfAborted();
      this.emitAttempt(request, attempt, exchange, clock.now() - started);
      consecutive429 = exchange.kind === 'response' && exchange.status === 429 ? consecutive429 + 1 : 0;
      const decision = decideRetry(exchange, attempt, idempotent, {
        endpoint: request.endpoint,
        now: clock.now(),
        consecutive429,
        maxRetries: this.options.maxRetries,
        maxWaitMs: this.options.maxWaitMs,
        failFast: request.failFast,
        backoff: this.options.backoff,
        thresholdMargin: this.options.thresholdMargin,
        random: this.options.random,
      });
      if (decision.action !== 'done' && decision.lesson) this.learn(gate, decision.lesson, release.sequence);
      switch (decision.action) {
        case 'done':
          gate.noteSuccess();
          return decision.body as T;
        case 'fail':
          throw this.fail(gate, decision, request, exchange, attempt);
        case 'retry':
          this.emitWait(request, attempt, decision.waitMs, decision.reason);
          // A 429's wait is the gate's cooldown (it holds the whole queue); other retries sleep alone.
          if (!decision.lesson) await sleep(clock, decision.waitMs, request.signal);
      }
    }
  }

  /** A 429: count it, learn the interval (threshold=, else AIMD), and hold the endpoint back. */
  private learn(gate: EndpointGate, lesson: RateLimitLesson, sequence: number): void {
    gate.noteRateLimited();
    if (lesson.learnedIntervalMs !== undefined) gate.learnInterval(lesson.learnedIntervalMs);
    else gate.backOff(sequence);
    gate.coolDown(lesson.cooldownMs, lesson.reason);
  }

  private async exchange(request: ApiRequest): Promise<Exchange> {
    const { clock, requestTimeoutMs } = this.options;
    const deadline = new RequestDeadline(clock, requestTimeoutMs, request.signal);
    try {
      const response = await fetch(this.url(request), {
        method: request.method,
        headers: request.body === undefined ? this.headers : this.jsonHeaders,
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

  private fail(
    gate: EndpointGate,
    decision: Extract<RetryDecision, { action: 'fail' }>,
    request: ApiRequest,
    exchange: Exchange,
    attempt: number,
  ): VastApiError {
    const safeMessage = this.scrub(decision.message);
    gate.noteError(safeMessage);
    return new VastApiError(decision.kind, safeMessage, {
      endpoint: request.endpoint,
      status: exchange.kind === 'response' ? exchange.status : undefined,
      code: decision.code,
      attempts: attempt,
      resumeAt: decision.resumeAt,
    });
  }

  /** Text from the server ends up in messages; make sure the key never does. */
  private scrub(text: string): string {
    const key = this.options.apiKey;
    return key.length >= 4 ? text.split(key).join('***') : text;
  }

  /** Joined as strings: the origin is checked once by the client and paths are ours (cheaper than URL per request). */
  private url(request: ApiRequest): string {
    const query = request.query ? queryString(request.query) : '';
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
    return `${this.options.baseUrl}${path}${query ? `?${query}` : ''}`;
  }

  private emitAttempt(request: ApiRequest, attempt: number, exchange: Exchange, durationMs: number): void {
    if (!this.options.events.hasListeners) return; // nobody logging: build nothing
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

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = errorMessage(error);
  if (code === 'ECONNRESET') return 'the connection was reset';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  return code ? `${code}: ${message}` : message;
}
