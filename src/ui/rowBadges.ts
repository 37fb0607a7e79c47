import type { Instance } from '../vast/types';
import type { InstanceWatch } from './instanceWatch';

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

/**
 * The session's watch (idle GPUs, pending destroys, auto-stop), which the rows read. Set by the
 * session owner; a module slot because rows are built from an instance and a time alone.
 */
let watch: InstanceWatch | undefined;

export function useInstanceWatch(next: InstanceWatch | undefined): void {
  watch = next;
}

/** Every marker for this instance at `now`, in display order. Keep it cheap: it runs per row per poll. */
export function rowBadges(instance: Instance, _now: number, source: InstanceWatch | undefined = watch): RowBadge[] {
  const badges: RowBadge[] = [];
  if (source?.isDestroyPending(instance.id)) {
    badges.push({
      text: 'destroy pending',
      icon: 'warning',
      tooltip: 'Destroyed, but Vast.ai still lists it after several polls: it may still be billing. Destroy it again, or check the Vast.ai console.',
    });
  }
  if (isOutbid(instance)) {
    badges.push({
      text: 'outbid',
      icon: 'arrow-down',
      tooltip: 'A higher bid took its GPU: Vast.ai stopped it and restarts it when its bid wins again. Its disk is still billed.',
    });
  } else if (instance.is_bid === true) {
    badges.push({
      text: 'interruptible',
      icon: 'zap',
      tooltip: 'Rented at a bid price: cheaper, but Vast.ai stops it when someone bids more (it is not destroyed).',
    });
  }
  const idleMs = source?.idleFor(instance.id);
  if (idleMs !== undefined) {
    badges.push({
      text: `idle ${idleText(idleMs)}`,
      icon: 'debug-pause',
      tooltip: `Its GPU has been nearly unused for ${idleText(idleMs)} while it is billed as running. Stop it to pay only for storage.`,
    });
  }
  const autoStop = source?.autoStopStatus(instance.id);
  if (autoStop) {
    const what = [
      autoStop.plan.idleMinutes ? `after ${autoStop.plan.idleMinutes} min of GPU idle` : undefined,
      autoStop.plan.stopAtMs ? `at ${new Date(autoStop.plan.stopAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC` : undefined,
    ].filter(Boolean).join(' or ');
    const enforcer = 'A watchdog on the instance itself stops it with the instance’s own key, even with VS Code closed.';
    switch (autoStop.state) {
      case 'armed':
        badges.push({ text: 'auto-stop', icon: 'clock', tooltip: `Auto-stop armed: stops ${what}. ${enforcer}` });
        break;
      case 'not-armed':
        badges.push({
          text: 'auto-stop: not armed',
          icon: 'warning',
          tooltip: `Auto-stop is NOT armed: the watchdog could not run on this image (it needs nvidia-smi and curl; see the instance log). It will not stop ${what} by itself.`,
        });
        break;
      case 'unconfirmed':
        badges.push({ text: 'auto-stop?', icon: 'clock', tooltip: `Auto-stop set (stops ${what}), but its log does not confirm it armed. ${enforcer}` });
        break;
      default:
        if (instance.actual_status === 'running') badges.push({ text: 'auto-stop…', icon: 'clock', tooltip: `Auto-stop set (stops ${what}); checking the instance log that it armed.` });
    }
  }
  return badges;
}

/** Interruptible and stopped while it still wants to run: a higher bid took the GPU. */
export function isOutbid(instance: Instance): boolean {
  if (instance.is_bid !== true) return false;
  if (typeof instance.status_msg === 'string' && /outbid/i.test(instance.status_msg)) return true;
  return instance.actual_status === 'stopped' && instance.intended_status === 'running';
}

/** "45 min", "2 h 5 min": idle spans in whole minutes. */
export function idleText(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
