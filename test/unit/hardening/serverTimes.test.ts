import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { MAX_SERVER_WAIT_MS, parseHttpDate, parseRetryAfter, parseThresholdMs } from '../../../src/api/retryHints';
import { formatDuration, formatUtcTime } from '../../../src/util/format';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

// Finding 4: a time from a server is clamped before anything formats it.
describe('hardening: server times are validated and clamped', () => {
  const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

  it('clamps an absurd Retry-After (seconds or date) to a day', () => {
    assert.equal(parseRetryAfter('99999999999999', NOW), MAX_SERVER_WAIT_MS);
    assert.equal(parseRetryAfter('1e400', NOW), undefined);
    assert.equal(parseRetryAfter('Sat, 28 Nov 275760 12:00:30 GMT', NOW), undefined, 'not an HTTP-date (5-digit year)');
    assert.equal(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW), MAX_SERVER_WAIT_MS);
    assert.equal(parseHttpDate('Sat, 99 Nov 2026 12:00:30 GMT', NOW), undefined);
  });

  it('clamps an absurd threshold= to ten minutes', () => {
    assert.equal(parseThresholdMs('threshold=99999999999999'), 10 * 60_000);
  });

  it('formats times no Date can hold without throwing', () => {
    assert.equal(formatUtcTime(99999999999999 * 1000, NOW), 'an unknown time');
    assert.equal(formatUtcTime(NaN, NOW), 'an unknown time');
    assert.equal(formatDuration(Infinity), 'over 100 days');
    assert.equal(formatDuration(NaN), 'an unknown time');
  });

  describe('over real HTTP', () => {
    let h: ClientHarness;
    afterEach(async () => h?.close());

    it('Retry-After: 99999999999999 gives a clear rate-limit error, and the next call is not a RangeError', async () => {
      h = await startClientHarness({ simulator: { instances: 1 } });
      h.sim.faults.add({
        kind: 'respond',
        endpoint: 'user',
        response: { status: 429, headers: { 'Retry-After': '99999999999999' }, body: { success: false, msg: 'slow down' } },
      });
      await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => isVastApiError(e, 'rate-limited') && /try again in 24 h/.test(e.message));
      // The cooldown is set (a day), and reporting it must work too.
      await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => isVastApiError(e, 'rate-limited') && /at \d{4}-\d\d-\d\d \d\d:\d\d UTC/.test(e.message));
      assert.equal(h.sim.log.count({ endpoint: 'user' }), 1, 'the second call was held back, not sent');
    });
  });
});
