import type { SearchResult } from '../api/searchCache';
import { formatDuration } from '../util/format';
import type { Offer } from '../vast/types';
import type { PickItem } from './prompter';

/** An offer as a pick item; the offer rides along. */
export interface OfferItem extends PickItem {
  offer: Offer;
}

/** "$0.42/h"; three decimals below ten cents ("$0.053/h"). */
export function formatPrice(dollarsPerHour: number | null | undefined): string {
  if (typeof dollarsPerHour !== 'number' || !Number.isFinite(dollarsPerHour)) return '$?/h';
  const decimals = dollarsPerHour > 0 && dollarsPerHour < 0.1 ? 3 : 2;
  return `$${dollarsPerHour.toFixed(decimals)}/h`;
}

/** "RTX 4090 ×2": the one way GPUs are named, for offers and instances alike (a missing field says so). */
export function gpuSummary(gpuName: string | null | undefined, numGpus: number | null | undefined): string {
  return `${gpuName || 'unknown GPU'} ×${numGpus ?? '?'}`;
}

/** MB as Vast reports memory, to whole GB ("24 GB"). */
export function formatGb(megabytes: number): string {
  if (!Number.isFinite(megabytes)) return '? GB';
  return `${Math.round(megabytes / 1024)} GB`;
}

/** "99.2%" from Vast's 0-1 reliability. */
export function formatReliability(reliability: number): string {
  if (!Number.isFinite(reliability)) return '?%';
  return `${(Math.floor(reliability * 1000) / 10).toFixed(1)}%`;
}

/**
 * label `$0.42/h  RTX 4090 ×1`, description `24 GB · 99.2% · California, US`,
 * detail `offer 1234 · 16 CPU · 64 GB RAM · ↓1200 Mbps · CUDA 12.4 · verified`.
 */
export function offerItem(offer: Offer): OfferItem {
  const description = [formatGb(offer.gpu_ram), formatReliability(offer.reliability), offer.geolocation || 'unknown location'].join(' · ');
  // A field the boundary could not read is NaN: shown as "?" (src/api/wireSchemas.ts).
  const known = (value: number, show: (n: number) => string) => (Number.isFinite(value) ? show(value) : '?');
  const cpus = known(offer.cpu_cores_effective, (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1)));
  const detail = [
    `offer ${offer.id}`,
    `${cpus} CPU`,
    `${formatGb(offer.cpu_ram)} RAM`,
    `↓${known(offer.inet_down, (n) => String(Math.round(n)))} Mbps`,
    `CUDA ${known(Number(offer.cuda_max_good), (n) => n.toFixed(1))}`,
    offer.verification ?? (offer.verified ? 'verified' : 'unverified'),
  ].join(' · ');
  return { label: `${formatPrice(offer.dph_total)}  ${gpuSummary(offer.gpu_name, offer.num_gpus)}`, description, detail, offer };
}

/** "" for fresh data; " · cached, 40 s old"; " · STALE, 5 min old: <reason>". */
export function sourceMarker(result: Pick<SearchResult, 'source' | 'ageMs' | 'staleReason'>): string {
  if (result.source === 'cache') return ` · cached, ${formatDuration(result.ageMs)} old`;
  if (result.source === 'stale') return ` · STALE, ${formatDuration(result.ageMs)} old${result.staleReason ? `: ${result.staleReason}` : ''}`;
  return '';
}

/** "12 offers", "1 offer · cached, 40 s old". */
export function resultsTitle(result: SearchResult, count = result.offers.length): string {
  return `${count} offer${count === 1 ? '' : 's'}${sourceMarker(result)}`;
}
