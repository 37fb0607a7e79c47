import { describeOfferQuery, type OfferQuery } from '../../api/offerQuery';
import type { SearchResult } from '../../api/searchCache';
import { provisionInstances, waitForAll, type ProvisionReport, type SlotReport } from '../../monitor/provisioner';
import { errorMessage } from '../../util/errorMessage';
import type { FlowContext } from '../flowContext';
import { formatPrice } from '../offerPresentation';
import type { NoticeKind } from '../prompter';
import { reportError } from '../reportError';
import { CANCELLED, inputStep, runWithProgress, simulatedNote, type Cancelled } from './common';
import { billingSentence, diskStep, imageStep, labelStep, type InstanceSettings } from './createInstance';
import { defaultFilters, filtersQuery, offerFilterSteps, type OfferFilters } from './offerFilters';
import { filterLoop, loosenAdvice, nothingMatched, searchFailed } from './offerPicker';

export const CREATE_MULTIPLE_TITLE = 'Create Multiple Instances';
export const MIN_COUNT = 2;
export const MAX_COUNT = 20;
export const WAIT_FOR_ALL = 'Wait Until Running';
export const DESTROY_EXTRA = 'Destroy Extra';

export function validateCount(text: string): string | undefined {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n < MIN_COUNT || n > MAX_COUNT) return `Enter a whole number from ${MIN_COUNT} to ${MAX_COUNT}.`;
  return undefined;
}

/**
 * Create Multiple Instances: count (1/10), the six search filters (2-7), image (8), disk (9),
 * label base (10); a search for the matching offers; a modal confirmation with the worst-case
 * total $/h; then `provisionInstances` (creates spaced by Vast's create limit, lost answers
 * reconciled by label, never a duplicate) with each step as a progress line; a summary; and, on
 * request, a wait until all run. Resolves with the provisioning report, or undefined when
 * nothing was attempted.
 */
export async function createMultipleFlow(ctx: FlowContext): Promise<ProvisionReport | undefined> {
  let count = MIN_COUNT;
  const filters: OfferFilters = defaultFilters();
  const settings: InstanceSettings = { diskGb: ctx.settings.defaultDiskGb, label: '', onstart: '' };
  const steps = [
    inputStep(
      ctx,
      () => ({ prompt: `How many instances? (${MIN_COUNT}-${MAX_COUNT}; each one is billed)`, value: String(count), validate: validateCount }),
      (text) => {
        count = Number(text.trim());
      },
    ),
    ...offerFilterSteps(ctx, filters),
    imageStep(ctx, settings),
    diskStep(ctx, settings),
    labelStep(ctx, settings, {
      prompt: 'Label base (optional): each instance is labelled "<base>-xxxxx" so a lost answer can be found again',
      maxLength: 200,
      placeholder: 'vast',
    }),
  ];
  const found = await filterLoop<{ query: OfferQuery; perInstance: number; matching: SearchResult }>(
    CREATE_MULTIPLE_TITLE,
    steps,
    { filtersAt: 1 },
    async () => {
      // The provisioner's own query (limit 3 × count): its first search is then answered from the cache.
      const query = { ...filtersQuery(filters, settings.diskGb), limit: count * 3 };
      let result: SearchResult | Cancelled;
      try {
        result = await runWithProgress(ctx, `Looking for offers: ${describeOfferQuery(query)}`, (_progress, signal) => ctx.client.searchOffers(query, { signal }));
      } catch (error) {
        return searchFailed(ctx, error);
      }
      if (result === CANCELLED) return { done: undefined };
      if (result.offers.length === 0) return nothingMatched(ctx, loosenAdvice(describeOfferQuery(query)));
      // Worst case per instance: the max price asked for; without one, the dearest offer the
      // provisioner may rent, which then becomes the limit, so the confirmed total holds.
      const perInstance = query.maxDph ?? Math.ceil(Math.max(...result.offers.map((o) => o.dph_total)) * 100) / 100;
      return { done: { query, perInstance, matching: result } };
    },
  );
  if (!found) return undefined;
  let { query } = found;
  const { perInstance, matching } = found;
  const fixedLimit = query.maxDph === undefined;
  if (fixedLimit) query = { ...query, maxDph: perInstance };
  const total = perInstance * count;
  const cheapest = Math.min(...matching.offers.map((o) => o.dph_total));
  const fewer = matching.offers.length < count ? `\nOnly ${matching.offers.length} matching offers right now: fewer instances may be created.` : '';
  const base = settings.label || 'vast';
  const confirmed = await ctx.prompter.confirm(`Create ${count} instances for up to ${formatPrice(total)} in total?`, {
    detail:
      `Up to ${formatPrice(perInstance)} each${fixedLimit ? ' (the dearest matching offer, now the limit)' : ' (your max price)'}; ` +
      `the cheapest matching offer is ${formatPrice(cheapest)}. ${describeOfferQuery(query)}.\n` +
      `Image ${settings.image}, ${settings.diskGb} GB disk, labels "${base}-xxxxx".${fewer}\n` +
      billingSentence(ctx, true),
    confirm: `Create ${count} Instances`,
  });
  if (!confirmed) return undefined;

  let report: ProvisionReport | Cancelled;
  try {
    report = await runWithProgress(ctx, `Creating ${count} instances${simulatedNote(ctx)}`, (progress, signal) =>
      provisionInstances(
        { client: ctx.client, monitor: ctx.monitor, clock: ctx.clock },
        {
          count,
          offers: { query },
          instance: { image: settings.image!, diskGb: settings.diskGb, label: base },
          signal,
          onProgress: (event) => {
            ctx.log(`Create multiple: ${event.slot}/${count} ${event.phase}: ${event.message}`);
            progress.report(`${event.slot}/${count}: ${event.message}`);
          },
        },
      ),
    );
  } catch (error) {
    ctx.monitor.expectChange();
    await reportError(ctx, error, `Create ${count} instances`);
    return undefined;
  }
  ctx.monitor.expectChange();
  if (report === CANCELLED) {
    await ctx.prompter.notify('warning', 'Creating the instances was cancelled. Any instance created before that keeps running (and billing): check the instance list.');
    return undefined;
  }
  try {
    await ctx.memory.rememberImage(settings.image!);
  } catch (error) {
    ctx.log(`Could not remember the image ${settings.image}: ${errorMessage(error)}`);
  }
  const { kind, message } = summarize(report, count);
  ctx.log(`Create multiple: ${message}`);
  const action = await ctx.prompter.notify(kind, message, ...(report.created > 0 ? [WAIT_FOR_ALL] : []));
  await offerToDestroyDuplicates(ctx, report);
  if (action === WAIT_FOR_ALL) await waitForCreated(ctx, report.slots.filter((slot) => slot.instanceId !== undefined));
  return report;
}

/**
 * A create whose answer was lost can commit after it was given up and sent again: two instances
 * with one label, both billed. For each, offer to destroy the extra one (not the one the report
 * names), each after a modal confirmation. Nothing is destroyed without the person asking.
 */
export async function offerToDestroyDuplicates(ctx: FlowContext, report: ProvisionReport): Promise<number[]> {
  const destroyed: number[] = [];
  for (const duplicate of report.duplicates) {
    const kept = report.slots.find((slot) => slot.label === duplicate.label)?.instanceId ?? Math.min(...duplicate.instanceIds);
    const extras = duplicate.instanceIds.filter((id) => id !== kept);
    if (extras.length === 0) continue;
    const which = extras.length === 1 ? `instance ${extras[0]}` : `instances ${extras.join(', ')}`;
    const action = await ctx.prompter.notify(
      'warning',
      `${duplicate.label} was created ${duplicate.instanceIds.length} times (a create whose answer was lost committed late): ${duplicate.instanceIds.join(', ')}. Keep ${kept} and destroy ${which}?`,
      DESTROY_EXTRA,
    );
    if (action !== DESTROY_EXTRA) continue;
    const sure = await ctx.prompter.confirm(`Destroy ${which} (the extra ${duplicate.label})?`, {
      detail: `Its disk and all data on it are deleted, and this cannot be undone. Instance ${kept} is kept.${simulatedNote(ctx, '\n')}`,
      confirm: 'Destroy',
    });
    if (!sure) continue;
    for (const id of extras) {
      try {
        const done = await runWithProgress(ctx, `Destroying the extra instance ${id}`, (_progress, signal) => ctx.client.destroyInstance(id, signal));
        if (done === CANCELLED) break;
        destroyed.push(id);
        ctx.log(`Create multiple: destroyed the duplicate ${id} of ${duplicate.label}`);
      } catch (error) {
        await reportError(ctx, error, `Destroy the extra instance ${id}`);
      }
    }
    ctx.monitor.expectChange();
  }
  if (destroyed.length) await ctx.prompter.notify('info', `Destroyed the extra instance${destroyed.length === 1 ? '' : 's'} ${destroyed.join(', ')}.`);
  return destroyed;
}

/** One notification: created (with ids), failed (with reasons), reconciled, duplicates. */
export function summarize(report: ProvisionReport, count: number): { kind: NoticeKind; message: string } {
  const created = report.slots.filter((slot) => slot.instanceId !== undefined);
  const failed = report.slots.filter((slot) => slot.instanceId === undefined);
  const parts = [`Created ${created.length} of ${count} instances${created.length ? `: ${created.map((s) => `${s.label} (${s.instanceId})`).join(', ')}` : ''}.`];
  if (failed.length) {
    const reasons = new Map<string, string[]>();
    for (const slot of failed) reasons.set(slot.error ?? 'unknown error', [...(reasons.get(slot.error ?? 'unknown error') ?? []), slot.label]);
    parts.push(`${failed.length} failed: ${[...reasons].map(([reason, labels]) => `${labels.join(', ')}: ${reason}`).join('; ')}`);
  }
  const reconciled = created.filter((slot) => slot.reconciled);
  if (reconciled.length) parts.push(`${reconciled.length} lost answer${reconciled.length === 1 ? ' was' : 's were'} found by label (not created twice).`);
  if (report.duplicates.length) {
    parts.push(
      `Duplicates found (destroy the extra ones): ${report.duplicates.map((d) => `${d.label}: ${d.instanceIds.join(', ')}`).join('; ')}.`,
    );
  }
  const kind: NoticeKind = created.length === 0 ? 'error' : failed.length || report.duplicates.length ? 'warning' : 'info';
  return { kind, message: parts.join(' ') };
}

/** Waits for every created instance (one shared poll), reporting each as it runs or fails. */
async function waitForCreated(ctx: FlowContext, slots: SlotReport[]): Promise<void> {
  const waited = await runWithProgress(ctx, `Waiting for ${slots.length} instances to run`, async (progress, signal) => {
    await waitForAll(ctx.monitor, slots, {
      signal,
      onStatus: (slot, status) => progress.report(`${slot.label}: ${status}`),
      onProgress: (slot, phase) => phase === 'running' && progress.report(`${slot.label}: running`),
    });
    if (signal.aborted) throw signal.reason;
  });
  if (waited === CANCELLED) return;
  const failed = slots.filter((slot) => slot.waitError !== undefined);
  if (failed.length === 0) {
    await ctx.prompter.notify('info', `All ${slots.length} instances are running.`);
    return;
  }
  for (const slot of failed) ctx.log(`Wait for ${slot.label} (${slot.instanceId}): ${slot.waitError}`);
  await ctx.prompter.notify(
    'warning',
    `${slots.length - failed.length} of ${slots.length} instances are running. ${failed.map((slot) => `${slot.label}: ${slot.waitError}`).join(' ')}`,
  );
}
