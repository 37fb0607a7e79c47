import type { Socket } from 'node:net';
import { Emitter, type Disposable } from '../util/emitter';

/** A message on the local channel: one JSON object per line. */
export type Message = { t: string } & Record<string, unknown>;

/** Instance lists of a few thousand rows fit easily; anything larger is a broken or hostile peer. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * Newline-delimited JSON over a local socket (JSON.stringify never emits a raw newline). Malformed
 * or oversized input closes the channel: the peer is not ours or is broken.
 */
export class MessageChannel {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private closed = false;
  private readonly messages = new Emitter<Message>();
  private readonly closedEvent = new Emitter<void>();
  /** Messages that came while nobody listened (between the handshake and the session): kept, not lost. */
  private unheard: Message[] = [];
  readonly onClose = this.closedEvent.event;

  /** Subscribes; messages that arrived while nobody listened are delivered first. */
  onMessage(listener: (message: Message) => void): Disposable {
    const inner = this.messages.event(listener);
    let active = true;
    const subscription = {
      dispose: () => {
        active = false;
        inner.dispose();
      },
    };
    const backlog = this.unheard.splice(0);
    // After the caller has its subscription in hand (a listener may dispose it on the first message);
    // what a listener that left did not take stays for the next one.
    if (backlog.length) {
      queueMicrotask(() => {
        while (backlog.length && active && !this.closed) listener(backlog.shift()!);
        if (backlog.length) this.unheard.unshift(...backlog);
      });
    }
    return subscription;
  }

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('end', () => this.finish());
    socket.on('error', () => this.finish());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: Message): void {
    if (this.closed) return;
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Flushes what was sent (a refusal must arrive), then hangs up. */
  close(): void {
    if (this.closed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
    this.finish(false);
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      this.buffered.push(chunk.subarray(start, newline));
      const line = Buffer.concat(this.buffered).toString('utf8');
      this.buffered = [];
      this.bufferedBytes = 0;
      start = newline + 1;
      if (!this.deliver(line)) return;
    }
    if (start < chunk.length) {
      this.buffered.push(chunk.subarray(start));
      this.bufferedBytes += chunk.length - start;
      if (this.bufferedBytes > MAX_LINE_BYTES) this.close();
    }
  }

  private deliver(line: string): boolean {
    if (this.closed) return false;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.close();
      return false;
    }
    if (typeof message !== 'object' || message === null || typeof (message as Message).t !== 'string') {
      this.close();
      return false;
    }
    if (this.messages.hasListeners) this.messages.fire(message as Message);
    else this.unheard.push(message as Message);
    return !this.closed;
  }

  private finish(destroy = true): void {
    if (this.closed) return;
    this.closed = true;
    if (destroy && !this.socket.destroyed) this.socket.destroy();
    this.closedEvent.fire();
    this.messages.dispose();
    this.closedEvent.dispose();
  }
}
