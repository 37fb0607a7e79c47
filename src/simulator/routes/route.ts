import type { EndpointClass } from '../../vast/endpoints';
import type { Clock } from '../../util/clock';
import type { Account } from '../account/account';
import type { InstanceStore } from '../instances/store';
import type { LogUploads } from '../instances/logUploads';
import type { OfferCatalogue } from '../offers/catalogue';
import type { AccountSshKeys } from '../ssh/accountSshKeys';
import { ApiError } from '../server/apiError';
import type { SimResponse } from '../server/response';

/** The simulated world the route handlers read and change. */
export interface SimState {
  clock: Clock;
  /** Base URL of the running server (for `result_url`). */
  url: string;
  offers: OfferCatalogue;
  instances: InstanceStore;
  account: Account;
  logUploads: LogUploads;
  sshKeys: AccountSshKeys;
}

export interface RouteRequest {
  endpoint: EndpointClass;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The numeric id at the end of the path (offer id for create, instance id otherwise). */
  pathId?: number;
}

/** Answers one authenticated, rate-limited API request; throws ApiError for error answers. */
export type RouteHandler = (state: SimState, request: RouteRequest) => SimResponse;

/** The request body as an object, or a 400 for anything else (an array, a number...). */
export function bodyObject(body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_args', 'request body must be a JSON object', extra);
  }
  return body as Record<string, unknown>;
}
