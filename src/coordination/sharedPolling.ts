import type { RateLimitGates } from '../api/rateLimitGates';
import { coordinationOf } from './processCoordination';
import type { PollingSource } from './sharedInstanceSource';
import type { SharedInstanceSource } from './sharedInstanceSource';

/**
 * The machine-wide poll for a monitor whose source is a VastClient on a shared budget; undefined
 * for any other source (a test double, a client on a virtual clock, sharing turned off).
 */
export function sharedInstanceSource(source: PollingSource): SharedInstanceSource | undefined {
  const budget = (source as { rateLimits?: RateLimitGates }).rateLimits;
  return coordinationOf(budget)?.instanceSource(source);
}
