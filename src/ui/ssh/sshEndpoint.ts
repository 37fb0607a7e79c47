import { shellQuote } from '../../util/shellQuote';
import { isSafeHost, isValidPort } from '../../vast/hostAddress';
import type { Instance } from '../../vast/types';

/** Where to SSH into an instance, by the CLI's rule (docs/vast-api.md §2, `_ssh_url`). */
export interface SshEndpoint {
  host: string;
  port: number;
  user: 'root';
  /** `direct`: the machine's public IP and the host port mapped to the container's 22; `proxy`: Vast's ssh proxy. */
  kind: 'direct' | 'proxy';
}

/**
 * The SSH endpoint of an instance, or undefined when Vast has not assigned one yet.
 * - `ports["22/tcp"]` present (only while running, on machines with open ports): `public_ipaddr:HostPort`.
 * - Otherwise the proxy `ssh_host:ssh_port`, where a Jupyter runtype moves SSH to `ssh_port + 1`.
 * Only an IP literal or a plain host name and a port from 1 to 65535 count (isSafeHost): these go
 * into the SSH config, the clipboard and URLs, where `$(...)`, `;` or `/#` would do harm.
 */
export function sshEndpoint(instance: Instance): SshEndpoint | undefined {
  const direct = hostPort(instance, '22/tcp');
  const ip = typeof instance.public_ipaddr === 'string' ? instance.public_ipaddr.trim() : undefined;
  if (direct !== undefined && isSafeHost(ip)) return { host: ip, port: direct, user: 'root', kind: 'direct' };
  const proxyHost = typeof instance.ssh_host === 'string' ? instance.ssh_host.trim() : undefined;
  const proxyPort = instance.ssh_port;
  if (!isSafeHost(proxyHost) || !isValidPort(proxyPort)) return undefined;
  const port = isJupyterRuntype(instance) ? proxyPort + 1 : proxyPort;
  if (!isValidPort(port)) return undefined;
  return { host: proxyHost, port, user: 'root', kind: 'proxy' };
}

/** `ssh -p 20544 root@142.214.185.187`, each word shell-quoted should it need it. */
export function sshCommand(endpoint: SshEndpoint): string {
  return ['ssh', '-p', String(endpoint.port), `${endpoint.user}@${endpoint.host}`].map(shellQuote).join(' ');
}

/** The command line for an instance, or undefined without an endpoint. */
export function instanceSshCommand(instance: Instance): string | undefined {
  const endpoint = sshEndpoint(instance);
  return endpoint && sshCommand(endpoint);
}

/** The runtype asks for Jupyter ("jupyter_direc ssh_direc ssh_proxy", "jupyter_proxy ssh_proxy", ...). */
export function isJupyterRuntype(instance: Instance): boolean {
  return typeof instance.image_runtype === 'string' && instance.image_runtype.toLowerCase().includes('jupyter');
}

/** The host port Docker mapped to a container port ("8080/tcp"), when it is mapped. */
export function hostPort(instance: Instance, containerPort: string): number | undefined {
  const bindings = instance.ports?.[containerPort];
  if (!Array.isArray(bindings)) return undefined;
  for (const binding of bindings) {
    const port = Number.parseInt(String(binding?.HostPort ?? ''), 10);
    if (Number.isInteger(port) && port > 0 && port < 65536) return port;
  }
  return undefined;
}
