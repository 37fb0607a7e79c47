import { describeOfferQuery } from '../../api/offerQuery';
import type { Offer } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import { offerItem, resultsTitle, sourceMarker } from '../offerPresentation';
import { BACK, type NoticeKind } from '../prompter';
import { reportError } from '../reportError';
import { CANCELLED, runSteps, runWithProgress, type Step } from './common';
import { defaultFilters, filtersQuery, offerFilterSteps, type OfferFilters } from './offerFilters';

export const SEARCH_TITLE = 'Search Offers';
export const CHANGE_FILTERS = 'Change Filters';

/** What one round after the steps decided: a result, or to go round again from the filters or the last step. */
export type Round<T> = { done: T | undefined } | { again: 'filters' | 'last-step' };
export const AGAIN_FROM_FILTERS: Round<never> = { again: 'filters' };
export const AGAIN_FROM_LAST_STEP: Round<never> = { again: 'last-step' };

/**
 * The "change filters" loop the search flows share: run `steps`, then `round` (search, show,
 * pick); the round may send the person back to the first filter step (`filtersAt`) or to the
 * last step (Back from the results). Resolves with the round's result, or undefined when cancelled.
 */
export async function filterLoop<T>(
  title: string,
  steps: readonly Step[],
  options: { totalSteps?: number; filtersAt?: number },
  round: () => Promise<Round<T>>,
): Promise<T | undefined> {
  let startAt = 0;
  for (;;) {
    if ((await runSteps(title, steps, { startAt, totalSteps: options.totalSteps })) !== 'done') return undefined;
    const outcome = await round();
    if ('done' in outcome) return outcome.done;
    startAt = outcome.again === 'filters' ? (options.filtersAt ?? 0) : steps.length - 1;
  }
}

/** Reports a failed search offering "Change Filters": the round to go next. */
export async function searchFailed<T>(ctx: FlowContext, error: unknown, what = 'Search offers'): Promise<Round<T>> {
  return (await reportError(ctx, error, what, CHANGE_FILTERS)) === CHANGE_FILTERS ? AGAIN_FROM_FILTERS : { done: undefined };
}

/** Tells the person nothing matched, offering "Change Filters": the round to go next. */
export async function nothingMatched<T>(ctx: FlowContext, message: string, kind: NoticeKind = 'info'): Promise<Round<T>> {
  return (await ctx.prompter.notify(kind, message, CHANGE_FILTERS)) === CHANGE_FILTERS ? AGAIN_FROM_FILTERS : { done: undefined };
}

/** "Loosen the filters: ..." after "No offers match <query>". */
export function loosenAdvice(described: string, marker = ''): string {
  return `No offers match ${described}${marker}. Loosen the filters: a higher price limit, fewer GPUs, a lower reliability or any region.`;
}

/**
 * The filter steps, the search (under a cancellable progress notification) and the pick of an
 * offer. Resolves with the offer, or undefined when cancelled or the search failed (reported).
 */
export async function pickOffer(ctx: FlowContext, filters: OfferFilters = defaultFilters()): Promise<Offer | undefined> {
  const steps = offerFilterSteps(ctx, filters);
  const totalSteps = steps.length + 1;
  return filterLoop<Offer>(SEARCH_TITLE, steps, { totalSteps }, async () => {
    const query = filtersQuery(filters, ctx.settings.defaultDiskGb);
    const described = describeOfferQuery(query);
    let result;
    try {
      result = await runWithProgress(ctx, `Searching offers: ${described}`, (_progress, signal) => ctx.client.searchOffers(query, { signal }));
    } catch (error) {
      return searchFailed(ctx, error);
    }
    if (result === CANCELLED) return { done: undefined };
    if (result.source !== 'network') ctx.log(`Search offers: ${described}: ${resultsTitle(result)}`);
    if (result.offers.length === 0) return nothingMatched(ctx, loosenAdvice(described, sourceMarker(result)));
    const picked = await ctx.prompter.pick(result.offers.map(offerItem), {
      title: resultsTitle(result),
      step: totalSteps,
      totalSteps,
      placeholder: `${described}: pick an offer to rent`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === BACK) return AGAIN_FROM_LAST_STEP;
    return { done: picked?.offer };
  });
}
