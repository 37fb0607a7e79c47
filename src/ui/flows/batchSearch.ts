import type { BatchSearchOutcome } from '../../api/vastClient';
import type { OfferQuery } from '../../api/offerQuery';
import type { Offer } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { offerItem, resultsTitle, type OfferItem } from '../offerPresentation';
import { BACK, type PickItem } from '../prompter';
import { reportError } from '../reportError';
import { CANCELLED, runWithProgress, type Step } from './common';
import { createInstanceFlow } from './createInstance';
import { defaultFilters, filtersQuery, gpuCountStep, gpuItems, maxPriceStep, type GpuItem, type OfferFilters } from './offerFilters';
import { AGAIN_FROM_LAST_STEP, filterLoop, nothingMatched } from './offerPicker';

export const BATCH_TITLE = 'Batch Search';
/** Offers shown per GPU model: the best ones by price. */
export const BATCH_OFFERS_PER_MODEL = 15;

type BatchItem = OfferItem | (PickItem & { offer?: undefined });

/**
 * Batch Search: several GPU models (step 1), max $/h (2), GPU count (3), then one search per
 * model through `client.batchSearch` (spaced by the search gate, sharing the cache) and one pick
 * grouped by model (4; a failed model shows one line with its error). Picking an offer continues
 * into Create Instance. Resolves with the new instance's id, or undefined.
 */
export async function batchSearchFlow(ctx: FlowContext): Promise<number | undefined> {
  const filters: OfferFilters = { ...defaultFilters(), order: 'price' };
  let models: string[] = [];
  const modelsStep: Step = async (at) => {
    let placeholder = 'GPU models to compare (pick several)';
    for (;;) {
      const items = gpuItems()
        .filter((item): item is GpuItem & { gpuName: string } => item.gpuName !== undefined)
        .map((item) => ({ ...item, picked: models.includes(item.gpuName) }));
      const picked = await ctx.prompter.pickMany(items, { ...at, placeholder });
      if (picked === undefined || picked === BACK) return picked;
      if (picked.length > 0) {
        models = picked.map((item) => item.gpuName);
        return 'next';
      }
      placeholder = 'Pick at least one GPU model (Space selects)';
    }
  };
  const steps = [modelsStep, maxPriceStep(ctx, filters), gpuCountStep(ctx, filters)];
  const totalSteps = steps.length + 1;
  const offer = await filterLoop<Offer>(BATCH_TITLE, steps, { totalSteps }, async () => {
    const queries: Record<string, OfferQuery> = {};
    for (const model of models) queries[model] = { ...filtersQuery({ ...filters, gpuName: model }, ctx.settings.defaultDiskGb), limit: BATCH_OFFERS_PER_MODEL };
    let outcomes: Record<string, BatchSearchOutcome> | typeof CANCELLED;
    try {
      outcomes = await runWithProgress(ctx, `Searching ${models.length} GPU model${models.length === 1 ? '' : 's'}`, (progress, signal) => {
        if (models.length > 1) progress.report("one search at a time, as Vast's rate limit allows");
        return ctx.client.batchSearch(queries, { signal });
      });
    } catch (error) {
      await reportError(ctx, error, 'Batch search');
      return { done: undefined };
    }
    if (outcomes === CANCELLED) return { done: undefined };

    const items: BatchItem[] = [];
    let offers = 0;
    for (const model of models) {
      const outcome = outcomes[model];
      if (outcome.error) {
        ctx.log(`Batch search: ${model} failed [${outcome.error.kind}]: ${outcome.error.message}`);
        items.push({ label: `${model}: failed: ${outcome.error.message}`, separator: true });
        continue;
      }
      const result = outcome.result;
      items.push({ label: `${model}: ${result.offers.length === 0 ? 'no offers' : resultsTitle(result)}`, separator: true });
      items.push(...result.offers.map(offerItem));
      offers += result.offers.length;
    }
    if (offers === 0) {
      const answered = outcomes;
      const failed = models.filter((m) => answered[m].error);
      const allFailed = failed.length === models.length;
      const message = allFailed
        ? `Every search failed: ${failed.map((m) => `${m}: ${answered[m].error!.message}`).join(' ')}`
        : `No offers match these filters for ${models.join(', ')}. Loosen them: a higher price limit or another GPU count.`;
      return nothingMatched(ctx, message, allFailed ? 'error' : 'info');
    }
    const picked = await ctx.prompter.pick(items, {
      title: `${offers} offer${offers === 1 ? '' : 's'} for ${models.length} GPU model${models.length === 1 ? '' : 's'}`,
      step: totalSteps,
      totalSteps,
      placeholder: 'Pick an offer to rent',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === BACK) return AGAIN_FROM_LAST_STEP;
    return { done: picked?.offer };
  });
  if (!offer) return undefined;
  return createInstanceFlow(ctx, offer);
}
