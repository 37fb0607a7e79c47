import { httpDate } from '../server/httpDate';
import { jsonResponse, textResponse, type SimResponse } from '../server/response';
import type { LimitVerdict } from './rateLimiter';
import type { RateLimitSettings } from './settings';

/**
 * The 429 as Vast sends it. The threshold in the message is always the class's interval in seconds
 * with one decimal, even while a penalty is running: a client that waits exactly the threshold after
 * a create 429 walks into the penalty.
 */
export function rateLimitResponse(verdict: LimitVerdict, settings: RateLimitSettings, now: number): SimResponse {
  const waitSeconds = Math.max(0, Math.ceil((verdict.retryAtMs - now) / 1000));
  if (verdict.reason === 'quota') {
    // The one 429 Vast documents with a Retry-After, whatever the style setting says.
    return jsonResponse(
      429,
      {
        success: false,
        error: 'search_quota_exceeded',
        msg: `Search quota exceeded. Try again in ${waitSeconds} seconds.`,
      },
      { 'Retry-After': String(waitSeconds) },
    );
  }
  const threshold = (settings.intervalsMs[verdict.endpoint] / 1000).toFixed(1);
  const message = settings.body === 'bare' ? 'API requests too frequent' : `API requests too frequent endpoint threshold=${threshold}`;
  const headers = retryAfterHeader(settings.retryAfter, verdict.retryAtMs, waitSeconds);
  switch (settings.body) {
    case 'json-detail':
      return jsonResponse(429, { detail: message }, headers);
    case 'json-error':
      return jsonResponse(429, { success: false, error: 'rate_limit_exceeded', msg: message }, headers);
    default:
      return textResponse(429, message, 'text/plain; charset=utf-8', headers);
  }
}

function retryAfterHeader(
  style: RateLimitSettings['retryAfter'],
  retryAtMs: number,
  waitSeconds: number,
): Record<string, string> | undefined {
  if (typeof style === 'number') return { 'Retry-After': String(style) };
  if (style === 'seconds') return { 'Retry-After': String(waitSeconds) };
  // HTTP-dates have whole seconds: round up so a client that obeys it is never early.
  if (style === 'http-date') return { 'Retry-After': httpDate(Math.ceil(retryAtMs / 1000) * 1000) };
  return undefined;
}
