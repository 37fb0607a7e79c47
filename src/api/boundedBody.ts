import type { Readable } from 'node:stream';

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

/** The body node-fetch gives: a Node Readable (destroy and its state are Readable's, not in the interface). */
type BodyStream = NodeJS.ReadableStream & Partial<Pick<Readable, 'destroy' | 'closed' | 'errored'>>;

export function readBoundedText(body: NodeJS.ReadableStream | null, maxBytes: number, contentLength?: string | null): Promise<string> {
  if (body === null) return Promise.resolve('');
  const stream: BodyStream = body;
  const declared = contentLength ? Number(contentLength) : NaN;
  if (declared > maxBytes) {
    stream.destroy?.();
    return Promise.reject(new BodyTooLargeError(maxBytes));
  }
  return readEvents(stream, maxBytes);
}

/**
 * Through the stream's own events: an answer is usually one chunk, and `for await` would cost an
 * async iterator, an end-of-stream watcher and a promise per chunk on every request.
 */
function readEvents(body: BodyStream, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string) => {
      const buffer = toBuffer(chunk);
      size += buffer.length;
      chunks.push(buffer);
      if (size > maxBytes) fail(new BodyTooLargeError(maxBytes), true);
    };
    const onEnd = () => {
      detach();
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error) => fail(error, false);
    // Closed without an end or an error (destroyed): what `for await` reports as a premature close.
    const onClose = () => fail(prematureClose(), false);
    const fail = (error: Error, destroy: boolean) => {
      detach();
      body.on('error', ignore); // one still on its way (a stream destroyed with an error emits it later)
      chunks.length = 0;
      if (destroy) body.destroy?.();
      reject(error);
    };
    const detach = () => {
      body.removeListener('data', onData);
      body.removeListener('end', onEnd);
      body.removeListener('error', onError);
      body.removeListener('close', onClose);
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
    // Torn down before we came (aborted, or failed): its close has happened or is on its way.
    if (body.closed) fail(body.errored ?? prematureClose(), false);
  });
}

const ignore = () => undefined;

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
