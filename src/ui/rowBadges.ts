import type { Instance } from '../vast/types';

/**
 * A short marker on an instance row ("idle 40 min", "interruptible"), shown after the price and
 * GPU, and explained in the tooltip. Markers come from other features; this is where they plug in.
 */
export interface RowBadge {
  /** A few words at most: rows must fit a 220 px sidebar. */
  text: string;
  /** A sentence for the tooltip, Markdown-safe (escape anything from the server). */
  tooltip?: string;
  /** A codicon id shown before the text, e.g. "flame". */
  icon?: string;
}

/** Every marker for this instance at `now`, in display order. Keep it cheap: it runs per row per poll. */
export function rowBadges(_instance: Instance, _now: number): RowBadge[] {
  return [];
}
