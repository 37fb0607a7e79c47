import * as vscode from 'vscode';
import type { RequestEvent } from '../api/transport';
import type { Session } from '../ui/session';
import { formatDuration } from '../util/format';

/**
 * The one "Vast.ai" log: every request (method, path, status, time, attempt), every wait and every
 * error. It only ever receives what the client reports, which never contains the key.
 */
export class OutputLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Vast.ai', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  /** Logs a session's traffic until it is disposed. */
  follow(session: Session): vscode.Disposable {
    const request = session.client.onRequest((event) => this.request(event));
    const stale = session.client.onDidServeStale((event) => this.warn(`Served a cached search result ${formatDuration(event.ageMs)} old: ${event.reason ?? ''}`));
    // Once per kind of field: the server's value is not shown (nor logged), only that it was unusable.
    const drops = session.client.onDidDropField((drop) =>
      this.warn(
        drop.field === '(row)' || drop.field === 'id'
          ? `Vast.ai sent ${drop.kind} data without a usable ${drop.field === 'id' ? 'id' : 'shape'}; that ${drop.kind} is left out (further ones are not logged).`
          : `Vast.ai sent an unusable "${drop.field}" for ${drop.kind}${drop.id ? ` ${drop.id}` : ''}; it shows as unknown (further ones are not logged).`,
      ),
    );
    let lastError: string | undefined;
    const monitor = session.monitor.onDidChangeState((snapshot) => {
      const message = snapshot.lastError?.message;
      if (message && message !== lastError) this.warn(`Instance list: ${message} (showing the last good list)`);
      else if (!message && lastError) this.info('Instance list: recovered.');
      lastError = message;
    });
    return { dispose: () => [request, stale, drops, monitor].forEach((d) => d.dispose()) };
  }

  dispose(): void {
    this.channel.dispose();
  }

  private request(event: RequestEvent): void {
    const what = `${event.method} ${event.path}`;
    const attempt = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
    switch (event.type) {
      case 'response': {
        const line = `${what} → ${event.status} in ${event.durationMs} ms${attempt}`;
        if (event.status === 429 || event.status >= 500) this.warn(line);
        else if (event.status >= 400) this.error(line);
        else this.info(line);
        break;
      }
      case 'failure':
        this.warn(`${what} failed: ${event.error}${attempt}`);
        break;
      case 'wait':
        this.warn(`${what}: waiting ${preciseDuration(event.waitMs)} before retrying (${event.reason})`);
        break;
    }
  }
}

function preciseDuration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms);
}
