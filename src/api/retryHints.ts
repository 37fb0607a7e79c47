/**
 * What a 429 says about when to come back: the Retry-After header (rare on Vast, but used by the
 * search quota) and the `threshold=N` Vast writes into the body (the endpoint's interval, in seconds).
 */

/**
 * The longest wait a server may ask for: anything beyond is clamped (a day is already "come back
 * tomorrow"). Server times are untrusted: `Retry-After: 99999999999999` is past what a Date can hold.
 */
export const MAX_SERVER_WAIT_MS = 24 * 3600_000;
/** The longest endpoint interval a `threshold=` may teach (Vast's are a few seconds). */
export const MAX_THRESHOLD_MS = 10 * 60_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form, and asctime.
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const RFC_850 = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const ASCTIME = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/** Parses an HTTP-date to epoch ms, or undefined when it is not one of the three forms. */
export function parseHttpDate(value: string, now: number): number | undefined {
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(+m[3], m[2], +m[1], +m[4], +m[5], +m[6]);
  m = RFC_850.exec(text);
  if (m) return utc(fullYear(+m[3], now), m[2], +m[1], +m[4], +m[5], +m[6]);
  m = ASCTIME.exec(text);
  if (m) return utc(+m[6], m[1], +m[2].trim(), +m[3], +m[4], +m[5]);
  return undefined;
}

/**
 * The delay a Retry-After header asks for, in ms (never negative), or undefined when absent or
 * unreadable. An HTTP-date is measured against the response's own Date header when there is one,
 * so a skewed local clock does not stretch or cut the wait.
 */
export function parseRetryAfter(header: string | null | undefined, now: number, dateHeader?: string | null): number | undefined {
  if (header == null) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return clampWait(Number(text) * 1000);
  const at = parseHttpDate(text, now);
  if (at === undefined) return undefined;
  const serverNow = dateHeader ? parseHttpDate(dateHeader, now) : undefined;
  return clampWait(at - (serverNow ?? now));
}

/** The endpoint interval in a 429 body (`... endpoint threshold=2.0`), in ms. */
export function parseThresholdMs(body: string): number | undefined {
  const m = /threshold\s*=\s*(\d*\.?\d+)/i.exec(body);
  if (!m) return undefined;
  const seconds = Number(m[1]);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(MAX_THRESHOLD_MS, Math.round(seconds * 1000)) : undefined;
}

/** A whole number of ms from 0 to MAX_SERVER_WAIT_MS (NaN and negatives are 0). */
export function clampWait(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(MAX_SERVER_WAIT_MS, Math.round(ms));
}

function utc(year: number, month: string, day: number, h: number, min: number, s: number): number | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return undefined;
  const at = Date.UTC(year, monthIndex, day, h, min, s);
  return Number.isFinite(at) ? at : undefined;
}

// RFC 9110: a two-digit year more than 50 years in the future is in the past century.
function fullYear(twoDigit: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + twoDigit;
  if (year > current + 50) year -= 100;
  return year;
}
