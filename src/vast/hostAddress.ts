import { isIP } from 'node:net';

/**
 * Host names and ports from the API end up in the SSH config, on the clipboard and in Jupyter URLs,
 * so only an IP literal or a plain DNS name passes: letters, digits, dots and hyphens, not starting
 * with a hyphen (it would read as an ssh option). Anything else (`$(id)`, `1.2.3.4;curl…`,
 * `evil.example/#`, `%h`) is treated as no address at all.
 */
export function isSafeHost(host: unknown): host is string {
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) return false;
  // The plain-name test first: it is cheap and takes IPv4 too; isIP's IPv6 pattern is long.
  return (/^[A-Za-z0-9.-]+$/.test(host) && !host.startsWith('-') && !host.startsWith('.') && !host.includes('..')) || isIP(host) !== 0;
}

/** A TCP port: a whole number from 1 to 65535. */
export function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}
