import { ENDPOINTS, type EndpointClass } from '../vast/endpoints';

/**
 * Everything the client can fail with. `kind` is what callers branch on; `message` is written for a
 * person (it names the endpoint and says what to do), and never contains the API key.
 */
export type VastErrorKind =
  | 'auth' // 401/403, or 404/410 whose body says auth_error: bad, revoked or under-scoped key; never retried
  | 'not-found' // 404, and 410 for offers that are gone
  | 'endpoint-retired' // 410 deprecated_endpoint: Vast removed the endpoint this client calls
  | 'bad-request' // 400: the request itself is wrong
  | 'rate-limited' // 429s beyond the retry cap, or a wait too long to sleep
  | 'server' // 5xx after the retries a read gets
  | 'network' // reset, refused, timeout after the retries a read gets
  | 'invalid-response' // 2xx with a body that is not the JSON Vast sends
  | 'outcome-unknown' // a write that may or may not have happened: reconcile, never resend blindly
  | 'invalid-input'; // rejected before anything was sent

export interface VastErrorDetails {
  endpoint?: EndpointClass;
  status?: number;
  /** Vast's `error` code (`no_such_ask`, `auth_error`, ...), when the body had one. */
  code?: string;
  /** Attempts made, the first one included. */
  attempts?: number;
  /** For 'rate-limited': when the endpoint accepts requests again (epoch ms). */
  resumeAt?: number;
  cause?: unknown;
}

export class VastApiError extends Error {
  override readonly name = 'VastApiError';
  readonly endpoint?: EndpointClass;
  readonly status?: number;
  readonly code?: string;
  readonly attempts?: number;
  readonly resumeAt?: number;

  constructor(
    readonly kind: VastErrorKind,
    message: string,
    details: VastErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
    this.resumeAt = details.resumeAt;
  }

  /** Whether the request is known not to have changed anything on the server. */
  get notProcessed(): boolean {
    return this.kind !== 'outcome-unknown';
  }
}

export function isVastApiError(error: unknown, kind?: VastErrorKind): error is VastApiError {
  return error instanceof VastApiError && (kind === undefined || error.kind === kind);
}

/** "search offers", for messages. */
export function endpointTitle(endpoint: EndpointClass): string {
  return ENDPOINTS[endpoint].title;
}
