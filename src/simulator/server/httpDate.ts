/** IMF-fixdate ("Thu, 01 Jan 2026 12:00:00 GMT") for the given clock time: Date and Retry-After headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
