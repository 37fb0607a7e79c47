import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyRequest, type EndpointClass } from '../../vast/endpoints';
import type { Clock } from '../../util/clock';
import { sleep } from '../../util/sleep';
import type { KeyRing } from '../auth/keyRing';
import { errorPage } from '../faults/errorPage';
import type { FaultRules } from '../faults/faultControl';
import type { ActiveFault, ScriptedResponse } from '../faults/faultRule';
import type { RateLimiter } from '../limits/rateLimiter';
import { rateLimitResponse } from '../limits/rejection';
import type { RequestLog, RequestLogEntry } from '../log/requestLog';
import { downloadLogs } from '../routes/downloadLogs';
import { HANDLERS, WRITE_CLASSES } from '../routes/handlers';
import { LOG_DOWNLOAD_PREFIX } from '../routes/requestLogs';
import type { SimState } from '../routes/route';
import { ApiError } from './apiError';
import { parseJsonBody, readBodyText } from './readBody';
import { jsonResponse, textResponse, writeResponse, type SimResponse } from './response';
import { errorMessage } from '../../util/errorMessage';

export interface PipelineParts {
  clock: Clock;
  keys: KeyRing;
  limiter: RateLimiter;
  faults: FaultRules;
  log: RequestLog;
  state: SimState;
  /** Status of the `auth_error` answer to a bad key (Vast: usually 401, sometimes 404). */
  badKeyStatus?: number;
  /** Endpoints answering 410 `deprecated_endpoint`. */
  retired?: ReadonlySet<EndpointClass>;
  /** Demo mode: loopback Host headers only, and the key only from the Authorization header. */
  localOnly?: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * Every request goes: route (404/405) → auth (401) → rate limit (429) → fault → permission (403) →
 * handler. Auth comes before limiting because the limiter needs the identity; faults come after, so
 * a faulted request has counted as accepted. The log entry is written just before the answer.
 */
export function createRequestHandler(parts: PipelineParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const message = errorMessage(error);
      respond(parts, req, res, {}, jsonResponse(500, { success: false, error: 'internal_error', msg: message }));
    });
  };
}

async function handle(parts: PipelineParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { keys, limiter, faults, state } = parts;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname;

  if (parts.localOnly && !isLoopbackHost(req.headers.host, state.url)) {
    req.resume();
    return respond(parts, req, res, {}, jsonResponse(421, { success: false, error: 'misdirected_request', msg: 'This simulator answers only 127.0.0.1 and localhost.' }));
  }

  if (method === 'GET' && path.startsWith(LOG_DOWNLOAD_PREFIX)) {
    req.resume();
    return respond(parts, req, res, {}, downloadLogs(state, path.slice(LOG_DOWNLOAD_PREFIX.length)));
  }

  const endpoint = classifyRequest(method, path);
  if (!endpoint) {
    req.resume();
    return respond(parts, req, res, {}, unrouted(method, path));
  }

  if (parts.retired?.has(endpoint)) {
    req.resume();
    const gone = jsonResponse(410, { success: false, error: 'deprecated_endpoint', msg: `${method} ${path} has been removed; use the v1 API.` });
    return respond(parts, req, res, { endpoint }, gone);
  }

  let bodyText: string;
  try {
    bodyText = await readBodyText(req);
  } catch (error) {
    return respond(parts, req, res, { endpoint }, errorResponse(error));
  }

  // In demo mode a key in the URL does not count: a web page can build URLs, not set headers.
  const auth = keys.authenticate(req, parts.localOnly ? new URLSearchParams() : url.searchParams);
  if (!auth.ok) {
    const denied = jsonResponse(parts.badKeyStatus ?? 401, { success: false, error: 'auth_error', msg: 'Invalid user key' });
    return respond(parts, req, res, { endpoint, keyId: auth.keyId }, denied);
  }
  const { keyId, readOnly, instanceId } = auth.identity;

  const verdict = limiter.check(keyId, endpoint);
  if (verdict) {
    const refused = rateLimitResponse(verdict, limiter.settings, parts.clock.now());
    return respond(parts, req, res, { endpoint, keyId, limited: verdict.reason }, refused);
  }

  const fault = faults.take(endpoint);
  const meta = { endpoint, keyId, fault: fault?.kind };
  if (fault && !(await beforeProcessing(parts, req, res, fault, meta))) return;

  let response: SimResponse;
  try {
    if (readOnly && WRITE_CLASSES.has(endpoint)) {
      throw new ApiError(403, 'forbidden', 'This API key lacks the instance_write permission.');
    }
    const idInPath = path.match(/(\d+)\/?$/)?.[1];
    const body = parseJsonBody(bodyText);
    const pathId = idInPath === undefined ? undefined : Number(idInPath);
    if (instanceId !== undefined) checkInstanceKeyScope(instanceId, endpoint, pathId, body);
    response = HANDLERS[endpoint](state, { endpoint, path, query: url.searchParams, body, pathId });
  } catch (error) {
    response = errorResponse(error);
  }

  if (fault?.kind === 'lost-response') return drop(parts, req, meta);
  if (fault?.kind === 'malformed-json') response = truncated(response);
  respond(parts, req, res, meta, response);
}

/** Faults that act before the request is processed. Returns false when the request is finished. */
async function beforeProcessing(
  parts: PipelineParts,
  req: IncomingMessage,
  res: ServerResponse,
  fault: ActiveFault,
  meta: Partial<RequestLogEntry>,
): Promise<boolean> {
  const { clock } = parts;
  switch (fault.kind) {
    case 'status':
      respond(parts, req, res, meta, textResponse(fault.status!, errorPage(fault.status!), 'text/html; charset=utf-8'));
      return false;
    case 'reset':
      drop(parts, req, meta);
      return false;
    case 'respond':
      // Not parked: the client is busy reading (an endless body ends when the client hangs up).
      await scripted(res, fault.response!, clock.now());
      record(parts, req, meta, fault.response!.status);
      return false;
    case 'hang':
      // Parked, so a virtual clock can run the client's timeout while this request waits.
      await clock.parkIo(closed(res));
      record(parts, req, meta, 0);
      return false;
    case 'late-commit': {
      // Parked while the client waits (its own timeout runs); once it hangs up, the commit still comes.
      const commitAt = clock.now() + fault.delayMs!;
      await clock.parkIo(delay(clock, fault.delayMs!, res));
      const rest = commitAt - clock.now();
      if (rest > 0) await sleep(clock, rest);
      return true;
    }
    case 'slow': {
      const stillOpen = await clock.parkIo(delay(clock, fault.delayMs!, res));
      if (!stillOpen) record(parts, req, meta, 0);
      return stillOpen;
    }
    default:
      return true;
  }
}

function respond(
  parts: PipelineParts,
  req: IncomingMessage,
  res: ServerResponse,
  meta: Partial<RequestLogEntry>,
  response: SimResponse,
): void {
  record(parts, req, meta, response.status);
  if (res.destroyed || req.socket.destroyed) return; // the client gave up (a late commit)
  writeResponse(res, response, parts.clock.now());
}

/** Destroys the connection without a byte of answer. */
function drop(parts: PipelineParts, req: IncomingMessage, meta: Partial<RequestLogEntry>): void {
  record(parts, req, meta, 0);
  req.socket.destroy();
}

function record(parts: PipelineParts, req: IncomingMessage, meta: Partial<RequestLogEntry>, status: number): void {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const filteredBy = filterColumns(url.searchParams.get('select_filters'));
  parts.log.record({
    at: parts.clock.now(),
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    ...(filteredBy ? { filteredBy } : {}),
    ...meta,
    status,
  });
}

/** The keys of a JSON `select_filters` object, or undefined (absent or not an object). */
function filterColumns(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** An instance's own key may start, stop or destroy its own instance, and nothing else. */
function checkInstanceKeyScope(instanceId: number, endpoint: string, pathId: number | undefined, body: unknown): void {
  const own = pathId === instanceId;
  const stateOnly =
    body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).every((key) => key === 'state');
  if (own && (endpoint === 'destroy' || (endpoint === 'manage' && stateOnly))) return;
  throw new ApiError(403, 'not_authorized', 'This instance API key may only start, stop or destroy its own instance.');
}

function unrouted(method: string, path: string): SimResponse {
  const allowed = METHODS.filter((candidate) => classifyRequest(candidate, path) !== undefined);
  if (allowed.length) {
    return jsonResponse(
      405,
      { success: false, error: 'method_not_allowed', msg: `${method} is not allowed on ${path}` },
      { Allow: allowed.join(', ') },
    );
  }
  return jsonResponse(404, { success: false, error: 'not_found', msg: `No such endpoint: ${method} ${path}` });
}

function errorResponse(error: unknown): SimResponse {
  if (error instanceof ApiError) return jsonResponse(error.status, error.body);
  throw error;
}

/** A truncating proxy: a 200 whose JSON stops half way. The request was processed. */
function truncated(response: SimResponse): SimResponse {
  const cut = response.body.slice(0, Math.max(1, Math.floor(response.body.length / 2)));
  return { status: 200, contentType: 'application/json', body: cut };
}

/** Writes a scripted answer; an endless one stays open until the client hangs up. */
function scripted(res: ServerResponse, response: ScriptedResponse, now: number): Promise<void> {
  const text = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
  const body = text.repeat(Math.max(1, response.repeat ?? 1));
  if (!response.endless) {
    writeResponse(res, { status: response.status, contentType: 'application/json', body, headers: response.headers }, now);
    return Promise.resolve();
  }
  res.statusCode = response.status;
  res.setHeader('Content-Type', 'application/json');
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.write(body);
  return closed(res);
}

function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.socket?.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/** Waits on the clock; resolves false early if the client hangs up meanwhile. */
async function delay(clock: Clock, ms: number, res: ServerResponse): Promise<boolean> {
  const abort = new AbortController();
  const onClose = () => abort.abort();
  res.once('close', onClose);
  try {
    await sleep(clock, ms, abort.signal);
    return !res.destroyed;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}


/** `127.0.0.1:<port>` or `localhost:<port>` for this server's own port; anything else is a foreign name. */
function isLoopbackHost(host: string | undefined, serverUrl: string): boolean {
  if (!host) return false;
  const port = new URL(serverUrl).port;
  const name = host.toLowerCase();
  return name === `127.0.0.1:${port}` || name === `localhost:${port}`;
}
