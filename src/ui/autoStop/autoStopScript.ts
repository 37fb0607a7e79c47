/**
 * The auto-stop watchdog: a bash snippet put at the head of the instance's on-start script. It runs
 * on the instance itself, so it works with the editor closed or the laptop asleep. It reads
 * `nvidia-smi` and stops its own instance through Vast's API with the instance's own key
 * (`CONTAINER_API_KEY`, which may only start, stop or destroy that instance), never the user's key.
 * Every line it writes starts with "vast-autostop:" and goes to the container log and to
 * /var/log/vast-autostop.log; the extension reads "armed" / "NOT ARMED" from the log.
 */
export interface AutoStopPlan {
  /** Stop after this many minutes with every GPU below `thresholdPercent`. */
  idleMinutes?: number;
  /** GPU utilisation (%) under which a GPU counts as idle (default 5). */
  thresholdPercent?: number;
  /** Stop at this moment (epoch ms). A moment already past when the instance boots is not enforced. */
  stopAtMs?: number;
}

export interface ScriptOptions {
  /** The Vast API host, e.g. https://console.vast.ai (the configured one). */
  apiUrl: string;
  /** Seconds between readings (default 60). Tests shorten it. */
  checkSeconds?: number;
  /** Idle span in seconds instead of `idleMinutes` × 60 (tests only: a span of seconds). */
  idleSecondsOverride?: number;
}

export const AUTO_STOP_MARKER = '# vast-gpu-explorer auto-stop v1';
export const ARMED_LINE = 'vast-autostop: armed';
export const NOT_ARMED_LINE = 'vast-autostop: NOT ARMED';
const DEFAULT_THRESHOLD = 5;

/** The plan an instance's on-start script carries (its first line), or undefined when it has none. */
export function readAutoStopPlan(onstart: string | null | undefined): AutoStopPlan | undefined {
  if (typeof onstart !== 'string' || !onstart.startsWith(AUTO_STOP_MARKER)) return undefined;
  const header = onstart.slice(0, onstart.indexOf('\n') >>> 0);
  const field = (name: string) => {
    const match = header.match(new RegExp(`\\b${name}=(\\d+)\\b`));
    return match ? Number(match[1]) : undefined;
  };
  const idle = field('idle');
  const at = field('at');
  const plan: AutoStopPlan = { thresholdPercent: field('threshold') ?? DEFAULT_THRESHOLD };
  if (idle) plan.idleMinutes = idle;
  if (at) plan.stopAtMs = at * 1000;
  return plan.idleMinutes || plan.stopAtMs ? plan : undefined;
}

/** The watchdog for `plan`, to put before the person's own on-start commands. */
export function autoStopScript(plan: AutoStopPlan, options: ScriptOptions): string {
  const idleMinutes = plan.idleMinutes;
  if (idleMinutes !== undefined && !(Number.isInteger(idleMinutes) && idleMinutes >= 1 && idleMinutes <= 7 * 24 * 60)) {
    throw new Error(`Idle minutes must be a whole number from 1 to ${7 * 24 * 60}, got ${idleMinutes}.`);
  }
  const threshold = plan.thresholdPercent ?? DEFAULT_THRESHOLD;
  if (!(threshold > 0 && threshold <= 100)) throw new Error(`The idle threshold must be 1-100 %, got ${threshold}.`);
  const stopAt = plan.stopAtMs === undefined ? 0 : Math.floor(plan.stopAtMs / 1000);
  if (!idleMinutes && !stopAt) throw new Error('Auto-stop needs an idle span or a stop time.');
  const api = checkedApiUrl(options.apiUrl);
  const idleSeconds = options.idleSecondsOverride ?? (idleMinutes ?? 0) * 60;
  const check = options.checkSeconds ?? 60;
  if (!(check > 0)) throw new Error('checkSeconds must be positive.');
  const header = `${AUTO_STOP_MARKER} idle=${idleMinutes ?? 0} threshold=${threshold} at=${stopAt}`;
  // Kept short: Vast allows 4096 characters for on-start and args together.
  return `${header}
vast_autostop() {
  local api='${api}' idle=${idleSeconds} limit=${threshold} at=${stopAt} every=${check}
  log() { echo "vast-autostop: $*"; echo "$(date -u +%FT%TZ) vast-autostop: $*" >>/var/log/vast-autostop.log 2>/dev/null; }
  local id="\${CONTAINER_ID:-\${VAST_CONTAINERLABEL#C.}}" key="$CONTAINER_API_KEY"
  if [ -z "$key" ] && [ -r /proc/1/environ ]; then key=$( { tr '\\0' '\\n' </proc/1/environ; } 2>/dev/null | sed -n 's/^CONTAINER_API_KEY=//p'); fi
  local missing=""
  command -v curl >/dev/null || missing="curl"
  [ "$idle" -gt 0 ] && ! command -v nvidia-smi >/dev/null && missing="$missing nvidia-smi"
  [ -z "$id" ] || [ -z "$key" ] && missing="$missing CONTAINER_ID/CONTAINER_API_KEY"
  if [ -n "$missing" ]; then log "NOT ARMED: missing \${missing# }; this instance will not stop itself"; return 1; fi
  local now; now=$(date +%s)
  if [ "$at" -gt 0 ] && [ "$now" -ge "$at" ]; then log "stop time $(date -u -d @$at +%FT%TZ 2>/dev/null || echo $at) passed before this boot: not enforced"; at=0; fi
  if [ "$idle" -le 0 ] && [ "$at" -le 0 ]; then log "NOT ARMED: nothing left to enforce"; return 1; fi
  log "armed: instance $id stops after $idle s with every GPU below $limit %$([ "$at" -gt 0 ] && echo ", or at epoch $at")"
  local since="" busy why
  while sleep "$every"; do
    now=$(date +%s); why=""
    if [ "$at" -gt 0 ] && [ "$now" -ge "$at" ]; then why="stop time reached"; fi
    if [ -z "$why" ] && [ "$idle" -gt 0 ]; then
      busy=$(nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits 2>/dev/null | awk -v l="$limit" 'BEGIN{b=-1} /^ *[0-9.]+ *$/{if(b<0)b=0; if($1+0>=l)b=1} END{print b}')
      if [ "$busy" = 0 ]; then
        since=\${since:-$now}
        [ $((now - since)) -gt "$idle" ] && why="GPU idle for $((now - since)) s"
      else since=""; fi
    fi
    [ -z "$why" ] && continue
    log "stopping instance $id: $why"
    if curl -fsS -m 30 -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"state":"stopped"}' "$api/api/v0/instances/$id/" >/dev/null; then log "stop requested"; return 0; fi
    log "stop request failed; retrying"; since=""
  done
}
vast_autostop &
`;
}

function checkedApiUrl(raw: string): string {
  const url = new URL(raw);
  const loopback = /^(localhost|127(?:\.\d{1,3}){3})$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`The API URL must be https, got ${url.origin}.`);
  if (/['"\\$`\s]/.test(url.origin)) throw new Error('The API URL contains characters that cannot go into a script.');
  return url.origin;
}
