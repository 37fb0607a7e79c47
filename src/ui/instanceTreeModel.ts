import type { Instance } from '../vast/types';
import { matchesFilter, type InstanceFilter } from './instanceFilter';
import { formatPrice } from './offerPresentation';
import { rowBadges } from './rowBadges';
import { instanceName, presentInstance, rowClockText, rowInputKey, type InstanceGroup, type InstancePresentation } from './instancePresentation';

export type SortOrder = 'state' | 'name' | 'price' | 'uptime';

export interface TreeOptions {
  /** Group rows under Running / Starting / Stopped / Failed. */
  groupByState: boolean;
  sortBy: SortOrder;
  filter?: InstanceFilter;
}

/** The settings' defaults (`vastai.instances.*`). */
export const DEFAULT_TREE_OPTIONS: Readonly<Omit<TreeOptions, 'filter'>> = { groupByState: true, sortBy: 'state' };

/** A group heading: "Running" with "3 · $1.04/h". */
export interface GroupPresentation {
  group: InstanceGroup;
  label: string;
  description: string;
  count: number;
}

/** A tree element: an instance id, or a group heading. */
export type TreeNode = number | GroupNode;
export type GroupNode = `group:${InstanceGroup}`;

/** What changed since the last update: redraw everything, or only these elements (and their children). */
export interface TreeUpdate {
  all: boolean;
  elements: TreeNode[];
}

const GROUPS: readonly InstanceGroup[] = ['running', 'starting', 'stopped', 'failed'];
const GROUP_TITLES: Record<InstanceGroup, string> = { running: 'Running', starting: 'Starting', stopped: 'Stopped', failed: 'Failed' };

export function groupNode(group: InstanceGroup): GroupNode {
  return `group:${group}`;
}

export function isGroupNode(node: unknown): node is GroupNode {
  return typeof node === 'string' && node.startsWith('group:');
}

/**
 * The Instances view as plain data: rows, groups, order, filter. Each update compares with the
 * last one so the view redraws only what changed (an uptime ticking over, a new status), not all
 * rows on every poll.
 */
export class InstanceTreeModel {
  private rows = new Map<number, InstancePresentation>();
  private instances: ReadonlyMap<number, Instance> = new Map();
  private children = new Map<GroupNode | 'root', TreeNode[]>();
  private groups = new Map<InstanceGroup, GroupPresentation>();
  private shownCount = 0;
  /** What each row was built from, to skip rebuilding rows whose inputs did not change. */
  private built = new Map<number, BuiltFrom>();
  private suffixes = new Map<number, string>();
  private lastOptions?: TreeOptions;

  update(instances: ReadonlyMap<number, Instance>, now: number, polledAt: number | undefined, options: TreeOptions): TreeUpdate {
    // A new poll with the same instances under the same names keeps the structure (and id tails).
    const sameMembers = instances === this.instances || this.sameMembers(instances);
    const suffixes = sameMembers ? this.suffixes : idSuffixes(instances.values());
    const rows = new Map<number, InstancePresentation>();
    const built = new Map<number, BuiltFrom>();
    const changed: TreeNode[] = [];
    let reshaped = !sameMembers || !sameOptions(options, this.lastOptions);
    for (const [id, instance] of instances) {
      const suffix = suffixes.get(id);
      const clock = rowClockText(instance, now, polledAt);
      const last = this.built.get(id);
      const before = this.rows.get(id);
      // The same object (a redraw between polls), or a new poll's copy that reads the same.
      const key = last?.instance === instance ? last.key : rowInputKey(instance);
      built.set(id, { instance, suffix, clock, key });
      if (before && last && last.key === key && last.suffix === suffix && last.clock === clock && sameBadges(before, instance, now)) {
        rows.set(id, before);
        continue;
      }
      const row = presentInstance(instance, now, { polledAt, idSuffix: suffix });
      rows.set(id, row);
      if (!before) reshaped = true;
      else if (!sameRow(before, row)) {
        changed.push(id);
        // Anything the order, the groups or the filter reads: recompute the structure.
        if (before.group !== row.group || !Object.is(before.pricePerHour, row.pricePerHour) || before.label !== row.label || options.filter) reshaped = true;
      }
    }
    this.built = built;
    this.suffixes = suffixes;
    this.lastOptions = options;
    if (!reshaped) {
      // Same instances, same order: only rows whose text moved (an uptime ticking over).
      this.rows = rows;
      this.instances = instances;
      return { all: false, elements: changed };
    }
    const shown = [...rows.values()].filter((row) => !options.filter || matchesFilter(options.filter, instances.get(Number(row.id))!, row));
    shown.sort(comparator(options.sortBy));
    const children = new Map<GroupNode | 'root', TreeNode[]>();
    const groups = new Map<InstanceGroup, GroupPresentation>();
    if (options.groupByState) {
      const byGroup = new Map<InstanceGroup, InstancePresentation[]>();
      for (const row of shown) {
        const list = byGroup.get(row.group) ?? [];
        list.push(row);
        byGroup.set(row.group, list);
      }
      const top: TreeNode[] = [];
      for (const group of GROUPS) {
        const members = byGroup.get(group);
        if (!members) continue;
        top.push(groupNode(group));
        children.set(groupNode(group), members.map((row) => Number(row.id)));
        groups.set(group, presentGroup(group, members));
      }
      children.set('root', top);
    } else {
      children.set('root', shown.map((row) => Number(row.id)));
    }

    const previousChildren = this.children;
    const previousGroups = this.groups;
    this.rows = rows;
    this.instances = instances;
    this.children = children;
    this.groups = groups;
    this.shownCount = shown.length;

    if (!sameList(previousChildren.get('root'), children.get('root'))) return { all: true, elements: [] };
    const elements: TreeNode[] = [];
    const redrawnGroups = new Set<InstanceGroup>();
    for (const [group, heading] of groups) {
      const node = groupNode(group);
      const before = previousGroups.get(group);
      if (!before || before.description !== heading.description || !sameList(previousChildren.get(node), children.get(node))) {
        elements.push(node);
        redrawnGroups.add(group);
      }
    }
    for (const id of changed) {
      const row = rows.get(id as number)!;
      if (!(options.groupByState && redrawnGroups.has(row.group))) elements.push(id);
    }
    return { all: false, elements };
  }

  private sameMembers(instances: ReadonlyMap<number, Instance>): boolean {
    if (instances.size !== this.built.size) return false;
    for (const [id, instance] of instances) {
      const last = this.built.get(id);
      if (!last || last.instance.label !== instance.label) return false;
    }
    return true;
  }

  childrenOf(node?: TreeNode): TreeNode[] {
    if (node === undefined) return this.children.get('root') ?? [];
    return isGroupNode(node) ? (this.children.get(node) ?? []) : [];
  }

  row(id: number): InstancePresentation | undefined {
    return this.rows.get(id);
  }

  instance(id: number): Instance | undefined {
    return this.instances.get(id);
  }

  group(node: GroupNode): GroupPresentation | undefined {
    return this.groups.get(node.slice('group:'.length) as InstanceGroup);
  }

  /** The instance ids shown, in display order (groups flattened). */
  shownIds(): number[] {
    return this.childrenOf().flatMap((node) => (isGroupNode(node) ? (this.childrenOf(node) as number[]) : [node]));
  }

  /** How many instances the filter lets through, of how many. */
  get counts(): { shown: number; total: number } {
    return { shown: this.shownCount, total: this.rows.size };
  }
}

function presentGroup(group: InstanceGroup, members: readonly InstancePresentation[]): GroupPresentation {
  const perHour = members.reduce((sum, row) => sum + (Number.isFinite(row.pricePerHour) ? row.pricePerHour : 0), 0);
  const price = perHour > 0 && group !== 'failed' ? ` · ${formatPrice(perHour)}${group === 'stopped' ? ' storage' : ''}` : '';
  return { group, label: GROUP_TITLES[group], description: `${members.length}${price}`, count: members.length };
}

/** Same-named instances get the shortest tail of their id (at least 4 digits) that tells them apart. */
export function idSuffixes(instances: Iterable<Instance>): Map<number, string> {
  const byName = new Map<string, number[]>();
  for (const instance of instances) {
    const name = instanceName(instance);
    const ids = byName.get(name);
    if (ids) ids.push(instance.id);
    else byName.set(name, [instance.id]);
  }
  const suffixes = new Map<number, string>();
  for (const ids of byName.values()) {
    if (ids.length < 2) continue;
    const texts = ids.map(String);
    let length = Math.min(4, ...texts.map((t) => t.length));
    while (new Set(texts.map((t) => t.slice(-length))).size < texts.length && texts.some((t) => t.length > length)) length++;
    for (const text of texts) suffixes.set(Number(text), text.slice(-length));
  }
  return suffixes;
}

function comparator(sortBy: SortOrder): (a: InstancePresentation, b: InstancePresentation) => number {
  const byName = (a: InstancePresentation, b: InstancePresentation) => a.label.localeCompare(b.label) || Number(a.id) - Number(b.id);
  switch (sortBy) {
    case 'price':
      return (a, b) => knownPrice(b) - knownPrice(a) || byName(a, b);
    case 'uptime':
      return (a, b) => (b.uptimeMs ?? -1) - (a.uptimeMs ?? -1) || byName(a, b);
    case 'name':
      return byName;
    case 'state':
    default:
      return (a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || byName(a, b);
  }
}

interface BuiltFrom {
  instance: Instance;
  key: string;
  suffix?: string;
  clock: string;
}

/** Markers come from other features and may read any field: compared, not cached. */
function sameBadges(row: InstancePresentation, instance: Instance, now: number): boolean {
  const badges = rowBadges(instance, now);
  if (badges.length !== row.badges.length) return false;
  return badges.every((badge, i) => badge.text === row.badges[i].text && badge.icon === row.badges[i].icon && badge.tooltip === row.badges[i].tooltip);
}

/** An unknown price sorts last. */
function knownPrice(row: InstancePresentation): number {
  return Number.isFinite(row.pricePerHour) ? row.pricePerHour : -1;
}

function sameOptions(a: TreeOptions, b: TreeOptions | undefined): boolean {
  return !!b && a.groupByState === b.groupByState && a.sortBy === b.sortBy && a.filter === b.filter;
}

function sameRow(a: InstancePresentation, b: InstancePresentation): boolean {
  return a.label === b.label && a.description === b.description && a.icon === b.icon && a.iconColor === b.iconColor && a.contextValue === b.contextValue;
}

function sameList(a: readonly TreeNode[] | undefined, b: readonly TreeNode[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
