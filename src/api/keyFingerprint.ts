import { createHash } from 'node:crypto';

/**
 * A stable, non-reversible name for an API key (SHA-256, truncated): what maps, file names, socket
 * names and logs may carry instead of the key itself.
 */
export function keyFingerprint(apiKey: string): string {
  return sha256(`vast-gpu-explorer/key\n${apiKey}`).slice(0, 32);
}

/** The id of one rate-limit budget: an API origin plus a key fingerprint, hashed again. */
export function budgetId(origin: string, fingerprint: string): string {
  return sha256(`vast-gpu-explorer/budget\n${origin}\n${fingerprint}`).slice(0, 32);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
