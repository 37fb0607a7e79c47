import type { LimitMemoryStore } from '../api/limitMemory';
import { VastClient } from '../api/vastClient';
import { InstanceMonitor } from '../monitor/instanceMonitor';
import { coordinationOf } from '../coordination/processCoordination';
import type { Simulator } from '../simulator/simulator';
import type { Clock } from '../util/clock';
import type { User } from '../vast/types';
import type { ExtensionSettings } from './settings';

export interface SessionSharing {
  readonly participants: readonly { pid: number; kind: string }[];
  onDidChangeParticipants(listener: () => void): { dispose(): void };
}

/**
 * One connection: a client and its monitor for one key on one host, or for the built-in simulator.
 * Settings or key changes make a new session; the old one is disposed (its polling stops).
 */
export class Session {
  private user?: User;

  private constructor(
    readonly client: VastClient,
    readonly monitor: InstanceMonitor,
    readonly simulator: Simulator | undefined,
  ) {}

  get simulated(): boolean {
    return this.simulator !== undefined;
  }

  /** The other processes on this session's budget, when it is shared across processes. */
  get sharing(): SessionSharing | undefined {
    return coordinationOf(this.client.rateLimits);
  }

  /** The account as last read (credit), if it was. */
  get account(): User | undefined {
    return this.user;
  }

  /** `limitMemory`: where learned limits are kept (the extension's globalState); default as VastClient's. */
  static forKey(apiKey: string, settings: ExtensionSettings, clock: Clock, limitMemory?: LimitMemoryStore): Session {
    const client = new VastClient({ apiKey, baseUrl: settings.apiUrl, clock, limitMemory, ...clientOptions(settings) });
    return new Session(client, monitorFor(client, settings, clock), undefined);
  }

  /** Starts the demo simulator in this process and connects to it. */
  static async simulated(settings: ExtensionSettings, clock: Clock): Promise<Session> {
    // Loaded only in demo mode: in the shipped build it is its own file (esbuild splitting).
    const { startDemoSimulator } = await import('../simulator/demoScenario');
    const simulator = await startDemoSimulator({ clock });
    const client = new VastClient({ apiKey: simulator.apiKey, baseUrl: simulator.url, clock, ...clientOptions(settings) });
    return new Session(client, monitorFor(client, settings, clock), simulator);
  }

  /** Reads the credit; failures are left to the caller to show (the tree keeps the old value). */
  async refreshAccount(signal?: AbortSignal): Promise<User> {
    this.user = await this.client.currentUser({ signal });
    return this.user;
  }

  async dispose(): Promise<void> {
    this.monitor.dispose();
    this.client.dispose();
    await this.simulator?.close();
  }
}

function clientOptions(settings: ExtensionSettings) {
  return {
    intervalsMs: settings.requestIntervalsMs,
    maxRetries: settings.maxRetries,
    searchCacheTtlMs: settings.searchCacheSeconds * 1000,
    userAgent: 'vast-gpu-explorer-vscode',
  };
}

function monitorFor(client: VastClient, settings: ExtensionSettings, clock: Clock): InstanceMonitor {
  return new InstanceMonitor(client, { clock, policy: { normalMs: settings.refreshIntervalSeconds * 1000 } });
}
