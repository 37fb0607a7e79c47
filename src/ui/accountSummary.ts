import { isRunning } from '../monitor/instanceStatus';
import type { Instance, User } from '../vast/types';

/** "$48.20 credit · 3 running · $1.42/h": the small account line under the view title. */
export function summarizeAccount(user: User | undefined, instances: Iterable<Instance>): string {
  let running = 0;
  let perHour = 0;
  for (const instance of instances) {
    if (!isRunning(instance)) continue;
    running++;
    perHour += instance.dph_total || 0;
  }
  const parts: string[] = [];
  if (user && typeof user.credit === 'number') parts.push(`$${user.credit.toFixed(2)} credit`);
  parts.push(running === 0 ? 'none running' : `${running} running · $${perHour.toFixed(2)}/h`);
  return parts.join(' · ');
}
