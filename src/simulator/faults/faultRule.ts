import type { EndpointClass } from '../../vast/endpoints';

/**
 * What can go wrong between the client and Vast, on demand:
 * - `status`: a proxy answers 5xx with an HTML page; the request never reached Vast (not processed).
 * - `reset`: the socket is destroyed without an answer; not processed.
 * - `hang`: no answer until the client gives up (or the simulator closes); not processed.
 * - `malformed-json`: processed, then a 200 with the JSON cut in half (a truncating proxy).
 * - `slow`: processed and answered normally, `delayMs` later on the clock.
 * - `lost-response`: processed and committed (a create makes the instance), then the socket is
 *   destroyed: the ambiguous failure a client must reconcile rather than blindly resend.
 * - `late-commit`: held `delayMs`, then processed whether or not the client is still there (a
 *   create that commits after the client timed out: the case reconcile-by-label must survive).
 * - `respond`: not processed; answers exactly `response` instead (a hostile or broken server:
 *   odd headers, odd field types, huge or endless bodies).
 */
export type FaultKind = 'status' | 'reset' | 'hang' | 'malformed-json' | 'slow' | 'lost-response' | 'late-commit' | 'respond';

/** For `respond`: the answer to send, verbatim. */
export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Sends the body this many times over (default 1): a large answer without a large fixture. */
  repeat?: number;
  /** Sends the body without a length and never ends it (until the client hangs up). */
  endless?: boolean;
}

export interface FaultRule {
  kind: FaultKind;
  /** Only requests of these endpoint classes; all API requests when absent. */
  endpoint?: EndpointClass | EndpointClass[];
  /** How many matching requests it hits. Default 1, or unlimited when `untilMs` is given. */
  times?: number;
  /** Clock time (ms) after which the rule no longer applies. */
  untilMs?: number;
  /** For `status`: the 5xx to answer. Default 502. */
  status?: number;
  /** For `slow`: delay before answering, in clock ms. Default 10 000. */
  delayMs?: number;
  /** For `respond`. */
  response?: ScriptedResponse;
}

/** A rule as stored: its id and how many hits it has left. */
export interface ActiveFault extends Readonly<FaultRule> {
  readonly id: number;
  readonly remaining: number;
}
