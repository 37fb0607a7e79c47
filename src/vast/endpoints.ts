/**
 * Vast.ai's endpoints grouped the way its rate limiter sees them: one minimum interval per endpoint
 * (per key), whatever the instance id in the path. Shared by the client (one gate per class) and the
 * simulator (one limiter per class), so both agree on what "an endpoint" is.
 */
export type EndpointClass =
  | 'search'
  | 'instances'
  | 'instancesLegacy'
  | 'instance'
  | 'create'
  | 'manage'
  | 'reboot'
  | 'destroy'
  | 'user'
  | 'logs'
  | 'sshKeys'
  | 'sshKeyAdd'
  | 'sshKeyRemove'
  | 'instanceSshKeys'
  | 'sshKeyAttach';

export interface EndpointInfo {
  /** What a person calls it, for errors, logs and the status bar. */
  title: string;
  /** Safe to resend after an ambiguous failure (5xx, reset, timeout): the server state cannot change twice. */
  idempotent: boolean;
  /**
   * Minimum interval between requests in ms, from Vast's OpenAPI `x-rate-limit` figures (seconds;
   * search is published as 10 per minute). Endpoints without a published figure get 1 s.
   */
  publishedIntervalMs: number;
  /** Extra lock-out after a 429, where Vast publishes one. */
  penaltyMs?: number;
}

export const ENDPOINTS: Readonly<Record<EndpointClass, EndpointInfo>> = {
  search: { title: 'search offers', idempotent: true, publishedIntervalMs: 6000 },
  instances: { title: 'list instances', idempotent: true, publishedIntervalMs: 1000 },
  instancesLegacy: { title: 'list instances (v0)', idempotent: true, publishedIntervalMs: 1000 },
  instance: { title: 'show instance', idempotent: true, publishedIntervalMs: 2000 },
  create: { title: 'create instance', idempotent: false, publishedIntervalMs: 4500, penaltyMs: 12_000 },
  manage: { title: 'start/stop/label instance', idempotent: false, publishedIntervalMs: 1000 },
  reboot: { title: 'reboot instance', idempotent: false, publishedIntervalMs: 1000 },
  destroy: { title: 'destroy instance', idempotent: false, publishedIntervalMs: 3000 },
  user: { title: 'current user', idempotent: true, publishedIntervalMs: 1000 },
  logs: { title: 'request logs', idempotent: false, publishedIntervalMs: 1000 },
  // SSH keys: Vast publishes 1.0 s for "create SSH key"; the others have no figure, so 1 s too.
  sshKeys: { title: 'list account SSH keys', idempotent: true, publishedIntervalMs: 1000 },
  sshKeyAdd: { title: 'add account SSH key', idempotent: false, publishedIntervalMs: 1000 },
  sshKeyRemove: { title: 'remove account SSH key', idempotent: false, publishedIntervalMs: 1000 },
  instanceSshKeys: { title: 'list instance SSH keys', idempotent: true, publishedIntervalMs: 1000 },
  sshKeyAttach: { title: 'attach SSH key to instance', idempotent: false, publishedIntervalMs: 1000 },
};

export const ENDPOINT_CLASSES = Object.keys(ENDPOINTS) as EndpointClass[];

const ROUTES: ReadonlyArray<[method: string, pattern: RegExp, endpoint: EndpointClass]> = [
  ['POST', /^\/api\/v0\/bundles\/?$/, 'search'],
  ['GET', /^\/api\/v1\/instances\/?$/, 'instances'],
  ['GET', /^\/api\/v0\/instances\/?$/, 'instancesLegacy'],
  ['GET', /^\/api\/v0\/instances\/\d+\/?$/, 'instance'],
  ['PUT', /^\/api\/v0\/asks\/\d+\/?$/, 'create'],
  ['PUT', /^\/api\/v0\/instances\/reboot\/\d+\/?$/, 'reboot'],
  ['PUT', /^\/api\/v0\/instances\/request_logs\/\d+\/?$/, 'logs'],
  ['PUT', /^\/api\/v0\/instances\/\d+\/?$/, 'manage'],
  ['DELETE', /^\/api\/v0\/instances\/\d+\/?$/, 'destroy'],
  ['GET', /^\/api\/v0\/users\/current\/?$/, 'user'],
  ['GET', /^\/api\/v0\/ssh\/?$/, 'sshKeys'],
  ['POST', /^\/api\/v0\/ssh\/?$/, 'sshKeyAdd'],
  ['DELETE', /^\/api\/v0\/ssh\/\d+\/?$/, 'sshKeyRemove'],
  ['GET', /^\/api\/v0\/instances\/\d+\/ssh\/?$/, 'instanceSshKeys'],
  ['POST', /^\/api\/v0\/instances\/\d+\/ssh\/?$/, 'sshKeyAttach'],
];

/** The endpoint class of a request, or undefined when Vast has no such endpoint. */
export function classifyRequest(method: string, pathname: string): EndpointClass | undefined {
  const upper = method.toUpperCase();
  for (const [routeMethod, pattern, endpoint] of ROUTES) {
    if (routeMethod === upper && pattern.test(pathname)) return endpoint;
  }
  return undefined;
}
