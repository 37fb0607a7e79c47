import fetch from 'node-fetch';
import type { Clock } from '../../../src/util/clock';
import { timeoutSignal } from './timeoutSignal';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path on the API host, e.g. `/api/v0/bundles/`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null; text: string }
  | { kind: 'network'; message: string };

/**
 * One real HTTP exchange with node-fetch, wrapped in `clock.trackIo` exactly like the product's
 * Transport, so a virtual clock never jumps over a response that is still on the wire. Network
 * failures (reset, timeout) come back as an outcome; only the caller's own abort is thrown.
 */
export async function exchange(
  clock: Clock,
  target: { baseUrl: string; apiKey: string },
  request: HttpRequest,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HttpOutcome> {
  signal.throwIfAborted();
  const url = new URL(request.path, target.baseUrl);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const deadline = timeoutSignal(clock, timeoutMs, signal);
  let outcome: HttpOutcome;
  try {
    outcome = await clock.trackIo(send(url.toString(), target.apiKey, request, deadline.signal));
  } finally {
    deadline.dispose();
  }
  signal.throwIfAborted(); // the bench's cap, not a network failure
  return outcome;
}

async function send(url: string, apiKey: string, request: HttpRequest, signal: AbortSignal): Promise<HttpOutcome> {
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${apiKey}`,
        Accept: 'application/json',
        ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
    });
    const text = await response.text();
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after'), text };
  } catch (error) {
    return { kind: 'network', message: (error as Error).message };
  }
}
