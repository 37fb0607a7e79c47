import { rowBadges } from './rowBadges';
import { isTransitional } from '../monitor/instanceStatus';
import { formatDuration, isValidTime } from '../util/format';
import type { Instance } from '../vast/types';
import { instanceContextValue, type InstanceState } from '../vscode/contributions';
import { formatPrice, gpuSummary } from './offerPresentation';
import { isJupyterRuntype, sshEndpoint } from './ssh/sshEndpoint';
import { codeSpan, escapeMarkdown as escapeText } from '../util/markdown';

/**
 * How one instance looks in the tree, as plain data: the VS Code layer maps it onto a TreeItem.
 * The item id is the instance id alone, so uptime or price changes never re-create the item
 * (no flicker, selection kept).
 */
export interface InstancePresentation {
  id: string;
  label: string;
  /** "RTX 4090 ×2 · $0.62/h · up 3 h 12 min". */
  description: string;
  /** A codicon id, with `~spin` while something is happening. */
  icon: string;
  /** A theme colour id for the icon, or undefined for the default. */
  iconColor?: string;
  /** Which actions the menus offer: `instance.<state>` plus `.jupyter` / `.ssh` flags. */
  contextValue: string;
  /** Markdown. */
  tooltip: string;
  state: InstanceState;
}

export type { InstanceState };

interface Look {
  icon: string;
  color?: string;
  state: InstanceState;
  word: string;
}

export function presentInstance(instance: Instance, now: number): InstancePresentation {
  const look = lookOf(instance);
  const name = instance.label?.trim() || `Instance ${instance.id}`;
  const parts = [gpuSummary(instance.gpu_name, instance.num_gpus), formatPrice(instance.dph_total)];
  const uptime = uptimeMs(instance, now);
  if (look.state === 'running' && uptime !== undefined) parts.push(`up ${formatDuration(uptime)}`);
  else if (look.state !== 'running') parts.push(look.word);
  // Markers first: at 220 px the end of the description is cut off, and they matter most.
  const badges = rowBadges(instance, now);
  return {
    id: String(instance.id),
    label: name,
    description: [...badges.map((badge) => badge.text), ...parts].join(' · '),
    icon: look.icon,
    iconColor: look.color,
    contextValue: instanceContextValue(look.state, { jupyter: isJupyterRuntype(instance), ssh: sshEndpoint(instance) !== undefined }),
    tooltip: [tooltipOf(instance, name, look, now), ...badges.flatMap((badge) => (badge.tooltip ? [`**${badge.text}**: ${badge.tooltip}`] : []))].join('\n\n'),
    state: look.state,
  };
}

/** Running first, then what is on its way, then the rest; by name within a group. */
export function compareInstances(a: Instance, b: Instance): number {
  const order: Record<InstanceState, number> = { running: 0, transitional: 1, unknown: 2, failed: 3, stopped: 4 };
  const byState = order[lookOf(a).state] - order[lookOf(b).state];
  if (byState !== 0) return byState;
  const byName = (a.label ?? '').localeCompare(b.label ?? '');
  return byName !== 0 ? byName : a.id - b.id;
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

function tooltipOf(instance: Instance, name: string, look: Look, now: number): string {
  const rows: Array<[string, string | undefined]> = [
    ['Status', `${look.word}${instance.status_msg ? ` — ${escapeMarkdown(instance.status_msg)}` : ''}`],
    ['GPU', `${escapeMarkdown(gpuSummary(instance.gpu_name, instance.num_gpus))}${instance.gpu_ram ? ` (${Math.round(instance.gpu_ram / 1000)} GB)` : ''}`],
    ['Price', formatPrice(instance.dph_total)],
    ['CPU / RAM', instance.cpu_cores_effective ? `${instance.cpu_cores_effective} cores, ${instance.cpu_ram != null ? Math.round(instance.cpu_ram / 1000) : '?'} GB` : undefined],
    ['Location', instance.geolocation ? escapeMarkdown(instance.geolocation) : undefined],
    ['Reliability', instance.reliability2 != null ? `${(instance.reliability2 * 100).toFixed(1)}%` : undefined],
    ['Image', instance.image_uuid ? codeSpan(instance.image_uuid) : undefined],
    ['SSH', sshText(instance)],
    ['Uptime', look.state === 'running' && uptimeMs(instance, now) !== undefined ? formatDuration(uptimeMs(instance, now)!) : undefined],
    ['Started', instance.start_date && isValidTime(instance.start_date * 1000) ? new Date(instance.start_date * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : undefined],
    ['Instance id', String(instance.id)],
  ];
  const table = rows.filter(([, value]) => value !== undefined).map(([key, value]) => `| ${key} | ${value} |`);
  return [`**${escapeMarkdown(name)}**`, '', '| | |', '|---|---|', ...table].join('\n');
}

/** The CLI's rule (direct when port 22 is mapped, else Vast's proxy), as sshEndpoint applies it. */
function sshText(instance: Instance): string | undefined {
  const endpoint = sshEndpoint(instance);
  return endpoint && `${codeSpan(`${endpoint.user}@${endpoint.host}:${endpoint.port}`)} (${endpoint.kind})`;
}

function uptimeMs(instance: Instance, now: number): number | undefined {
  return instance.start_date ? Math.max(0, now - instance.start_date * 1000) : undefined;
}

function escapeMarkdown(text: string): string {
  return escapeText(text);
}
