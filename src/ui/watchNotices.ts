import { formatPrice } from './offerPresentation';
import type { FlowContext } from './flowContext';
import { destroyInstanceFlow, stopInstanceFlow } from './flows/instanceActions';
import { formatRunway } from './burnRate';
import type { IdleEvent, LowCreditEvent } from './instanceWatch';
import { VAST_BILLING_URL } from './lowCreditWatch';
import { idleText } from './rowBadges';
import { reportError } from './reportError';
import type { Instance } from '../vast/types';

export const STOP = 'Stop';
export const DESTROY = 'Destroy';
export const KEEP = 'Keep';
export const ADD_CREDIT = 'Add Credit';
export const SHOW_INSTANCES = 'Show Instances';
export const DESTROY_AGAIN = 'Destroy Again';

/** Whatever names an instance in a sentence: its label, else its id. */
function nameOf(instance: Pick<Instance, 'id' | 'label'>): string {
  return instance.label?.trim() || `Instance ${instance.id}`;
}

/**
 * "train-llama-3 has been idle 45 min at $0.82/h": once per idle stretch. Stop and Destroy go
 * through their usual confirmations; Keep means never ask again about this instance.
 */
export async function idleNotice(ctx: FlowContext, event: IdleEvent): Promise<string | undefined> {
  const { instance } = event;
  const action = await ctx.prompter.notify(
    'warning',
    `${nameOf(instance)} has been idle ${idleText(event.idleMs)} at ${formatPrice(instance.dph_total)}.`,
    STOP,
    DESTROY,
    KEEP,
  );
  if (action === STOP) await stopInstanceFlow(ctx, instance);
  else if (action === DESTROY) await destroyInstanceFlow(ctx, instance);
  else if (action === KEEP) {
    try {
      await ctx.memory.keepIdle?.(instance.id);
      ctx.log(`Idle GPU: keeping ${nameOf(instance)}; not asking again about it.`);
    } catch (error) {
      await reportError(ctx, error, 'Remember the choice');
    }
  }
  return action;
}

/** "Vast.ai credit is low: $19.64, ~4 h left at $4.91/h." Once per crossing of `vastai.lowCreditHours`. */
export async function lowCreditNotice(ctx: FlowContext, event: LowCreditEvent): Promise<string | undefined> {
  const action = await ctx.prompter.notify(
    'warning',
    `Vast.ai credit is low: $${event.credit.toFixed(2)}, ${formatRunway(event.runwayHours, event.perHour)}. ` +
      'When it runs out, Vast.ai stops the instances.',
    ADD_CREDIT,
    SHOW_INSTANCES,
  );
  if (action === ADD_CREDIT) await ctx.workbench.openExternal(VAST_BILLING_URL);
  if (action === SHOW_INSTANCES) await ctx.workbench.revealInstances?.();
  return action;
}

/** The destroy answered success, yet Vast still lists the instance: it may still be billing. */
export async function destroyPendingNotice(ctx: FlowContext, instance: Instance): Promise<string | undefined> {
  const action = await ctx.prompter.notify(
    'warning',
    `${nameOf(instance)} was destroyed, but Vast.ai still lists it (${instance.actual_status ?? 'provisioning'}) several polls later: it may still be billing at ${formatPrice(instance.dph_total)}.`,
    DESTROY_AGAIN,
    SHOW_INSTANCES,
  );
  if (action === DESTROY_AGAIN) await destroyInstanceFlow(ctx, instance);
  if (action === SHOW_INSTANCES) await ctx.workbench.revealInstances?.();
  return action;
}
