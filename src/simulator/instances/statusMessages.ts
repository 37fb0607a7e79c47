import type { InstanceStatus } from '../../vast/types';
import type { Random } from '../random/prng';

/** `status_msg` texts in Vast's style. Exit messages all contain "error", as clients look for it. */
const EXIT_MESSAGES = [
  'Error response from daemon: failed to create task for container: OCI runtime create failed: exec: "/start.sh": permission denied',
  'container exited with error: exit code 1',
  'Error: CUDA driver version is insufficient for CUDA runtime version',
  'Error response from daemon: manifest unknown: image not found',
];

export function primaryRuntype(runtype: string): 'ssh' | 'jupyter' | 'args' {
  if (runtype.includes('jupyter')) return 'jupyter';
  if (runtype.includes('args')) return 'args';
  return 'ssh';
}

export const statusMessages = {
  created: () => 'Instance created, waiting for the host',
  pulling: (image: string) => `pulling image ${image}`,
  extracting: (image: string) => `${image}: extracting layers`,
  starting: () => 'starting container',
  running: (image: string, runtype: string) => `success, running ${image}/${primaryRuntype(runtype)}`,
  exited: (random: Random) => random.pick(EXIT_MESSAGES),
  stopped: () => 'Instance stopped',
  rebooting: () => 'rebooting container',
  offline: () => 'host offline: no heartbeat for 300 s',
  unknown: () => 'no recent heartbeat from the host',
};

/** A plausible message for a status set directly by a test or seed. */
export function defaultMessage(status: InstanceStatus | null, image: string, runtype: string, random: Random): string | null {
  switch (status) {
    case null:
      return null;
    case 'created':
      return statusMessages.created();
    case 'loading':
      return statusMessages.pulling(image);
    case 'running':
    case 'frozen':
      return statusMessages.running(image, runtype);
    case 'exited':
      return statusMessages.exited(random);
    case 'stopped':
      return statusMessages.stopped();
    case 'rebooting':
      return statusMessages.rebooting();
    case 'offline':
      return statusMessages.offline();
    case 'unknown':
      return statusMessages.unknown();
  }
}
