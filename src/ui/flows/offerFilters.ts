import { normalizeGpuName, OFFER_ORDERS, REGIONS, type OfferOrder, type OfferQuery } from '../../api/offerQuery';
import type { FlowContext } from '../flowContext';
import type { PickItem } from '../prompter';
import { inputStep, markPicked, pickStep, type Step } from './common';

/** What the filter steps ask for; undefined means "any". Shared by every flow that searches. */
export interface OfferFilters {
  gpuName?: string;
  maxDph?: number;
  numGpus?: number;
  minReliability?: number;
  /** A key of REGIONS ("north-america"). */
  region?: string;
  order: OfferOrder;
}

export function defaultFilters(): OfferFilters {
  return { order: 'price' };
}


/**
 * The filters remembered from the last search, checked field by field (globalState is as
 * untrusted as any file): anything malformed falls back to its default.
 */
export function rememberedFilters(saved: unknown): OfferFilters {
  const filters = defaultFilters();
  if (!saved || typeof saved !== 'object') return filters;
  const s = saved as Record<string, unknown>;
  if (typeof s.gpuName === 'string' && normalizeGpuName(s.gpuName)) filters.gpuName = normalizeGpuName(s.gpuName);
  if (typeof s.maxDph === 'number' && s.maxDph > 0 && s.maxDph <= 1000) filters.maxDph = s.maxDph;
  if (typeof s.numGpus === 'number' && Number.isInteger(s.numGpus) && s.numGpus > 0) filters.numGpus = s.numGpus;
  if (typeof s.minReliability === 'number' && s.minReliability > 0 && s.minReliability <= 1) filters.minReliability = s.minReliability;
  if (typeof s.region === 'string' && s.region in REGIONS) filters.region = s.region;
  if (typeof s.order === 'string' && s.order in OFFER_ORDERS) filters.order = s.order as OfferOrder;
  return filters;
}

/** Popular models, spelled the way Vast's API spells them, with memory per GPU. */
export const POPULAR_GPUS: ReadonlyArray<{ name: string; vramGb: number }> = [
  { name: 'RTX 4090', vramGb: 24 },
  { name: 'RTX 3090', vramGb: 24 },
  { name: 'RTX 5090', vramGb: 32 },
  { name: 'H100 SXM', vramGb: 80 },
  { name: 'H100 PCIE', vramGb: 80 },
  { name: 'H200', vramGb: 141 },
  { name: 'A100 SXM4', vramGb: 80 },
  { name: 'A100 PCIE', vramGb: 40 },
  { name: 'L40S', vramGb: 48 },
  { name: 'RTX A6000', vramGb: 48 },
  { name: 'A40', vramGb: 48 },
  { name: 'RTX 4080', vramGb: 16 },
  { name: 'RTX 3080', vramGb: 10 },
  { name: 'RTX 3060', vramGb: 12 },
  { name: 'Tesla V100', vramGb: 16 },
];

export const ANY_GPU = 'Any GPU';

export interface GpuItem extends PickItem {
  /** Undefined for "Any GPU". */
  gpuName?: string;
}

export function gpuItems(): GpuItem[] {
  return [
    { label: ANY_GPU, description: 'every model' },
    ...POPULAR_GPUS.map((gpu) => ({ label: gpu.name, description: `${gpu.vramGb} GB`, gpuName: gpu.name })),
  ];
}

/** Catalogue models whose name contains what was typed, ignoring case and spaces ("4090" → RTX 4090). */
export function catalogueMatches(typed: string): Array<{ name: string; vramGb: number }> {
  const wanted = compact(typed);
  if (!wanted) return [];
  return POPULAR_GPUS.filter((gpu) => compact(gpu.name).includes(wanted));
}

/**
 * A model typed into the pick. The catalogue comes first: its spelling when the typing names one
 * model of it ("4090" is RTX 4090); nothing of its own when it matches several (the list already
 * shows them); a name searched as typed only when the catalogue has nothing like it.
 */
export function customGpuItem(typed: string): GpuItem | undefined {
  const name = normalizeGpuName(typed);
  if (!name) return undefined;
  const exact = POPULAR_GPUS.find((gpu) => compact(gpu.name) === compact(name));
  const matches = catalogueMatches(name);
  const known = exact ?? (matches.length === 1 ? matches[0] : undefined);
  if (known) return { label: known.name, description: `${known.vramGb} GB`, gpuName: known.name };
  if (matches.length > 1) return undefined;
  return { label: name, description: 'not in the list: search for this model name as typed (Vast spells names exactly, e.g. "RTX 4090")', gpuName: name };
}

/** For a name with no offers: catalogue models that look like it ("4090ti" → RTX 4090). */
export function similarGpuNames(name: string): string[] {
  const matches = catalogueMatches(name).map((gpu) => gpu.name);
  if (matches.length) return matches;
  const numbers = name.match(/\d{2,}/g) ?? [];
  return POPULAR_GPUS.filter((gpu) => numbers.some((n) => gpu.name.includes(n)) || compact(name).includes(compact(gpu.name))).map((gpu) => gpu.name);
}

export function isCatalogueGpu(name: string): boolean {
  return POPULAR_GPUS.some((gpu) => compact(gpu.name) === compact(name));
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

export function gpuModelStep(ctx: FlowContext, filters: OfferFilters): Step {
  return pickStep(
    ctx,
    () => {
      const items = gpuItems();
      if (filters.gpuName && !items.some((i) => i.gpuName === filters.gpuName)) items.push(customGpuItem(filters.gpuName)!);
      return markPicked(items, (i) => i.gpuName === filters.gpuName);
    },
    { placeholder: 'GPU model: pick one, or type a part of its name ("4090")', custom: customGpuItem, matchOnDescription: true },
    (item) => {
      filters.gpuName = item.gpuName;
    },
  );
}

/**
 * "0.5", "$0.50", "0.50/h", "$ 0,5" → 0.5; "" → undefined (no limit); anything else → an error
 * message for the input box.
 */
export function parseMaxPrice(text: string): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const match = trimmed.match(/^\$?\s*(\d+(?:[.,]\d*)?|[.,]\d+)\s*(?:\$)?\s*(?:\/\s*h(?:r|our)?)?$/i);
  const value = match ? Number(match[1].replace(',', '.')) : NaN;
  if (!Number.isFinite(value)) return { error: 'Enter a price in $ per hour, e.g. 0.50 or $0.50, or leave it empty for no limit.' };
  if (value <= 0) return { error: 'The maximum price must be more than $0/h (leave it empty for no limit).' };
  if (value > 1000) return { error: 'That is more than $1000/h: enter a price per hour, e.g. 2.50.' };
  return { value };
}

export function maxPriceStep(ctx: FlowContext, filters: OfferFilters, perWhat = 'per instance'): Step {
  return inputStep(
    ctx,
    () => ({
      prompt: `Maximum price in $/h ${perWhat}, GPU and storage included (leave empty for no limit)`,
      placeholder: 'e.g. 0.50',
      value: filters.maxDph === undefined ? '' : String(filters.maxDph),
      validate: (text) => parseMaxPrice(text).error,
    }),
    (text) => {
      filters.maxDph = parseMaxPrice(text).value;
    },
  );
}

interface ValueItem<V> extends PickItem {
  value: V;
}

export function gpuCountItems(): Array<ValueItem<number | undefined>> {
  return [
    { label: '1 GPU', value: 1 },
    { label: '2 GPUs', value: 2 },
    { label: '4 GPUs', value: 4 },
    { label: '8 GPUs', value: 8 },
    { label: 'Any count', description: 'any number of GPUs per machine', value: undefined },
  ];
}

export function gpuCountStep(ctx: FlowContext, filters: OfferFilters): Step {
  return pickStep(
    ctx,
    () => markPicked(gpuCountItems(), (i) => i.value === filters.numGpus),
    { placeholder: 'GPUs per instance' },
    (item) => {
      filters.numGpus = item.value;
    },
  );
}

export function reliabilityItems(): Array<ValueItem<number | undefined>> {
  return [
    { label: 'Any reliability', value: undefined },
    { label: '95%', description: 'or better', value: 0.95 },
    { label: '98%', description: 'or better', value: 0.98 },
    { label: '99%', description: 'or better', value: 0.99 },
    { label: '99.5%', description: 'or better', value: 0.995 },
  ];
}

export function reliabilityStep(ctx: FlowContext, filters: OfferFilters): Step {
  return pickStep(
    ctx,
    () => markPicked(reliabilityItems(), (i) => i.value === filters.minReliability),
    { placeholder: 'Minimum host reliability (share of time the machine was up)' },
    (item) => {
      filters.minReliability = item.value;
    },
  );
}

/** "north-america" → "North America". */
export function regionLabel(region: string): string {
  return region
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

export function regionItems(): Array<ValueItem<string | undefined>> {
  return [
    { label: 'Any region', value: undefined },
    ...Object.entries(REGIONS).map(([key, codes]) => ({
      label: regionLabel(key),
      description: codes.length > 8 ? `${codes.slice(0, 8).join(', ')}, …` : codes.join(', '),
      value: key,
    })),
  ];
}

export function regionStep(ctx: FlowContext, filters: OfferFilters): Step {
  return pickStep(
    ctx,
    () => markPicked(regionItems(), (i) => i.value === filters.region),
    { placeholder: 'Where the machine is', matchOnDescription: true },
    (item) => {
      filters.region = item.value;
    },
  );
}

export function orderItems(): Array<ValueItem<OfferOrder>> {
  return [
    { label: 'Lowest price', description: 'cheapest first ($/h)', value: 'price' },
    { label: 'Best score', description: "Vast's own ranking", value: 'score' },
    { label: 'Most reliable', description: 'highest reliability first', value: 'reliability' },
    { label: 'Best value', description: 'most deep-learning performance per $', value: 'value' },
  ];
}

export function orderStep(ctx: FlowContext, filters: OfferFilters): Step {
  return pickStep(
    ctx,
    () => markPicked(orderItems(), (i) => i.value === filters.order),
    { placeholder: 'Sort offers by' },
    (item) => {
      filters.order = item.value;
    },
  );
}

/** GPU model, max $/h, GPU count, reliability, region, sort: the six steps of every search. */
export function offerFilterSteps(ctx: FlowContext, filters: OfferFilters): Step[] {
  return [
    gpuModelStep(ctx, filters),
    maxPriceStep(ctx, filters),
    gpuCountStep(ctx, filters),
    reliabilityStep(ctx, filters),
    regionStep(ctx, filters),
    orderStep(ctx, filters),
  ];
}

/** The client's query for these filters; `diskGb` prices storage into `dph_total`. */
export function filtersQuery(filters: OfferFilters, diskGb: number): OfferQuery {
  const query: OfferQuery = { order: filters.order, diskGb };
  if (filters.gpuName !== undefined) query.gpuName = filters.gpuName;
  if (filters.maxDph !== undefined) query.maxDph = filters.maxDph;
  if (filters.numGpus !== undefined) query.numGpus = filters.numGpus;
  if (filters.minReliability !== undefined) query.minReliability = filters.minReliability;
  if (filters.region !== undefined) query.region = filters.region;
  return query;
}
