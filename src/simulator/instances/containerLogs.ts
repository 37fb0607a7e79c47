import type { InstanceRecord } from './record';

/** The first line of the extension's auto-stop watchdog (src/ui/autoStop/autoStopScript.ts). */
const AUTO_STOP_MARKER = '# vast-gpu-explorer auto-stop v1';
/** Images that ship nvidia-smi and curl, as CUDA-based images do; others lack them. */
const GPU_IMAGE = /cuda|pytorch|nvidia|vllm|tensorflow|vastai\//i;

/** What the watchdog prints when it starts on this image (the real one is tested with bash). */
function watchdogLine(record: InstanceRecord): string {
  return GPU_IMAGE.test(record.image)
    ? `vast-autostop: armed: instance ${record.id} stops itself as planned`
    : 'vast-autostop: NOT ARMED: missing nvidia-smi; this instance will not stop itself';
}

export interface LogOptions {
  /** Keep only the last N lines (Vast's `tail`, sent as a string). */
  tail?: number;
  /** Keep only lines containing this text. */
  filter?: string;
}

/** Plausible `docker logs` output for what the instance has been through up to `now`. */
export function containerLogs(record: InstanceRecord, now: number, options: LogOptions = {}): string {
  const lines: string[] = [];
  const say = (at: number, text: string) => lines.push(`${new Date(at).toISOString()} ${text}`);
  const image = record.image;
  for (const event of record.timeline) {
    if (event.at > now) break;
    const at = event.at;
    switch (event.status) {
      case 'created':
        say(at, `[vast] instance ${record.id} created on machine ${record.hardware.machine_id}`);
        break;
      case 'loading':
        if (event.msg?.startsWith('pulling')) {
          say(at, `Pulling image ${image}`);
          for (let layer = 1; layer <= 3; layer++) say(at + layer * 700, `${layerId(record.id, layer)}: Pulling fs layer`);
        } else if (event.msg?.includes('extracting')) {
          say(at, `Digest: sha256:${layerId(record.id, 9).repeat(5).slice(0, 64)}`);
          say(at + 200, `Status: Downloaded newer image for ${image}`);
        } else {
          say(at, 'Starting container');
        }
        break;
      case 'running':
        say(at, 'Starting OpenBSD Secure Shell server: sshd.');
        say(at + 150, 'Server listening on 0.0.0.0 port 22.');
        if (record.runtype.includes('jupyter')) say(at + 300, 'Jupyter Server is running at http://0.0.0.0:8080/');
        if (record.onstart) say(at + 500, 'Running onstart script');
        if (record.onstart?.startsWith(AUTO_STOP_MARKER)) say(at + 600, watchdogLine(record));
        const { num_gpus, gpu_name, driver_version } = record.hardware;
        say(at + 800, `nvidia-smi: ${num_gpus}x ${gpu_name}, driver ${driver_version}`);
        break;
      case 'exited':
        say(at, 'Traceback (most recent call last):');
        say(at, '  File "/workspace/start.py", line 12, in <module>');
        say(at, `RuntimeError: ${event.msg ?? 'container exited with error'}`);
        break;
      case 'stopped':
        say(at, 'Received SIGTERM, shutting down');
        break;
      case 'rebooting':
        say(at, 'Container restart requested');
        break;
      default:
        break;
    }
  }
  let kept = lines;
  if (options.filter) kept = kept.filter((line) => line.includes(options.filter!));
  if (options.tail !== undefined && options.tail >= 0) kept = kept.slice(Math.max(0, kept.length - options.tail));
  return kept.length ? `${kept.join('\n')}\n` : '';
}

function layerId(id: number, layer: number): string {
  return ((id * 2654435761 + layer * 40503) >>> 0).toString(16).padStart(8, '0').slice(0, 12);
}
