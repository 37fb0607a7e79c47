import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InstanceMonitor } from '../../src/monitor/instanceMonitor';
import type { FlowContext, FlowMemory } from '../../src/ui/flowContext';
import { DEFAULT_SETTINGS, type ExtensionSettings } from '../../src/ui/settings';
import type { RemoteSshSupport } from '../../src/ui/workbench';
import type { VastClientOptions } from '../../src/api/vastClient';
import type { SimulatorOptions } from '../../src/simulator';
import { startClientHarness, type ClientHarness } from './clientHarness';
import { fakePublicKey } from './sshKeyFixtures';
import { RecordingWorkbench } from './recordingWorkbench';
import { ScriptedPrompter } from './scriptedPrompter';

/** Recent images in memory (the product keeps them in globalState). */
export class MemoryStub implements FlowMemory {
  constructor(public images: string[] = []) {}
  kept: number[] = [];
  keptIdle(): number[] {
    return [...this.kept];
  }
  async keepIdle(id: number): Promise<void> {
    if (!this.kept.includes(id)) this.kept.push(id);
  }
  recentImages(): string[] {
    return [...this.images];
  }
  async rememberImage(image: string): Promise<void> {
    this.images = [image, ...this.images.filter((i) => i !== image)].slice(0, 8);
  }
  offerFilters: unknown;
  lastOfferFilters(): unknown {
    return this.offerFilters === undefined ? undefined : JSON.parse(JSON.stringify(this.offerFilters));
  }
  async rememberOfferFilters(filters: object): Promise<void> {
    this.offerFilters = JSON.parse(JSON.stringify(filters));
  }
}

export interface FlowHarness extends ClientHarness {
  ctx: FlowContext;
  prompter: ScriptedPrompter;
  workbench: RecordingWorkbench;
  monitor: InstanceMonitor;
  memory: MemoryStub;
  settings: ExtensionSettings;
  /** Lines the flows wrote to the log. */
  logs: string[];
  /** A private directory for SSH config files. */
  tmpDir: string;
  /** Where the Remote-SSH extension (when present) reads its hosts: `<tmp>/ssh/config` (not created). */
  sshConfigFile: string;
  /** Runs a flow to completion on virtual time, then checks the script was followed exactly. */
  flow<T>(work: Promise<T>): Promise<T>;
}

export interface FlowHarnessOptions {
  simulator?: SimulatorOptions;
  client?: Partial<VastClientOptions>;
  settings?: Partial<ExtensionSettings>;
  /** A Remote-SSH extension is installed (default true). */
  remoteSsh?: boolean;
  /** Installing Remote-SSH makes it appear (default) or fails. */
  installFails?: boolean;
  simulated?: boolean;
  recentImages?: string[];
  /** A key pair in the flows' ~/.ssh, its public key on the account (default true). */
  localSshKey?: boolean;
}

/** A FlowContext over the simulator on a virtual clock, with a scripted prompter and a recording workbench. */
export async function startFlowHarness(options: FlowHarnessOptions = {}): Promise<FlowHarness> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-flows-'));
  // The home directory the flows see: ~/.ssh/id_ed25519(.pub), its public key on the account (so
  // seeded instances accept it), unless a test wants no local key.
  const homeKey = fakePublicKey('flow-harness', 'me@laptop');
  if (options.localSshKey !== false) {
    fs.mkdirSync(path.join(tmpDir, '.ssh'), { mode: 0o700 });
    fs.writeFileSync(path.join(tmpDir, '.ssh', 'id_ed25519.pub'), `${homeKey}\n`);
    fs.writeFileSync(path.join(tmpDir, '.ssh', 'id_ed25519'), 'not a real private key\n', { mode: 0o600 });
  }
  const simulator = { lifecycle: { failureRate: 0 }, sshKeys: options.localSshKey === false ? [] : [homeKey], ...options.simulator };
  const h = await startClientHarness({ simulator, client: options.client });
  const monitor = new InstanceMonitor(h.client, { clock: h.clock });
  const sshConfigFile = path.join(tmpDir, 'ssh', 'config');
  const remote: RemoteSshSupport = { extensionId: 'ms-vscode-remote.remote-ssh', configFile: sshConfigFile };
  const workbench = new RecordingWorkbench(options.remoteSsh === false ? undefined : remote, {
    becomes: remote,
    fails: options.installFails ? new Error('The marketplace is not reachable.') : undefined,
  });
  const prompter = new ScriptedPrompter();
  const memory = new MemoryStub(options.recentImages);
  const settings: ExtensionSettings = { ...DEFAULT_SETTINGS, useSimulator: true, ...options.settings };
  const logs: string[] = [];
  const ctx: FlowContext = {
    client: h.client,
    monitor,
    prompter,
    workbench,
    settings,
    memory,
    clock: h.clock,
    simulated: options.simulated ?? true,
    homeDir: tmpDir,
    log: (message) => logs.push(message),
  };
  return {
    ...h,
    ctx,
    prompter,
    workbench,
    monitor,
    memory,
    settings,
    logs,
    tmpDir,
    sshConfigFile,
    async flow<T>(work: Promise<T>): Promise<T> {
      let result: T;
      try {
        result = await h.run(work);
      } catch (error) {
        if (prompter.problems.length) throw new Error(`${prompter.problems.join('; ')}\nPrompts seen:\n${prompter.transcript()}`);
        throw error;
      }
      prompter.assertDone();
      return result;
    },
    async close() {
      monitor.dispose();
      await h.close();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
