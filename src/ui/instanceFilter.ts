import type { Instance } from '../vast/types';
import type { InstancePresentation } from './instancePresentation';

/**
 * The Filter Instances query: words that must all match (case-insensitive) somewhere in the name,
 * GPU, state, id, image or location. "4090 running" keeps running RTX 4090s; "-stopped" excludes.
 */
export interface InstanceFilter {
  text: string;
  terms: ReadonlyArray<{ word: string; negated: boolean }>;
}

export function parseInstanceFilter(text: string): InstanceFilter | undefined {
  const terms = text
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word && word !== '-')
    .map((word) => (word.startsWith('-') ? { word: word.slice(1), negated: true } : { word, negated: false }));
  return terms.length ? { text: text.trim(), terms } : undefined;
}

export function matchesFilter(filter: InstanceFilter, instance: Instance, row: InstancePresentation): boolean {
  const haystack = [row.label, instance.gpu_name, `${instance.num_gpus}x`, row.word, row.group, String(instance.id), instance.image_uuid ?? '', instance.geolocation ?? '']
    .join('\n')
    .toLowerCase();
  return filter.terms.every(({ word, negated }) => haystack.includes(word) !== negated);
}
