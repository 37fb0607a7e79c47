import type { Clock } from '../../util/clock';
import type { FlowContext } from '../flowContext';
import { BACK, type PickItem } from '../prompter';
import type { Step } from '../flows/common';
import type { AutoStopPlan } from './autoStopScript';

interface ChoiceItem extends PickItem {
  choice: 'none' | 'idle' | 'at';
}

export const NO_AUTO_STOP = 'No auto-stop';
export const STOP_WHEN_IDLE = 'Stop after N minutes of GPU idle…';
export const STOP_AT = 'Stop at a time…';
const MAX_AHEAD_MS = 30 * 24 * 3600_000;

/**
 * The create step that offers auto-stop (optional): none, "stop after N minutes of GPU idle", or
 * "stop at a time". `state.plan` is left undefined for none.
 */
export function autoStopStep(ctx: FlowContext, state: { autoStop?: AutoStopPlan }): Step {
  return async (at) => {
    for (;;) {
      const items: ChoiceItem[] = [
        { choice: 'none', label: NO_AUTO_STOP, description: 'you stop or destroy it yourself' },
        { choice: 'idle', label: STOP_WHEN_IDLE, description: `GPU under ${ctx.settings.idleGpuPercent} %` },
        { choice: 'at', label: STOP_AT, description: 'e.g. 23:30, or 2026-12-24 08:00' },
      ];
      const current = state.autoStop?.idleMinutes ? 'idle' : state.autoStop?.stopAtMs ? 'at' : 'none';
      const picked = await ctx.prompter.pick(
        items.map((item) => ({ ...item, picked: item.choice === current })),
        { ...at, placeholder: 'Auto-stop (optional): enforced on the instance itself, so it works with VS Code closed' },
      );
      if (picked === undefined || picked === BACK) return picked;
      if (picked.choice === 'none') {
        state.autoStop = undefined;
        return 'next';
      }
      if (picked.choice === 'idle') {
        const typed = await ctx.prompter.input({
          ...at,
          prompt: `Minutes of GPU idle (every GPU under ${ctx.settings.idleGpuPercent} %) before the instance stops itself`,
          value: String(state.autoStop?.idleMinutes ?? ctx.settings.idleMinutes),
          validate: validateIdleMinutes,
        });
        if (typed === undefined || typed === BACK) continue;
        state.autoStop = { idleMinutes: Number(typed.trim()), thresholdPercent: ctx.settings.idleGpuPercent };
        return 'next';
      }
      const typed = await ctx.prompter.input({
        ...at,
        prompt: 'Stop at (your local time): HH:MM for the next such time, or YYYY-MM-DD HH:MM',
        placeholder: 'e.g. 23:30',
        validate: (text) => {
          const parsed = parseStopTime(text, ctx.clock);
          return typeof parsed === 'string' ? parsed : undefined;
        },
      });
      if (typed === undefined || typed === BACK) continue;
      const stopAtMs = parseStopTime(typed, ctx.clock);
      if (typeof stopAtMs === 'number') {
        state.autoStop = { stopAtMs };
        return 'next';
      }
    }
  };
}

export function validateIdleMinutes(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter whole minutes, e.g. 30.';
  const minutes = Number(trimmed);
  if (minutes < 5) return 'At least 5 minutes: shorter spans stop instances between steps of a job.';
  if (minutes > 7 * 24 * 60) return 'At most a week (10080 minutes).';
  return undefined;
}

/** Epoch ms for "23:30" (next occurrence) or "2026-12-24 08:00" (local time), or why not. */
export function parseStopTime(text: string, clock: Pick<Clock, 'now'>): number | string {
  const trimmed = text.trim();
  const now = new Date(clock.now());
  let when: Date;
  const timeOnly = trimmed.match(/^(\d{1,2}):(\d{2})$/);
  const full = trimmed.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/);
  if (timeOnly) {
    const [hours, minutes] = [Number(timeOnly[1]), Number(timeOnly[2])];
    if (hours > 23 || minutes > 59) return 'Not a time of day: use HH:MM, e.g. 23:30.';
    when = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
    if (when.getTime() <= now.getTime()) when = new Date(when.getFullYear(), when.getMonth(), when.getDate() + 1, hours, minutes);
  } else if (full) {
    const [y, mo, d, h, mi] = full.slice(1).map(Number);
    when = new Date(y, mo - 1, d, h, mi);
    if (when.getMonth() !== mo - 1 || when.getDate() !== d || h > 23 || mi > 59) return 'Not a valid date and time.';
  } else {
    return 'Use HH:MM (e.g. 23:30) or YYYY-MM-DD HH:MM.';
  }
  const ahead = when.getTime() - now.getTime();
  if (ahead < 5 * 60_000) return 'Pick a time at least 5 minutes from now.';
  if (ahead > MAX_AHEAD_MS) return 'Pick a time within 30 days.';
  return when.getTime();
}

/** "stops itself after 30 min of GPU idle" / "stops itself at 2026-12-02 23:30 UTC". */
export function describeAutoStop(plan: AutoStopPlan): string {
  const parts: string[] = [];
  if (plan.idleMinutes) parts.push(`after ${plan.idleMinutes} min of GPU idle (every GPU under ${plan.thresholdPercent ?? 5} %)`);
  if (plan.stopAtMs) parts.push(`at ${new Date(plan.stopAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return `stops itself ${parts.join(' or ')}`;
}
