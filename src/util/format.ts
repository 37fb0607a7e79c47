/** "45 s", "3 min 20 s", "3 h 12 min": how long, for messages and tooltips. */
export function formatDuration(ms: number): string {
  if (Number.isNaN(ms)) return 'an unknown time';
  if (ms > 100 * 24 * 3600_000) return 'over 100 days';
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** "14:32:05 UTC" on the same day, else "2026-01-02 14:32 UTC": when something happens, unambiguously. */
export function formatUtcTime(at: number, now: number): string {
  // Times can come from a server; a Date past ±8.64e15 ms has no ISO form (toISOString throws).
  if (!isValidTime(at)) return 'an unknown time';
  const iso = new Date(at).toISOString();
  const sameDay = isValidTime(now) && iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? `${iso.slice(11, 19)} UTC` : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Whether `ms` is an epoch time a Date can represent. */
export function isValidTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}
