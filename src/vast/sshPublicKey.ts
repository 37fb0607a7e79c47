import { createHash } from 'node:crypto';

/**
 * What counts as an OpenSSH public key line (`ssh-ed25519 AAAA… comment`), for everything that
 * uploads or accepts one: the client before it sends, the simulator before it stores. Anything
 * else is refused with a reason, above all a private key, which must never leave the computer.
 */
export interface PublicKey {
  /** "ssh-ed25519". */
  type: string;
  /** The base64 blob. */
  blob: string;
  comment: string;
  /** "SHA256:…", as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The normalised single line: type, blob and comment separated by one space. */
  line: string;
}

export type ParsedKey = { ok: true; key: PublicKey } | { ok: false; reason: string };

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

const MAX_LINE = 16_384;

export function parsePublicKey(text: unknown): ParsedKey {
  if (typeof text !== 'string') return { ok: false, reason: 'an SSH public key is text' };
  if (/PRIVATE KEY/.test(text)) {
    return { ok: false, reason: 'this is a PRIVATE key: it never leaves this computer; use the matching .pub file' };
  }
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: 'the key is empty' };
  if (/[\r\n]/.test(trimmed)) return { ok: false, reason: 'a public key is a single line; this text has several' };
  if (trimmed.length > MAX_LINE) return { ok: false, reason: `the line is longer than ${MAX_LINE} characters` };
  const [type, blob, ...rest] = trimmed.split(/[ \t]+/);
  if (!KEY_TYPES.has(type)) return { ok: false, reason: `"${type.slice(0, 40)}" is not an SSH public key type (expected e.g. ssh-ed25519)` };
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return { ok: false, reason: 'the key data after the type is not base64' };
  const bytes = Buffer.from(blob, 'base64');
  // The blob starts with its own type as an SSH string: a key pasted with the wrong type is broken.
  const innerLength = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (innerLength <= 0 || innerLength > bytes.length - 4 || bytes.subarray(4, 4 + innerLength).toString('latin1') !== type) {
    return { ok: false, reason: 'the key data does not match its type (damaged or cut off?)' };
  }
  const comment = rest.join(' ');
  if (/[\x00-\x1f\x7f]/.test(comment)) return { ok: false, reason: 'the comment contains control characters' };
  const fingerprint = `SHA256:${createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '')}`;
  return { ok: true, key: { type, blob, comment, fingerprint, line: [type, blob, comment].filter(Boolean).join(' ') } };
}

/** Two keys are the same key when type and blob match; comments differ freely. */
export function sameKey(a: Pick<PublicKey, 'type' | 'blob'>, b: Pick<PublicKey, 'type' | 'blob'>): boolean {
  return a.type === b.type && a.blob === b.blob;
}
