import { systemClock, type Clock } from '../util/clock';
import type { EndpointClass } from '../vast/endpoints';
import type { InstanceSeed } from './instances/seeds';
import type { LifecycleSettings } from './instances/lifecycle';
import type { RateLimitSettingsPatch } from './limits/settings';
import { Random } from './random/prng';

export interface SimulatorOptions {
  /** Default systemClock. Tests pass a VirtualClock. */
  clock?: Clock;
  /** Default 42. Everything random derives from it. */
  seed?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Accepted Bearer keys. Default: one key derived from the seed ('sim-' + 40 hex). */
  apiKeys?: string[];
  /** Keys that authenticate but lack `instance_write`: create/manage/reboot/destroy get 403. */
  readOnlyKeys?: string[];
  /** Catalogue size. Default 300. */
  offerCount?: number;
  /** Initial instances: a count (mixed states) or explicit seeds. Default 0. */
  instances?: number | InstanceSeed[];
  rateLimits?: RateLimitSettingsPatch;
  /** Lifecycle durations and failure rate (see LifecycleSettings for defaults). */
  lifecycle?: Partial<LifecycleSettings>;
  /** Starting account credit in dollars. Default 50. */
  credit?: number;
  /** The status a bad key's `auth_error` "Invalid user key" comes with. Default 401; Vast has sent 404. */
  badKeyStatus?: 401 | 403 | 404 | 410;
  /** Endpoints that answer 410 `deprecated_endpoint`, as Vast's v0 instance list has. Default none. */
  retiredEndpoints?: EndpointClass[];
  /** Public key lines on the account from the start (initial instances accept them). Default none. */
  sshKeys?: string[];
  /**
   * For the demo inside VS Code (default false): answer only requests whose Host is
   * `127.0.0.1:<port>` or `localhost:<port>` (a web page using DNS rebinding sends its own name)
   * and take the key only from the Authorization header, never from `?api_key=` (a URL a page can build).
   */
  localOnly?: boolean;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'rateLimits' | 'lifecycle'>> &
  Pick<SimulatorOptions, 'rateLimits' | 'lifecycle'>;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const seed = options.seed ?? 42;
  const apiKeys = options.apiKeys?.length ? options.apiKeys : [defaultApiKey(seed)];
  return {
    clock: options.clock ?? systemClock,
    seed,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    apiKeys,
    readOnlyKeys: options.readOnlyKeys ?? [],
    offerCount: options.offerCount ?? 300,
    instances: options.instances ?? 0,
    rateLimits: options.rateLimits,
    lifecycle: options.lifecycle,
    credit: options.credit ?? 50,
    badKeyStatus: options.badKeyStatus ?? 401,
    retiredEndpoints: options.retiredEndpoints ?? [],
    sshKeys: options.sshKeys ?? [],
    localOnly: options.localOnly ?? false,
  };
}

export function defaultApiKey(seed: number): string {
  return `sim-${Random.for(seed, 'api-key').hex(40)}`;
}
