import { BaselineClient, BaselineError } from './baselineClient';
import { exchange, type HttpRequest } from './exchange';

const SPACING_MS = 500;
const MAX_ATTEMPTS = 5;
const TIMEOUT_MS = 30_000;

/**
 * The project's seed client, as specified:
 * - one global 0.5 s minimum delay between request starts, every endpoint and every retry alike;
 * - on 429: sleeps Retry-After (delta-seconds; an HTTP-date is not understood) or else 2**attempt
 *   seconds, `attempt` being the number of the attempt that got the 429 (1..4: 2, 4, 8, 16 s);
 *   gives up after the 5th attempt without sleeping again;
 * - any other error (5xx, network, 4xx) fails the call at once: no retry;
 * - waiting: polls `GET /api/v0/instances/{id}/` per instance, at once, then every 5 s x1.5 up to 30 s;
 * - no cache. (Timeout 30 s: not in the spec, and no workload here makes a request hang.)
 */
export class SeedClient extends BaselineClient {
  readonly name = 'seed';
  private nextSendAt = 0;

  protected async request<T>(request: HttpRequest): Promise<T> {
    const { clock } = this.options;
    for (let attempt = 1; ; attempt++) {
      await this.takeSlot();
      const outcome = await exchange(clock, this.options, request, TIMEOUT_MS, this.options.signal);
      if (outcome.kind === 'network') throw new BaselineError(`${request.method} ${request.path}: ${outcome.message}`);
      if (outcome.status === 429) {
        if (attempt >= MAX_ATTEMPTS) throw new BaselineError(`${request.path}: still 429 after ${attempt} attempts`, 429);
        const retryAfter = outcome.retryAfter !== null && /^\d+(\.\d+)?$/.test(outcome.retryAfter.trim()) ? Number(outcome.retryAfter) : undefined;
        await this.sleep((retryAfter ?? 2 ** attempt) * 1000, retryAfter !== undefined ? 'Retry-After' : `2**${attempt} s backoff`);
        continue;
      }
      if (outcome.status >= 400) throw new BaselineError(`${request.path}: HTTP ${outcome.status}`, outcome.status);
      return this.parse<T>(outcome.text, request.path);
    }
  }

  protected *pollDelays(): Iterator<number> {
    for (let delay = 5000; ; delay = Math.min(delay * 1.5, 30_000)) yield delay;
  }

  /** Reserves the next send slot synchronously (FIFO), then sleeps until it. */
  private async takeSlot(): Promise<void> {
    const now = this.options.clock.now();
    const at = Math.max(now, this.nextSendAt);
    this.nextSendAt = at + SPACING_MS;
    if (at > now) await this.sleep(at - now, 'global 0.5 s spacing');
  }
}
