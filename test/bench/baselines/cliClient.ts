import { BaselineClient, BaselineError } from './baselineClient';
import { exchange, type HttpRequest } from './exchange';

const ATTEMPTS = 3;
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);
const FIRST_SLEEP_MS = 150;
const TIMEOUT_MS = 120_000;

/**
 * The official CLI's algorithm (`VastClient._request`, docs/vast-api.md §7), used as a library in a loop:
 * - 3 attempts in total; retries 429, 502, 503, 504 and network errors/timeouts, for every method,
 *   creates included; sleeps 0.15 s, then x1.5 (0.225 s); no jitter; ignores Retry-After and
 *   `threshold=`; request timeout 120 s;
 * - after the last attempt the last response is returned and the caller's `raise_for_status()`
 *   turns a 429/5xx into an error (a network error is re-raised);
 * - no cache, no spacing.
 * Waiting: a CLI user polls `show instance` per instance at once and then every 10 s, the docs'
 * hello-world pattern (DOCS hello-world.mdx, "poll about every 10 s").
 */
export class CliClient extends BaselineClient {
  readonly name = 'cli';

  protected async request<T>(request: HttpRequest): Promise<T> {
    const { clock, signal } = this.options;
    let delay = FIRST_SLEEP_MS;
    for (let attempt = 1; ; attempt++) {
      const outcome = await exchange(clock, this.options, request, TIMEOUT_MS, signal);
      const retry = attempt < ATTEMPTS && (outcome.kind === 'network' || RETRIED_STATUSES.has(outcome.status));
      if (retry) {
        await this.sleep(delay, outcome.kind === 'network' ? 'retry after network error' : `retry after ${outcome.status}`);
        delay *= 1.5;
        continue;
      }
      if (outcome.kind === 'network') throw new BaselineError(`${request.method} ${request.path}: ${outcome.message}`);
      if (outcome.status >= 400) throw new BaselineError(`${request.path}: HTTP ${outcome.status}`, outcome.status);
      return this.parse<T>(outcome.text, request.path);
    }
  }

  protected *pollDelays(): Iterator<number> {
    for (;;) yield 10_000;
  }
}
