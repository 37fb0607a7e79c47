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
  /** The other processes sharing this key's budget (other VS Code windows, scripts); absent or empty when none. */
  sharedWith?: readonly { kind: string }[];
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
    const shared = sharingText(input.sharedWith);
    return {
      state,
      text: `$(${icon}) ${name}${detail ? `: ${detail}` : shared && state === 'clear' ? ` · ${shared}` : ''}`,
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
  if (input.key === 'rejected' || monitor?.lastError?.kind === 'auth') return { state: 'key-problem', detail: 'API key rejected', ticking: false };
  const cooling = input.gates
    .filter((gate) => gate.cooldownUntil !== undefined && gate.cooldownUntil > now)
    .sort((a, b) => b.cooldownUntil! - a.cooldownUntil!);
  if (cooling.length > 0) {
    const [longest] = cooling;
    return { state: 'throttled', detail: `waiting ${formatDuration(longest.cooldownUntil! - now)} (rate limit)`, ticking: true };
  }
  const age = monitor?.polledAt !== undefined ? formatDuration(now - monitor.polledAt) : undefined;
  const kind = monitor?.lastError?.kind;
  if (kind === 'network' || kind === 'server' || kind === 'invalid-response' || kind === 'unexpected') {
    return { state: 'offline', detail: age ? `offline, list ${age} old` : 'offline', ticking: age !== undefined };
  }
  if (kind === 'rate-limited') return { state: 'cached', detail: age ? `rate-limited, list ${age} old` : 'rate-limited', ticking: age !== undefined };
  if (input.staleSearch && now - input.staleSearch.at < STALE_SEARCH_SHOWN_MS) {
    return { state: 'cached', detail: `rate-limited, search ${formatDuration(input.staleSearch.ageMs)} old`, ticking: false };
  }
  return { state: 'clear', ticking: false };
}

const EXPLANATIONS: Record<IndicatorState, string> = {
  clear: 'All clear: requests go out as fast as Vast.ai allows, and no faster.',
  throttled: 'Waiting: Vast.ai answered "too many requests", so requests to that endpoint wait, then go out spaced further apart. Nothing is lost.',
  cached: 'Showing saved data: Vast.ai is rate-limiting, so the last good answer is shown, with its age.',
  offline: 'Offline: Vast.ai could not be reached; the last good data is shown and the extension keeps trying.',
  'key-problem': 'Vast.ai rejected the API key. Run "Vast.ai: Set API Key".',
  'no-key': 'No API key: run "Vast.ai: Set API Key", import the Vast CLI\'s key, or try the simulator.',
};

/** How the spacing between requests was decided, in words. */
const SPACING_SOURCES: Record<string, string> = {
  published: "Vast.ai's published limit",
  configured: 'your setting',
  learned: 'learned: Vast.ai asked for more',
};

/** "shared with 2 other windows", "shared with 1 other window and 1 script"; undefined when alone. */
export function sharingText(others: readonly { kind: string }[] | undefined): string | undefined {
  if (!others?.length) return undefined;
  const windows = others.filter((other) => other.kind === 'window').length;
  const scripts = others.length - windows;
  const parts = [
    windows ? `${windows} other window${windows === 1 ? '' : 's'}` : '',
    scripts ? `${scripts} ${windows ? '' : 'other '}script${scripts === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `shared with ${parts.join(' and ')}`;
}

function tooltipOf(input: IndicatorInput, state: IndicatorState, name: string): string {
  const { now, monitor } = input;
  const blocks = [`**${name}** — ${EXPLANATIONS[state]}`];
  if (monitor?.lastError) blocks.push(`Last error: ${escapeMarkdown(monitor.lastError.message)}`);
  const active = input.gates.filter((g) => g.lastRequestAt !== undefined || g.queued > 0 || g.rateLimitedTotal > 0);
  if (active.length > 0) {
    const rows = ['| Endpoint | At most one request per | Waiting | Sent | "Too many" (10 min) | Paused |', '|---|---|---:|---:|---:|---|'];
    for (const gate of active) {
      const cooldown = gate.cooldownUntil && gate.cooldownUntil > now ? `${formatDuration(gate.cooldownUntil - now)} (${escapeMarkdown(pauseReason(gate.cooldownReason))})` : '';
      rows.push(
        `| ${gate.title} | ${(gate.intervalMs / 1000).toFixed(1)} s (${SPACING_SOURCES[gate.intervalSource] ?? gate.intervalSource}) | ${gate.queued} | ${gate.inFlight} | ${gate.rateLimitedRecent} | ${cooldown} |`,
      );
    }
    blocks.push(rows.join('\n'));
    if (active.some((gate) => gate.intervalSource === 'learned')) {
      blocks.push('*Learned*: Vast.ai\'s "too many requests" answer said how long to wait between requests (its *threshold*), so the extension now keeps to that, with a small margin.');
    }
  }
  const shared = sharingText(input.sharedWith);
  if (shared) blocks.push(`Rate limits ${shared}: one budget per key on this machine, and one instance poll for all of them.`);
  const polls: string[] = [];
  if (monitor?.polledAt !== undefined) {
    polls.push(`Last poll: ${formatUtcTime(monitor.polledAt, now)}, ${formatDuration(now - monitor.polledAt)} ago${monitor.stale ? ' (its data is old: the last try failed)' : ''}`);
  }
  const listCooling = input.gates.find((g) => g.endpoint === 'instances' && g.cooldownUntil !== undefined && g.cooldownUntil > now);
  if (monitor?.polling) {
    polls.push(listCooling ? `Next poll: in ${formatDuration(listCooling.cooldownUntil! - now)} (waiting for the rate limit)` : 'Next poll: now, in progress');
  } else if (monitor?.nextPollAt !== undefined) {
    polls.push(`Next poll: in ${formatDuration(Math.max(0, monitor.nextPollAt - now, (listCooling?.cooldownUntil ?? 0) - now))}`);
  } else if (monitor) {
    polls.push('Next poll: when the Vast.ai view is visible (or a wait needs it)');
  }
  if (polls.length) blocks.push(polls.join('  \n'));
  blocks.push('Click to open the log.');
  return blocks.join('\n\n');
}

/** "threshold=6" → words a person reads. */
function pauseReason(reason: string | undefined): string {
  if (!reason) return 'rate limit';
  const threshold = reason.match(/^threshold=([\d.]+)/);
  if (threshold) return `Vast.ai asked for ${threshold[1]} s between requests`;
  if (/^retry-after/i.test(reason)) return `Vast.ai said when to retry`;
  if (reason === 'backoff') return 'backing off: Vast.ai gave no wait time';
  return reason;
}
