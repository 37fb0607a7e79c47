import { describeOfferQuery } from '../../api/offerQuery';
import type { Offer } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { offerItem, resultsTitle, sourceMarker } from '../offerPresentation';
import { BACK } from '../prompter';
import { reportError } from '../reportError';
import { CANCELLED, runSteps, runWithProgress } from './common';
import { createInstanceFlow } from './createInstance';
import { defaultFilters, filtersQuery, offerFilterSteps, type OfferFilters } from './offerFilters';

export const SEARCH_TITLE = 'Search Offers';
export const CHANGE_FILTERS = 'Change Filters';

/**
 * Search Offers: GPU model, max $/h, GPU count, reliability, region and sort (steps 1-6), then
 * the offers (step 7, Back returns to the filters). Picking one continues into Create Instance.
 * Resolves with the new instance's id, or undefined when cancelled or nothing was created.
 */
export async function searchOffersFlow(ctx: FlowContext): Promise<number | undefined> {
  const offer = await pickOffer(ctx);
  if (!offer) return undefined;
  return createInstanceFlow(ctx, offer);
}

/**
 * The filter steps, the search (under a cancellable progress notification) and the pick of an
 * offer. Resolves with the offer, or undefined when cancelled or the search failed (reported).
 */
export async function pickOffer(ctx: FlowContext, filters: OfferFilters = defaultFilters()): Promise<Offer | undefined> {
  const steps = offerFilterSteps(ctx, filters);
  const totalSteps = steps.length + 1;
  let startAt = 0;
  for (;;) {
    const done = await runSteps(SEARCH_TITLE, steps, { startAt, totalSteps });
    if (done !== 'done') return undefined;
    const query = filtersQuery(filters, ctx.settings.defaultDiskGb);
    const described = describeOfferQuery(query);
    let result;
    try {
      result = await runWithProgress(ctx, `Searching offers: ${described}`, (_progress, signal) => ctx.client.searchOffers(query, { signal }));
    } catch (error) {
      if ((await reportError(ctx, error, 'Search offers', CHANGE_FILTERS)) === CHANGE_FILTERS) {
        startAt = 0;
        continue;
      }
      return undefined;
    }
    if (result === CANCELLED) return undefined;
    if (result.source !== 'network') ctx.log(`Search offers: ${described}: ${resultsTitle(result)}`);
    if (result.offers.length === 0) {
      const action = await ctx.prompter.notify(
        'info',
        `No offers match ${described}${sourceMarker(result)}. Loosen the filters: a higher price limit, fewer GPUs, a lower reliability or any region.`,
        CHANGE_FILTERS,
      );
      if (action === CHANGE_FILTERS) {
        startAt = 0;
        continue;
      }
      return undefined;
    }
    const picked = await ctx.prompter.pick(result.offers.map(offerItem), {
      title: resultsTitle(result),
      step: totalSteps,
      totalSteps,
      placeholder: `${described}: pick an offer to rent`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === BACK) {
      startAt = steps.length - 1;
      continue;
    }
    return picked?.offer;
  }
}
