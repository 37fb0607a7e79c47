import type { AutoStopPlan } from '../autoStop/autoStopScript';
import { describeAutoStop } from '../autoStop/autoStopChoice';
import { burnRate, currentCredit, formatRunway, runwayHours } from '../burnRate';
import type { FlowContext } from '../flowContext';
import { formatPrice } from '../offerPresentation';

/** What the create confirmations say besides the offer: rental kind, auto-stop, runway. */

/** A bid price makes an instance interruptible; without one Vast rents it on-demand. */
export function rentalKindSentence(bidPrice: number | undefined, price: number): string {
  return bidPrice === undefined
    ? `On-demand (no bid price): ${formatPrice(price)}, and Vast.ai does not interrupt it.`
    : `Interruptible (bid ${formatPrice(bidPrice)}): Vast.ai stops it whenever someone bids more; it is not destroyed.`;
}

export function autoStopSentence(plan: AutoStopPlan): string {
  return (
    `Auto-stop: it ${describeAutoStop(plan)}. A watchdog in its on-start script enforces this on the instance, ` +
    'with the instance’s own key (never yours), so it works with VS Code closed. If the image lacks nvidia-smi or curl, ' +
    'the watchdog says so in the instance log and the tree shows "auto-stop: not armed".'
  );
}

/**
 * "Once it runs: $48.20 credit, ~9 h left at $5.33/h." From the latest poll and account read
 * (no request); empty when the credit is not known yet.
 */
export function runwaySentence(ctx: FlowContext, addedPerHour: number): string {
  const spending = ctx.watch?.spending(addedPerHour);
  const instances = [...ctx.monitor.snapshot.instances.values()];
  const credit = spending?.credit ?? currentCredit(instances, undefined);
  if (credit === undefined) return '';
  const perHour = spending?.burn.perHour ?? burnRate(instances).perHour + addedPerHour;
  return `Once it runs: $${credit.toFixed(2)} credit, ${formatRunway(runwayHours(credit, perHour), perHour)} for everything on the account.\n`;
}
