import assert from 'node:assert/strict';
import { DEFAULT_BACKOFF } from '../../../src/api/backoff';
import { decideRetry, type Exchange, type RetryContext } from '../../../src/api/retryDecision';

const NOW = Date.UTC(2026, 0, 1, 12);

function context(overrides: Partial<RetryContext> = {}): RetryContext {
  return {
    endpoint: 'instance',
    now: NOW,
    consecutive429: 0,
    maxRetries: 6,
    maxWaitMs: 120_000,
    backoff: DEFAULT_BACKOFF,
    thresholdMargin: 1.05,
    random: () => 0.5,
    ...overrides,
  };
}

function answer(status: number, text = '', headers: Record<string, string> = {}): Exchange {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { kind: 'response', status, text, headers: { get: (name) => lower.get(name.toLowerCase()) ?? null } };
}

describe('decideRetry (pure: exchange, attempt, idempotent)', () => {
  it('a 2xx is done, with its JSON (an empty body is {})', () => {
    assert.deepEqual(decideRetry(answer(200, '{"a":1}'), 1, true, context()), { action: 'done', body: { a: 1 } });
    assert.deepEqual(decideRetry(answer(200, '  '), 1, true, context()), { action: 'done', body: {} });
  });

  it('a 429 with threshold= learns the interval and cools the endpoint for it, doubling on repeats', () => {
    const first = decideRetry(answer(429, 'API requests too frequent endpoint threshold=2.0'), 1, true, context({ consecutive429: 1 }));
    assert.deepEqual(first, { action: 'retry', waitMs: 2100, reason: 'threshold=2', lesson: { cooldownMs: 2100, reason: 'threshold=2', learnedIntervalMs: 2100 } });
    const third = decideRetry(answer(429, 'threshold=2.0'), 3, true, context({ consecutive429: 3 }));
    assert.equal(third.action === 'retry' && third.waitMs, 8400);
  });

  it('a 429 with Retry-After waits what it says, and still learns a threshold in the body', () => {
    const decision = decideRetry(answer(429, 'threshold=1.0', { 'Retry-After': '3' }), 1, false, context({ consecutive429: 1 }));
    assert.equal(decision.action, 'retry', 'a 429 was not processed: even a write is retried');
    assert.deepEqual(decision.action === 'retry' && decision.lesson, { cooldownMs: 3000, reason: 'Retry-After 3 s', learnedIntervalMs: 1050 });
  });

  it('a bare 429 backs off with jitter and leaves the interval to AIMD (no learned figure)', () => {
    const decision = decideRetry(answer(429, 'API requests too frequent'), 1, true, context({ consecutive429: 1, random: () => 0 }));
    assert.deepEqual(decision.action === 'retry' && decision.lesson, { cooldownMs: 1000, reason: 'backoff', learnedIntervalMs: undefined });
  });

  it('never waits less than the published penalty after a create 429', () => {
    const decision = decideRetry(answer(429, 'threshold=4.5'), 1, false, context({ endpoint: 'create', consecutive429: 1 }));
    assert.equal(decision.action === 'retry' && decision.waitMs, 12_000);
  });

  it('gives up on a 429 past the retry cap, or with a wait past the cap, saying when to resume', () => {
    const capped = decideRetry(answer(429, 'threshold=1.0'), 7, true, context({ consecutive429: 7 }));
    assert.equal(capped.action, 'fail');
    assert.match(capped.action === 'fail' ? capped.message : '', /gave up after 7 attempts/);
    const long = decideRetry(answer(429, '', { 'Retry-After': '3600' }), 1, true, context({ consecutive429: 1 }));
    assert.deepEqual(long.action === 'fail' && [long.kind, long.resumeAt], ['rate-limited', NOW + 3600_000]);
  });

  it('retries 5xx and resets for reads only; a write that may have happened is outcome-unknown', () => {
    assert.equal(decideRetry(answer(502, '<title>Bad Gateway</title>'), 1, true, context()).action, 'retry');
    const write = decideRetry(answer(502, '<title>Bad Gateway</title>'), 1, false, context({ endpoint: 'create' }));
    assert.deepEqual(write.action === 'fail' && write.kind, 'outcome-unknown');
    const reset: Exchange = { kind: 'network', message: 'the connection was reset', timedOut: false, reachedServer: true };
    assert.equal(decideRetry(reset, 1, true, context()).action, 'retry');
    assert.equal(decideRetry(reset, 1, false, context()).action, 'fail');
    const refused: Exchange = { kind: 'network', message: 'the connection was refused', timedOut: false, reachedServer: false };
    assert.equal(decideRetry(refused, 1, false, context()).action, 'retry', 'never sent, so safe to send');
    assert.equal(decideRetry(refused, 7, true, context()).action, 'fail', 'after the cap');
  });

  it('failFast: the first failure is thrown', () => {
    assert.equal(decideRetry(answer(503), 1, true, context({ failFast: true })).action, 'fail');
  });

  it('invalid JSON is retried for reads, unknown outcome for writes', () => {
    assert.equal(decideRetry(answer(200, '{"inst'), 1, true, context()).action, 'retry');
    const write = decideRetry(answer(200, '{"inst'), 1, false, context({ endpoint: 'create' }));
    assert.equal(write.action === 'fail' && write.kind, 'outcome-unknown');
  });

  describe('auth by body', () => {
    for (const status of [401, 403, 404, 410]) {
      it(`${status} auth_error "Invalid user key" is an auth error`, () => {
        const decision = decideRetry(answer(status, '{"success":false,"error":"auth_error","msg":"Invalid user key"}'), 1, true, context());
        assert.deepEqual(decision.action === 'fail' && [decision.kind, decision.code], ['auth', 'auth_error']);
        assert.match(decision.action === 'fail' ? decision.message : '', /rejected the API key \(Invalid user key\)/);
      });
    }

    it('invalid_token, unauthorized, and the bare text "Invalid user key" too', () => {
      for (const body of ['{"error":"invalid_token","msg":"token expired"}', '{"error":"unauthorized"}', 'Invalid user key']) {
        const decision = decideRetry(answer(404, body), 1, true, context());
        assert.equal(decision.action === 'fail' && decision.kind, 'auth', body);
      }
    });

    it('a plain 404 is still not-found; a 410 deprecated_endpoint says the endpoint was retired', () => {
      const missing = decideRetry(answer(404, '{"error":"no_such_instance","msg":"Instance not found"}'), 1, true, context());
      assert.equal(missing.action === 'fail' && missing.kind, 'not-found');
      const retired = decideRetry(answer(410, '{"success":false,"error":"deprecated_endpoint","msg":"use v1"}'), 1, true, context({ endpoint: 'instancesLegacy' }));
      assert.deepEqual(retired.action === 'fail' && [retired.kind, retired.code], ['endpoint-retired', 'deprecated_endpoint']);
      assert.match(retired.action === 'fail' ? retired.message : '', /retired the endpoint for list instances \(v0\)/);
      const gone = decideRetry(answer(410, '{"error":"no_such_ask"}'), 1, true, context());
      assert.equal(gone.action === 'fail' && gone.kind, 'not-found', 'an offer that is gone');
    });
  });
});
