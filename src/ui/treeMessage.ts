import type { GateState } from '../api/endpointGate';
import type { MonitorSnapshot } from '../monitor/instanceMonitor';
import { formatDuration } from '../util/format';

export interface TreeMessageInput {
  now: number;
  snapshot: MonitorSnapshot;
  /** The client's gates: a list request waiting out a rate limit tells when it goes out. */
  gates: readonly GateState[];
  filter?: { text: string; shown: number; total: number };
  /** The account summary ("$4.91/h · $48.20 credit · ~10 h left"), shown first. */
  summary?: string;
}

export interface TreeMessage {
  text?: string;
  /** The text counts down: redraw it every second. */
  ticking: boolean;
}

/**
 * The lines above the Instances list (`TreeView.message`, which never scrolls away; the view's
 * description is hidden when it is the only view in its container): the account summary, how old
 * the list is and why, with the time to the next try, and the filter in force.
 */
export function treeMessage({ now, snapshot, gates, filter, summary }: TreeMessageInput): TreeMessage {
  const lines: string[] = summary ? [summary] : [];
  let ticking = false;
  // A poll held back by a rate limit has not failed yet, but the list is getting old all the same.
  const listCooling = gates.some((gate) => gate.endpoint === 'instances' && gate.cooldownUntil !== undefined && gate.cooldownUntil > now);
  const error = snapshot.lastError ?? (snapshot.polling && listCooling ? { kind: 'rate-limited' } : undefined);
  if (error) {
    const why = REASONS[error.kind] ?? 'the last refresh failed';
    const nextAt = nextTryAt(now, snapshot, gates);
    const next = nextAt !== undefined ? `, next try in ${formatDuration(Math.max(0, nextAt - now))}` : snapshot.polling ? ', trying again now' : '';
    if (snapshot.polledAt !== undefined) {
      lines.push(`⚠ As of ${formatDuration(now - snapshot.polledAt)} ago · ${capitalise(why)}${next}.`);
    } else {
      lines.push(`⚠ Could not list instances: ${why}${next}.`);
    }
    ticking = true;
  }
  if (filter) lines.push(`Filter "${filter.text}": ${filter.shown} of ${filter.total} shown.`);
  return { text: lines.length ? lines.join('\n') : undefined, ticking };
}

const REASONS: Record<string, string> = {
  'rate-limited': 'Vast.ai is rate-limiting',
  network: "can't reach Vast.ai",
  server: 'Vast.ai is having trouble',
  'invalid-response': 'Vast.ai sent an answer that could not be read',
  auth: 'Vast.ai rejected the API key',
  quota: 'the account is out of requests for now',
};

function nextTryAt(now: number, snapshot: MonitorSnapshot, gates: readonly GateState[]): number | undefined {
  const cooling = gates.find((gate) => gate.endpoint === 'instances' && gate.cooldownUntil !== undefined && gate.cooldownUntil > now);
  const candidates = [snapshot.nextPollAt, cooling?.cooldownUntil].filter((at): at is number => at !== undefined && at > now);
  return candidates.length ? Math.max(...candidates) : undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
