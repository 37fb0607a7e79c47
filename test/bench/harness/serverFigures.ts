import type { RequestLogEntry } from '../../../src/simulator';
import { ENDPOINTS, type EndpointClass } from '../../../src/vast/endpoints';

/** What the server saw of one client: the bench never takes a client's own word for these. */
export interface ServerFigures {
  requests: number;
  rateLimited: number;
  /** Per endpoint class: requests, and the smallest gap between two consecutive ones (any answer). */
  byClass: Partial<Record<EndpointClass, { requests: number; rateLimited: number; minGapMs?: number }>>;
  /** Requests sent inside the wait a 429 asked for or implied (same endpoint class). */
  sentInCooldown: number;
}

/**
 * The wait a 429 asked for or implied: the quota's Retry-After when it was the quota, else the
 * `threshold=` in its body (the class's interval), or the published penalty where it is longer.
 */
export function impliedWaitMs(entry: RequestLogEntry, intervalsMs: Record<EndpointClass, number>, quotaUntil?: number): number {
  if (entry.limited === 'quota' && quotaUntil !== undefined) return quotaUntil - entry.at;
  const endpoint = entry.endpoint!;
  return Math.max(intervalsMs[endpoint], ENDPOINTS[endpoint].penaltyMs ?? 0);
}

export function serverFigures(log: RequestLogEntry[], intervalsMs: Record<EndpointClass, number>, quotaUntil?: number): ServerFigures {
  const api = log.filter((entry) => entry.endpoint !== undefined);
  const byClass: ServerFigures['byClass'] = {};
  for (const endpoint of new Set(api.map((entry) => entry.endpoint!))) {
    const entries = api.filter((entry) => entry.endpoint === endpoint);
    const times = entries.map((entry) => entry.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    byClass[endpoint] = {
      requests: entries.length,
      rateLimited: entries.filter((entry) => entry.status === 429).length,
      minGapMs: gaps.length ? Math.min(...gaps) : undefined,
    };
  }
  // A request counts once if it falls strictly inside any cooldown window of its class: requests
  // sent at the same instant as the 429 could not have known about it.
  const windows = api
    .filter((entry) => entry.status === 429)
    .map((entry) => ({ endpoint: entry.endpoint!, from: entry.at, to: entry.at + impliedWaitMs(entry, intervalsMs, quotaUntil) }));
  const sentInCooldown = api.filter((entry) => windows.some((w) => w.endpoint === entry.endpoint && entry.at > w.from && entry.at < w.to)).length;
  return {
    requests: api.length,
    rateLimited: api.filter((entry) => entry.status === 429).length,
    byClass,
    sentInCooldown,
  };
}
