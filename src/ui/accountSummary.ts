import { isRunning } from '../monitor/instanceStatus';
import type { Instance, User } from '../vast/types';
import { burnRate, currentCredit, formatRunway, runwayHours } from './burnRate';

/**
 * "$4.91/h · $48.20 credit · ~10 h left": the account line above the list, which never scrolls away.
 * $/h is what is billed now (GPU of running instances plus the storage of every instance, stopped
 * ones included); the credit is the poll's `credit_balance`, else the last account read. No request.
 */
export function summarizeAccount(user: User | undefined, instances: Iterable<Instance>): string {
  const list = [...instances];
  const burn = burnRate(list);
  const credit = currentCredit(list, user);
  const parts = [`$${burn.perHour.toFixed(2)}/h`];
  if (credit !== undefined) {
    parts.push(`$${credit.toFixed(2)} credit`);
    if (burn.perHour > 0) parts.push(timeLeft(runwayHours(credit, burn.perHour)));
  }
  return parts.join(' · ');
}

/** "~10 h left", "~3 days left", "credit used up". */
function timeLeft(hours: number): string {
  if (hours <= 0) return 'credit used up';
  if (hours < 1) return `~${Math.max(1, Math.round(hours * 60))} min left`;
  if (hours < 48) return `~${Math.round(hours)} h left`;
  return `~${Math.round(hours / 24)} days left`;
}

/**
 * The account row of the tree: what matters against overspending first, so it survives a 220 px
 * sidebar. Label "$48.20 · ~40 h left at $1.21/h", description "2 running".
 */
export function accountRow(user: User | undefined, instances: Iterable<Instance>): { label: string; description: string } {
  const list = [...instances];
  const running = list.filter(isRunning).length;
  const burn = burnRate(list);
  const credit = currentCredit(list, user);
  const what = running === 0 ? 'none running' : `${running} running`;
  if (credit === undefined) return { label: burn.perHour > 0 ? `$${burn.perHour.toFixed(2)}/h` : what, description: burn.perHour > 0 ? what : '' };
  if (!(burn.perHour > 0)) return { label: `$${credit.toFixed(2)} credit`, description: what };
  return { label: `$${credit.toFixed(2)} · ${formatRunway(runwayHours(credit, burn.perHour), burn.perHour)}`, description: what };
}
