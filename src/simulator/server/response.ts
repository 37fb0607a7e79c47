import type { ServerResponse } from 'node:http';
import { httpDate } from './httpDate';

/** A fully decided answer. Kept as data so faults can rewrite it (truncate, drop) before it is written. */
export interface SimResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export function jsonResponse(status: number, value: unknown, headers?: Record<string, string>): SimResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(value), headers };
}

export function textResponse(
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
  headers?: Record<string, string>,
): SimResponse {
  return { status, contentType, body: text, headers };
}

/**
 * Writes the answer with a `Date` header from the simulator's clock: Node's automatic one reads the
 * real time, which would contradict a virtual clock (and a client deriving waits from it).
 */
export function writeResponse(res: ServerResponse, response: SimResponse, now: number): void {
  const body = Buffer.from(response.body, 'utf8');
  res.sendDate = false;
  res.statusCode = response.status;
  res.setHeader('Date', httpDate(now));
  res.setHeader('Content-Type', response.contentType);
  res.setHeader('Content-Length', body.length);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.end(body);
}
