import assert from 'node:assert/strict';
import { parseHttpDate, parseRetryAfter, parseThresholdMs } from '../../../src/api/retryHints';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('retry hints', () => {
  describe('Retry-After', () => {
    it('reads delta-seconds', () => {
      assert.equal(parseRetryAfter('120', NOW), 120_000);
      assert.equal(parseRetryAfter(' 0 ', NOW), 0);
      assert.equal(parseRetryAfter('1.5', NOW), 1500);
    });

    it('reads all three HTTP-date forms', () => {
      const at = Date.UTC(2026, 10, 28, 12, 0, 30);
      assert.equal(parseHttpDate('Sat, 28 Nov 2026 12:00:30 GMT', NOW), at);
      assert.equal(parseHttpDate('Saturday, 28-Nov-26 12:00:30 GMT', NOW), at);
      assert.equal(parseHttpDate('Sat Nov 28 12:00:30 2026', NOW), at);
      assert.equal(parseHttpDate('Sat Nov  8 12:00:30 2026', NOW), Date.UTC(2026, 10, 8, 12, 0, 30));
      assert.equal(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', NOW), 30_000);
    });

    it('measures an HTTP-date against the server Date header, so local clock skew does not matter', () => {
      const skewedNow = NOW + 3600_000; // our clock is an hour fast
      assert.equal(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', skewedNow, 'Sat, 28 Nov 2026 12:00:00 GMT'), 30_000);
    });

    it('never returns a negative wait and ignores what it cannot read', () => {
      assert.equal(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', NOW), 0);
      assert.equal(parseRetryAfter(undefined, NOW), undefined);
      assert.equal(parseRetryAfter('soon', NOW), undefined);
      assert.equal(parseRetryAfter('-5', NOW), undefined);
      assert.equal(parseHttpDate('Sat, 28 Foo 2026 12:00:30 GMT', NOW), undefined);
    });

    it('puts a two-digit RFC 850 year in the right century', () => {
      assert.equal(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)!).getUTCFullYear(), 1994);
      assert.equal(new Date(parseHttpDate('Monday, 06-Nov-34 08:49:37 GMT', NOW)!).getUTCFullYear(), 2034);
    });
  });

  describe('threshold=', () => {
    it('reads Vast plain-text and JSON bodies', () => {
      assert.equal(parseThresholdMs('API requests too frequent endpoint threshold=2.0'), 2000);
      assert.equal(parseThresholdMs('{"detail":"API requests too frequent endpoint threshold=1.0"}'), 1000);
      assert.equal(parseThresholdMs('{"success":false,"error":"rate_limit_exceeded","msg":"... threshold=4.5"}'), 4500);
      assert.equal(parseThresholdMs('API requests too frequent: endpoint threshold = .5'), 500);
    });

    it('returns undefined without a usable figure', () => {
      assert.equal(parseThresholdMs('API requests too frequent'), undefined);
      assert.equal(parseThresholdMs('threshold=0'), undefined);
    });
  });
});
