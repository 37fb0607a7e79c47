import type { GateState } from '../api/endpointGate';
import type { MonitorSnapshot } from '../monitor/instanceMonitor';
import { formatDuration, formatUtcTime } from '../util/format';
import { escapeMarkdown } from '../util/markdown';

/** What the status bar item says, as plain data (the VS Code layer applies it). */
export interface IndicatorView {
  state: IndicatorState;
  /** With codicons, e.g. "$(watch) Vast.ai: throttled · search 12 s". */
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Warning/error background: only once a condition has lasted (no blinking on a single 429). */
  background?: 'warning' | 'error';
  /** Whether the text changes by itself (a countdown): re-render every second while true. */
  ticking: boolean;
}

export type IndicatorState = 'clear' | 'throttled' | 'cached' | 'offline' | 'key-problem' | 'no-key';

export interface IndicatorInput {
  now: number;
  gates: readonly GateState[];
  monitor?: MonitorSnapshot;
  /** The key is missing, or Vast rejected it. */
  key: 'ok' | 'missing' | 'rejected';
  /** The last time a stale search result was served, and how old it was then. */
  staleSearch?: { at: number; ageMs: number; reason?: string };
  simulated: boolean;
}

/** How long a condition must last before the background turns to warning. */
export const WARNING_AFTER_MS = 20_000;
/** A stale search keeps the item on "cached" this long. */
const STALE_SEARCH_SHOWN_MS = 2 * 60_000;

/**
 * Decides the status bar's state from the client's gates, the monitor's snapshot and the key, with
 * hysteresis: a condition has to persist before the item asks for attention.
 */
export class RateLimitIndicator {
  private current?: IndicatorState;
  private since = 0;

  render(input: IndicatorInput): IndicatorView {
    const { state, detail, ticking } = classify(input);
    if (state !== this.current) {
      this.current = state;
      this.since = input.now;
    }
    const lasted = input.now - this.since;
    const name = input.simulated ? 'Vast.ai (simulator)' : 'Vast.ai';
    const icon = ICONS[state];
    return {
      state,
      text: `$(${icon}) ${name}${detail ? `: ${detail}` : ''}`,
      tooltip: tooltipOf(input, state, name),
      background: state === 'key-problem' ? 'error' : state !== 'clear' && state !== 'no-key' && lasted >= WARNING_AFTER_MS ? 'warning' : undefined,
      ticking,
    };
  }
}

const ICONS: Record<IndicatorState, string> = {
  clear: 'check',
  throttled: 'watch',
  cached: 'history',
  offline: 'debug-disconnect',
  'key-problem': 'key',
  'no-key': 'key',
};

function classify(input: IndicatorInput): { state: IndicatorState; detail?: string; ticking: boolean } {
  const { now, monitor } = input;
  if (input.key === 'missing') return { state: 'no-key', detail: 'no API key', ticking: false };
  if (input.key === 'rejected' || monitor?.lastError?.kind === 'auth') return { state: 'key-problem', detail: 'key problem', ticking: false };
  const cooling = input.gates
    .filter((gate) => gate.cooldownUntil !== undefined && gate.cooldownUntil > now)
    .sort((a, b) => b.cooldownUntil! - a.cooldownUntil!);
  if (cooling.length > 0) {
    const [longest] = cooling;
    const more = cooling.length > 1 ? ` +${cooling.length - 1}` : '';
    return { state: 'throttled', detail: `throttled · ${longest.title} ${formatDuration(longest.cooldownUntil! - now)}${more}`, ticking: true };
  }
  const age = monitor?.polledAt !== undefined ? formatDuration(now - monitor.polledAt) : undefined;
  const kind = monitor?.lastError?.kind;
  if (kind === 'network' || kind === 'server' || kind === 'invalid-response' || kind === 'unexpected') {
    return { state: 'offline', detail: age ? `offline · data ${age} old` : 'offline', ticking: age !== undefined };
  }
  if (kind === 'rate-limited') return { state: 'cached', detail: age ? `cached data · ${age} old` : 'rate-limited', ticking: age !== undefined };
  if (input.staleSearch && now - input.staleSearch.at < STALE_SEARCH_SHOWN_MS) {
    return { state: 'cached', detail: `cached search · ${formatDuration(input.staleSearch.ageMs)} old`, ticking: false };
  }
  return { state: 'clear', ticking: false };
}

const EXPLANATIONS: Record<IndicatorState, string> = {
  clear: 'All clear: requests go out as Vast.ai allows.',
  throttled: 'Throttled: Vast.ai answered "too many requests"; queued requests wait, then resume spaced out.',
  cached: 'Serving cached data: Vast.ai is rate-limiting, so the last good answer is shown.',
  offline: 'Offline: Vast.ai could not be reached; showing the last good data and retrying.',
  'key-problem': 'Key problem: Vast.ai rejected the API key. Run "Vast.ai: Set API Key".',
  'no-key': 'No API key: run "Vast.ai: Set API Key", import the Vast CLI\'s key, or try the simulator.',
};

function tooltipOf(input: IndicatorInput, state: IndicatorState, name: string): string {
  const { now, monitor } = input;
  const blocks = [`**${name}** — ${EXPLANATIONS[state]}`];
  if (monitor?.lastError) blocks.push(`Last error: ${escapeMarkdown(monitor.lastError.message)}`);
  const active = input.gates.filter((g) => g.lastRequestAt !== undefined || g.queued > 0 || g.rateLimitedTotal > 0);
  if (active.length > 0) {
    const rows = ['| Endpoint | Interval | Queued | In flight | 429s (10 min) | Cooldown |', '|---|---:|---:|---:|---:|---|'];
    for (const gate of active) {
      const cooldown = gate.cooldownUntil && gate.cooldownUntil > now ? `${formatDuration(gate.cooldownUntil - now)} (${escapeMarkdown(gate.cooldownReason ?? '429')})` : '';
      rows.push(
        `| ${gate.title} | ${(gate.intervalMs / 1000).toFixed(1)} s ${gate.intervalSource} | ${gate.queued} | ${gate.inFlight} | ${gate.rateLimitedRecent} | ${cooldown} |`,
      );
    }
    blocks.push(rows.join('\n'));
  }
  const polls: string[] = [];
  if (monitor?.polledAt !== undefined) {
    polls.push(`Last poll: ${formatUtcTime(monitor.polledAt, now)}, ${formatDuration(now - monitor.polledAt)} ago${monitor.stale ? ' (stale)' : ''}`);
  }
  if (monitor?.nextPollAt !== undefined) polls.push(`Next poll: in ${formatDuration(Math.max(0, monitor.nextPollAt - now))}`);
  else if (monitor) polls.push('Next poll: when the Vast.ai view is visible');
  if (polls.length) blocks.push(polls.join('  \n'));
  blocks.push('Click to open the log.');
  return blocks.join('\n\n');
}
