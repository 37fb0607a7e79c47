import type { InstanceRecord } from './record';

const HOUR_MS = 3_600_000;

/**
 * Dollars an instance has cost up to `until`: storage from creation, GPU time only while running
 * or frozen (loading is not billed, per Vast's docs).
 */
export function costUntil(record: InstanceRecord, until: number): number {
  let gpuMs = 0;
  record.timeline.forEach((event, i) => {
    if (event.at >= until || (event.status !== 'running' && event.status !== 'frozen')) return;
    const end = Math.min(record.timeline[i + 1]?.at ?? until, until);
    gpuMs += Math.max(0, end - event.at);
  });
  const storageMs = Math.max(0, until - record.createdAt);
  return (gpuMs * record.gpuPerHour + storageMs * record.storagePerHour) / HOUR_MS;
}
