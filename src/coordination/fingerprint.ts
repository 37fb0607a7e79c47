import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Names one budget (API host + key) without revealing the key: the socket name and every log line
 * use this, never the key. 64 bits of a SHA-256 is plenty to tell keys apart on one machine and
 * reveals nothing usable about a 64-hex-character Vast key.
 */
export function budgetFingerprint(host: string, apiKey: string): string {
  return createHash('sha256').update(`vast-gpu-explorer/budget\0${normalizeHost(host)}\0${apiKey}`).digest('hex').slice(0, 16);
}

/** `https://Console.vast.ai/` and `https://console.vast.ai` are one host. */
export function normalizeHost(host: string): string {
  try {
    return new URL(host).origin.toLowerCase();
  } catch {
    return host.trim().toLowerCase();
  }
}

export type ProofRole = 'leader' | 'follower';

/**
 * Proves knowledge of the key for one handshake: an HMAC keyed by the key over both nonces, the
 * budget and the role (so a leader's proof can never be replayed as a follower's).
 */
export function keyProof(apiKey: string, role: ProofRole, fingerprint: string, leaderNonce: string, followerNonce: string): string {
  return createHmac('sha256', apiKey).update(`vast-gpu-explorer/coordination/1\0${role}\0${fingerprint}\0${leaderNonce}\0${followerNonce}`).digest('hex');
}

export function proofMatches(expected: string, received: unknown): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(received));
}
