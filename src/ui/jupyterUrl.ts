import { shellQuote } from '../util/shellQuote';
import { isSafeHost } from '../vast/hostAddress';
import type { Instance } from '../vast/types';
import { hostPort, isJupyterRuntype, sshEndpoint, type SshEndpoint } from './ssh/sshEndpoint';

/** Vast runs Jupyter on the container's port 8080 (docs.vast.ai, launch modes). */
export const JUPYTER_CONTAINER_PORT = 8080;

/**
 * How to reach an instance's Jupyter:
 * - `direct`: the machine maps 8080 to a public port; Vast serves it over HTTPS with its own
 *   certificate, and the token logs in.
 * - `tunnel`: no public port (proxy-only machine): forward 8080 over SSH, then open localhost.
 * - `none`: not a Jupyter instance, or not reachable yet.
 */
export type JupyterAccess =
  | { kind: 'direct'; url: string }
  | { kind: 'tunnel'; sshCommand: string; url: string }
  | { kind: 'none'; reason: string };

export function jupyterAccess(instance: Instance): JupyterAccess {
  if (!isJupyterRuntype(instance)) return { kind: 'none', reason: 'it was not started with Jupyter' };
  if (instance.actual_status !== 'running') return { kind: 'none', reason: `it is ${instance.actual_status ?? 'still provisioning'}, not running` };
  const query = tokenQuery(instance.jupyter_token);
  const port = hostPort(instance, `${JUPYTER_CONTAINER_PORT}/tcp`);
  const ip = typeof instance.public_ipaddr === 'string' ? instance.public_ipaddr.trim() : undefined;
  // Only a checked host: `evil.example/#` would send the token to evil.example.
  if (port !== undefined && isSafeHost(ip)) return { kind: 'direct', url: `https://${hostForUrl(ip)}:${port}/${query}` };
  const ssh = sshEndpoint(instance);
  if (!ssh) return { kind: 'none', reason: 'it has neither a Jupyter port nor an SSH endpoint yet' };
  return { kind: 'tunnel', sshCommand: tunnelCommand(ssh), url: `https://localhost:${JUPYTER_CONTAINER_PORT}/${query}` };
}

/** The direct Jupyter URL with its token, or undefined. */
export function jupyterUrl(instance: Instance): string | undefined {
  const access = jupyterAccess(instance);
  return access.kind === 'direct' ? access.url : undefined;
}

/** `ssh -p PORT root@HOST -N -L 8080:localhost:8080`: forwards Jupyter until interrupted. */
export function tunnelCommand(endpoint: SshEndpoint): string {
  const forward = `${JUPYTER_CONTAINER_PORT}:localhost:${JUPYTER_CONTAINER_PORT}`;
  return ['ssh', '-p', String(endpoint.port), `${endpoint.user}@${endpoint.host}`, '-N', '-L', forward].map(shellQuote).join(' ');
}

function tokenQuery(token: string | null): string {
  return typeof token === 'string' && token ? `?token=${encodeURIComponent(token)}` : '';
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
