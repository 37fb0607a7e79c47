import { isTransitional } from '../monitor/instanceStatus';
import { formatDuration, formatShortDuration, formatUtcTime } from '../util/format';
import type { Instance } from '../vast/types';
import { instanceContextValue, type InstanceState } from '../vscode/contributions';
import { formatGb, formatPrice, gpuSummary } from './offerPresentation';
import { rowBadges, type RowBadge } from './rowBadges';
import { isJupyterRuntype, sshEndpoint } from './ssh/sshEndpoint';
import { codeSpan, escapeMarkdown as escapeText } from '../util/markdown';

/**
 * How one instance looks in the tree, as plain data: the VS Code layer maps it onto a TreeItem.
 * The item id is the instance id alone, so uptime or price changes never re-create the item
 * (no flicker, selection kept). The row puts first what drives decisions (state word when not
 * running, else uptime; then $/h), the GPU after, so it still says the most at 220 px.
 */
export interface InstancePresentation {
  id: string;
  /** The name; with "#<id digits>" when another instance has the same name. */
  label: string;
  /** "3h 12m · $0.82/h · 67% 71°C · RTX 4090 ×2" or "stopped · $0.02/h · RTX 4080". */
  description: string;
  /** A codicon id, with `~spin` while something is happening. */
  icon: string;
  /** A theme colour id for the icon, or undefined for the default. */
  iconColor?: string;
  /** Which actions the menus offer: `instance.<state>` plus `.jupyter` / `.ssh` flags. */
  contextValue: string;
  state: InstanceState;
  /** The group it is shown under when the view groups by state. */
  group: InstanceGroup;
  /** The state in a word: "running", "stopped", "exited"... */
  word: string;
  /** What it costs per hour now: the storage price while stopped. */
  pricePerHour: number;
  /** How long it has been running, when it is. */
  uptimeMs?: number;
  /** Extra markers from other features (idle, interruptible...), shown after the GPU. */
  badges: RowBadge[];
}

export type { InstanceState };
/** The groups the view shows; `failed` will not run by itself. */
export type InstanceGroup = 'running' | 'starting' | 'stopped' | 'failed';

/** What a row needs besides the instance itself. */
export interface RowContext {
  /** When the snapshot holding the instance was taken: Vast's `uptime_mins` is as of then. */
  polledAt?: number;
  /** Another instance on the account has the same name: show enough of the id to tell them apart. */
  idSuffix?: string;
}

interface Look {
  icon: string;
  color?: string;
  state: InstanceState;
  word: string;
}

export function instanceName(instance: Instance): string {
  return instance.label?.trim() || `Instance ${instance.id}`;
}

export function presentInstance(instance: Instance, now: number, context: RowContext = {}): InstancePresentation {
  const look = lookOf(instance);
  const name = instanceName(instance);
  const uptime = look.state === 'running' ? uptimeMs(instance, now, context.polledAt) : undefined;
  const price = currentPrice(instance, look);
  const badges = rowBadges(instance, now);
  const parts: string[] = [];
  if (look.state !== 'running') parts.push(look.word);
  else if (uptime !== undefined) parts.push(formatShortDuration(uptime));
  parts.push(formatPrice(price));
  // Markers (idle, destroy pending...) right after the price, before the details: the end of the
  // description is what a narrow side bar cuts off. Text only: descriptions do not render codicons.
  for (const badge of badges) parts.push(badge.text);
  if (look.state === 'running') {
    const usage = gpuUsageShort(instance);
    if (usage) parts.push(usage);
  }
  parts.push(gpuShort(instance));
  return {
    id: String(instance.id),
    label: context.idSuffix ? `${name} #${context.idSuffix}` : name,
    description: parts.join(' · '),
    icon: look.icon,
    iconColor: look.color,
    contextValue: instanceContextValue(look.state, { jupyter: isJupyterRuntype(instance), ssh: sshEndpoint(instance) !== undefined }),
    state: look.state,
    group: GROUP_OF[look.state],
    word: look.word,
    pricePerHour: price,
    uptimeMs: uptime,
    badges,
  };
}

const GROUP_OF: Record<InstanceState, InstanceGroup> = {
  running: 'running',
  transitional: 'starting',
  stopped: 'stopped',
  failed: 'failed',
  unknown: 'failed',
};

/**
 * The only part of a row that moves with the clock: the short uptime of a running instance ("" for
 * the rest). A row whose instance and clock text are unchanged need not be rebuilt.
 */
export function rowClockText(instance: Instance, now: number, polledAt?: number): string {
  if (instance.actual_status !== 'running') return '';
  const uptime = uptimeMs(instance, now, polledAt);
  return uptime === undefined ? '' : formatShortDuration(uptime);
}

/**
 * Every field a row reads, in one string: a new poll's copy of an instance with the same key (and
 * clock text, and badges) gets the same row, so it need not be rebuilt. Keep in step with presentInstance.
 */
export function rowInputKey(instance: Instance): string {
  const direct = instance.ports?.['22/tcp']?.[0]?.HostPort;
  return `${instance.actual_status}|${instance.intended_status}|${instance.label}|${instance.gpu_name}|${instance.num_gpus}|${instance.dph_total}|${instance.storage_total_cost}|${instance.gpu_util}|${instance.gpu_temp}|${instance.image_runtype}|${direct}|${instance.public_ipaddr}|${instance.ssh_host}|${instance.ssh_port}|${instance.uptime_mins === undefined ? instance.start_date : ''}`;
}

/** Running first, then what is on its way, then the rest; by name within a group. */
export function compareInstances(a: Instance, b: Instance): number {
  const order: Record<InstanceState, number> = { running: 0, transitional: 1, unknown: 2, failed: 3, stopped: 4 };
  const byState = order[lookOf(a).state] - order[lookOf(b).state];
  if (byState !== 0) return byState;
  const byName = (a.label ?? '').localeCompare(b.label ?? '');
  return byName !== 0 ? byName : a.id - b.id;
}

/** The tooltip (Markdown), built only when someone hovers. */
export function instanceTooltip(instance: Instance, now: number, context: RowContext = {}): string {
  const look = lookOf(instance);
  const name = instanceName(instance);
  const uptime = look.state === 'running' ? uptimeMs(instance, now, context.polledAt) : undefined;
  const rows: Array<[string, string | undefined]> = [
    ['Status', `${look.word}${uptime !== undefined ? ` for ${formatDuration(uptime)}` : ''}`],
    ['GPU', gpuLong(instance)],
    ['CPU', cpuText(instance)],
    ['RAM', usageOf(instance.mem_usage, instance.mem_limit ?? gb(instance.cpu_ram))],
    ['Disk', usageOf(instance.disk_usage, instance.disk_space)],
    ['Price', priceText(instance, look)],
    ['Location', instance.geolocation ? escapeMarkdown(instance.geolocation) : undefined],
    ['Reliability', instance.reliability2 != null ? `${(instance.reliability2 * 100).toFixed(1)}%` : undefined],
    ['Image', instance.image_uuid ? codeSpan(instance.image_uuid) : undefined],
    ['SSH', sshText(instance)],
    ['Created', instance.start_date ? formatUtcTime(instance.start_date * 1000, now) : undefined],
    ['Instance id', String(instance.id)],
  ];
  const table = rows.filter(([, value]) => value !== undefined).map(([key, value]) => `| ${key} | ${value} |`);
  const notes: string[] = [];
  if (look.word === 'exited' || look.state === 'failed' || look.state === 'unknown') {
    if (instance.status_msg) notes.push(`**Why:** ${escapeMarkdown(instance.status_msg)}`);
    notes.push('Its logs may say more: right-click → *Show Instance Logs*.');
  } else if (instance.status_msg && look.state !== 'running') {
    notes.push(`Vast.ai says: ${escapeMarkdown(instance.status_msg)}`);
  }
  if (look.state === 'stopped') {
    notes.push('A stopped instance still pays for its disk. Destroying it ends the charge (and deletes its data).');
  }
  for (const badge of rowBadges(instance, now)) notes.push(badge.tooltip ? `**${escapeMarkdown(badge.text)}**: ${badge.tooltip}` : escapeMarkdown(badge.text));
  return [`**${escapeMarkdown(name)}** — ${look.word}`, '', '| | |', '|---|---|', ...table, ...(notes.length ? ['', notes.join('\n\n')] : [])].join('\n');
}

function lookOf(instance: Instance): Look {
  const actual = instance.actual_status;
  if (instance.intended_status === 'stopped' && actual === 'running') {
    return { icon: 'loading~spin', color: 'charts.yellow', state: 'transitional', word: 'stopping' };
  }
  switch (actual) {
    case 'running':
      return isTransitional(instance)
        ? { icon: 'loading~spin', color: 'charts.yellow', state: 'transitional', word: 'changing' }
        : { icon: 'vm-running', color: 'testing.iconPassed', state: 'running', word: 'running' };
    case null:
    case 'created':
      return { icon: 'loading~spin', color: 'charts.yellow', state: 'transitional', word: 'creating' };
    case 'loading':
      return { icon: 'loading~spin', color: 'charts.yellow', state: 'transitional', word: 'loading' };
    case 'rebooting':
      return { icon: 'sync~spin', color: 'charts.yellow', state: 'transitional', word: 'rebooting' };
    case 'stopped':
      return instance.intended_status === 'running'
        ? { icon: 'watch', color: 'charts.yellow', state: 'transitional', word: 'scheduling' }
        : { icon: 'debug-stop', color: 'disabledForeground', state: 'stopped', word: 'stopped' };
    case 'frozen':
      return { icon: 'debug-pause', color: 'charts.blue', state: 'stopped', word: 'frozen' };
    case 'exited':
      return { icon: 'error', color: 'testing.iconFailed', state: 'failed', word: 'exited' };
    case 'offline':
      return { icon: 'debug-disconnect', color: 'testing.iconFailed', state: 'failed', word: 'offline' };
    case 'unknown':
    default:
      return { icon: 'question', color: 'charts.orange', state: 'unknown', word: 'no heartbeat' };
  }
}

/** What it costs per hour now: a stopped (or frozen) instance pays only for its storage. */
function currentPrice(instance: Instance, look: Look): number {
  if (look.state === 'stopped' && typeof instance.storage_total_cost === 'number') return instance.storage_total_cost;
  return instance.dph_total ?? Number.NaN; // unknown: shown as "$?/h"
}

function priceText(instance: Instance, look: Look): string {
  if (look.state === 'stopped' && typeof instance.storage_total_cost === 'number') {
    return `${formatPrice(instance.storage_total_cost)} for storage while stopped (${formatPrice(instance.dph_total)} when running)`;
  }
  return formatPrice(instance.dph_total);
}

/**
 * How long it has been running. Vast's `uptime_mins` counts from when it last started running
 * (as of the poll); `start_date` is when it was created, so only a fallback.
 */
function uptimeMs(instance: Instance, now: number, polledAt = now): number | undefined {
  const minutes = instance.uptime_mins;
  if (typeof minutes === 'number' && Number.isFinite(minutes)) return Math.max(0, minutes * 60_000 + (now - polledAt));
  return instance.start_date ? Math.max(0, now - instance.start_date * 1000) : undefined;
}

function gpuShort(instance: Instance): string {
  return gpuSummary(instance.gpu_name, instance.num_gpus);
}

/** Vast reports `gpu_util` in percent (the CLI's "Util. %"). */
function gpuUsageShort(instance: Instance): string | undefined {
  const util = percent(instance.gpu_util);
  const temp = typeof instance.gpu_temp === 'number' && Number.isFinite(instance.gpu_temp) ? `${Math.round(instance.gpu_temp)}°C` : undefined;
  return [util, temp].filter(Boolean).join(' ') || undefined;
}

function gpuLong(instance: Instance): string {
  const memory = instance.gpu_ram ? `, ${formatGb(instance.gpu_ram)} each` : '';
  const usage = [percent(instance.gpu_util) && `${percent(instance.gpu_util)} busy`, typeof instance.gpu_temp === 'number' ? `${Math.round(instance.gpu_temp)} °C` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${instance.num_gpus ?? '?'} × ${escapeMarkdown(instance.gpu_name ?? 'unknown GPU')}${memory}${usage ? ` · ${usage}` : ''}`;
}

function cpuText(instance: Instance): string | undefined {
  if (!instance.cpu_cores_effective) return undefined;
  const cores = Number.isInteger(instance.cpu_cores_effective) ? instance.cpu_cores_effective : instance.cpu_cores_effective.toFixed(1);
  const util = percent(instance.cpu_util);
  return `${cores} cores${util ? ` · ${util} busy` : ''}`;
}

function percent(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value)}%` : undefined;
}

/** "12.3 of 64 GB" (both in GB), or the total alone. */
function usageOf(used: unknown, total: unknown): string | undefined {
  const hasTotal = typeof total === 'number' && Number.isFinite(total) && total > 0;
  if (!hasTotal) return undefined;
  const totalText = `${Math.round(total)} GB`;
  return typeof used === 'number' && Number.isFinite(used) ? `${used.toFixed(1)} of ${totalText} used` : totalText;
}

/** MB, as Vast reports host RAM, to GB the way `formatGb` counts (1024). */
function gb(megabytes: number | null): number | undefined {
  return megabytes ? megabytes / 1024 : undefined;
}

/** The CLI's rule (direct when port 22 is mapped, else Vast's proxy), as sshEndpoint applies it. */
function sshText(instance: Instance): string | undefined {
  const endpoint = sshEndpoint(instance);
  return endpoint && `${codeSpan(`${endpoint.user}@${endpoint.host}:${endpoint.port}`)} (${endpoint.kind})`;
}

export function escapeMarkdown(text: string): string {
  return escapeText(text);
}
