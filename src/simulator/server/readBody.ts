import type { IncomingMessage } from 'node:http';
import { ApiError } from './apiError';

const MAX_BODY_BYTES = 1024 * 1024;

/** The raw request body. Parsing waits until auth and rate limiting have passed, as on a real server. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'invalid_args', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty body reads as `{}` (the CLI sends `{}` or nothing for bodiless PUTs and DELETEs). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_args', 'request body is not valid JSON');
  }
}
