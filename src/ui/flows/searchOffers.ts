import type { FlowContext } from '../flowContext';
import { createInstanceFlow } from './createInstance';
import { pickOffer } from './offerPicker';

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
