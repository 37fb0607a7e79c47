import type { Offer } from '../../vast/types';

/** What search prices storage at when the body has no `allocated_storage` (the OpenAPI default). */
export const DEFAULT_ALLOCATED_STORAGE_GB = 8;

const HOURS_PER_MONTH = 30 * 24;

export type OfferType = 'on-demand' | 'bid' | 'reserved';

/** Reserved contracts get this share of the on-demand price (`discounted_dph_total`). */
const RESERVED_DISCOUNT = 0.75;

/** `storage_cost` is $/GB/month; instances and search totals bill it by the hour. */
export function storagePerHour(storageCostPerGbMonth: number, gigabytes: number): number {
  return (storageCostPerGbMonth * gigabytes) / HOURS_PER_MONTH;
}

/**
 * An offer as one search sees it: `dph_total` includes storage at the query's `allocated_storage`,
 * and for `type: "bid"` starts from `min_bid`. Per-dollar figures follow the total; `duration`
 * counts down on the clock.
 */
export function priceOffer(offer: Offer, type: OfferType, allocatedStorageGb: number, nowMs: number): Offer {
  const gpuPerHour = type === 'bid' ? offer.min_bid : offer.dph_base;
  const diskHour = storagePerHour(offer.storage_cost, allocatedStorageGb);
  const total = round(gpuPerHour + diskHour, 6);
  const duration = Math.max(0, offer.end_date - nowMs / 1000);
  return {
    ...offer,
    dph_total: total,
    discounted_dph_total: round(offer.dph_base * RESERVED_DISCOUNT + diskHour, 6),
    dlperf_per_dphtotal: round(offer.dlperf / total, 3),
    flops_per_dphtotal: round(offer.total_flops / total, 3),
    is_bid: type === 'bid',
    duration: round(duration, 3),
    time_remaining: formatRemaining(duration),
    search: { gpuCostPerHour: gpuPerHour, diskHour: round(diskHour, 6), totalHour: total },
  };
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function formatRemaining(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'}`;
  return `${Math.floor(seconds / 3600)} hours`;
}
