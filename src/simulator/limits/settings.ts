import { ENDPOINTS, ENDPOINT_CLASSES, type EndpointClass } from '../../vast/endpoints';

export interface RateLimitSettings {
  /** The per-class minimum interval. Storms and the search quota apply even when this is off. */
  enabled: boolean;
  /** Minimum interval per endpoint class, from the last accepted request of the same key. */
  intervalsMs: Record<EndpointClass, number>;
  /**
   * Vast sends no Retry-After ('none'); the others let client tests cover both header forms. A
   * number is sent as is, whatever the real wait (`Retry-After: 1` from a server that wants 2 s).
   */
  retryAfter: 'none' | 'seconds' | 'http-date' | number;
  /**
   * The 429 body: Vast's usual plain text, one of the two JSON shapes it sometimes uses, or `bare`:
   * "API requests too frequent" with no threshold= to learn from.
   */
  body: 'text' | 'json-detail' | 'json-error' | 'bare';
  /** 'probabilistic' refuses a too-early request with probability 1 - gap/interval. */
  enforcement: 'strict' | 'probabilistic';
}

/** A partial change; `intervalsMs` may name only the classes it changes. */
export type RateLimitSettingsPatch = Partial<Omit<RateLimitSettings, 'intervalsMs'>> & {
  intervalsMs?: Partial<Record<EndpointClass, number>>;
};

export function defaultRateLimitSettings(): RateLimitSettings {
  return {
    enabled: true,
    intervalsMs: Object.fromEntries(ENDPOINT_CLASSES.map((c) => [c, ENDPOINTS[c].publishedIntervalMs])) as Record<
      EndpointClass,
      number
    >,
    retryAfter: 'none',
    body: 'text',
    enforcement: 'strict',
  };
}

export function patchSettings(settings: RateLimitSettings, patch: RateLimitSettingsPatch = {}): RateLimitSettings {
  const intervalsMs = { ...settings.intervalsMs };
  for (const [endpoint, ms] of Object.entries(patch.intervalsMs ?? {})) {
    if (!(endpoint in ENDPOINTS)) throw new RangeError(`unknown endpoint class ${endpoint}`);
    if (ms === undefined) continue;
    if (!(ms >= 0)) throw new RangeError(`interval for ${endpoint} must be >= 0`);
    intervalsMs[endpoint as EndpointClass] = ms;
  }
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...settings, ...defined, intervalsMs };
}
