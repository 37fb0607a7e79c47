import { isRunning } from '../monitor/instanceStatus';
import type { Instance, User } from '../vast/types';

/**
 * "$4.91/h · $48.20 credit · ~10 h left": the line beside the view title, which never scrolls away.
 * The hourly figure is what the account pays now: running instances, plus the storage of stopped ones.
 */
export function summarizeAccount(user: User | undefined, instances: Iterable<Instance>): string {
  const perHour = burnPerHour(instances);
  const parts = [`$${perHour.toFixed(2)}/h`];
  if (user && typeof user.credit === 'number' && Number.isFinite(user.credit)) {
    parts.push(`$${user.credit.toFixed(2)} credit`);
    if (perHour > 0) parts.push(`~${formatRunway(user.credit / perHour)} left`);
  }
  return parts.join(' · ');
}

/** $/h the account pays now. */
export function burnPerHour(instances: Iterable<Instance>): number {
  let perHour = 0;
  for (const instance of instances) {
    if (isRunning(instance) || (instance.actual_status !== 'stopped' && instance.actual_status !== 'frozen' && instance.actual_status !== 'exited')) {
      perHour += finite(instance.dph_total);
    } else if (instance.actual_status === 'stopped' || instance.actual_status === 'frozen') {
      perHour += finite(instance.storage_total_cost);
    }
  }
  return perHour;
}

/** "10 h", "3 d", "40 min": how long credit lasts at this rate. */
export function formatRunway(hours: number): string {
  if (hours <= 0) return '0 h';
  if (hours < 1) return `${Math.max(1, Math.floor(hours * 60))} min`;
  if (hours < 72) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24)} d`;
}

function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
