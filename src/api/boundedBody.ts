/**
 * Reads a response body as text, giving up as soon as it grows past `maxBytes`: a broken or
 * hostile server must not make us buffer hundreds of megabytes (reading it whole first would).
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the answer was larger than ${formatBytes(maxBytes)}`);
  }
}

/** The body stream node-fetch gives (a Node Readable), or null for an empty body. */
type BodyStream = AsyncIterable<Uint8Array | string> & { destroy?: (error?: Error) => void };

export async function readBoundedText(body: BodyStream | null, maxBytes: number, contentLength?: string | null): Promise<string> {
  if (body === null) return '';
  const declared = contentLength ? Number(contentLength) : NaN;
  if (declared > maxBytes) {
    body.destroy?.();
    throw new BodyTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy?.();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
