import type { VastClient } from '../api/vastClient';
import type { InstanceMonitor } from '../monitor/instanceMonitor';
import type { Clock } from '../util/clock';
import type { InstanceWatch } from './instanceWatch';
import type { Prompter } from './prompter';
import type { ExtensionSettings } from './settings';
import type { Workbench } from './workbench';

/** Small things worth remembering between sessions (not secrets): kept in VS Code's globalState. */
export interface FlowMemory {
  recentImages(): string[];
  rememberImage(image: string): Promise<void>;
  /** The filters of the last offer search, to start the next one from (plain JSON, nothing secret). */
  lastOfferFilters(): unknown;
  rememberOfferFilters(filters: object): Promise<void>;
  /** Instances the person chose to keep running although idle ("Keep": never asked again about them). */
  keptIdle?(): number[];
  keepIdle?(id: number): Promise<void>;
}

/** What every command flow works with. Built by the VS Code layer; built by tests with a scripted prompter. */
export interface FlowContext {
  client: VastClient;
  monitor: InstanceMonitor;
  prompter: Prompter;
  workbench: Workbench;
  settings: ExtensionSettings;
  memory: FlowMemory;
  clock: Clock;
  /** Running against the built-in simulator: say so wherever money would be involved. */
  simulated: boolean;
  /** Idle GPUs, pending destroys, credit and auto-stop state of this session (when the session keeps one). */
  watch?: InstanceWatch;
  /** Where ~/.ssh is looked for (default: the user's home; tests use a temporary one). */
  homeDir?: string;
  /** Runs ssh-keygen (tests substitute one). */
  keygen?: (args: string[]) => Promise<void>;
  /** A line for the "Vast.ai" log (never the key). */
  log(message: string): void;
}
