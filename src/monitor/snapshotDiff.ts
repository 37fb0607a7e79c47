import type { Instance } from '../vast/types';

/**
 * Fields a person sees (tree item, tooltip, SSH command). Utilisation, uptime counters and the like
 * change on every poll and are left out, so a change event means something visible changed.
 */
export const VISIBLE_FIELDS = [
  'actual_status',
  'intended_status',
  'cur_state',
  'status_msg',
  'label',
  'gpu_name',
  'num_gpus',
  'dph_total',
  'image_uuid',
  'ssh_host',
  'ssh_port',
  'public_ipaddr',
  'ports',
  'jupyter_token',
  'image_runtype',
  'start_date',
  'geolocation',
] as const;

export type VisibleField = (typeof VISIBLE_FIELDS)[number];

export interface InstanceChange {
  before: Instance;
  after: Instance;
  fields: VisibleField[];
}

export interface SnapshotDiff {
  added: Instance[];
  removed: Instance[];
  changed: InstanceChange[];
}

export function diffInstances(before: ReadonlyMap<number, Instance>, after: ReadonlyMap<number, Instance>): SnapshotDiff {
  const diff: SnapshotDiff = { added: [], removed: [], changed: [] };
  for (const [id, next] of after) {
    const previous = before.get(id);
    if (!previous) {
      diff.added.push(next);
      continue;
    }
    const fields = VISIBLE_FIELDS.filter((field) => !sameValue(previous[field], next[field]));
    if (fields.length > 0) diff.changed.push({ before: previous, after: next, fields });
  }
  for (const [id, previous] of before) if (!after.has(id)) diff.removed.push(previous);
  return diff;
}

export function isEmptyDiff(diff: SnapshotDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false; // too deep or cyclic to compare (the boundary keeps such values out): call it changed
  }
}
