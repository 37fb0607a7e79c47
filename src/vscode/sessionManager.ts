import * as vscode from 'vscode';
import type { LimitMemoryStore } from '../api/limitMemory';
import type { KeyStore } from '../ui/apiKeyFlows';
import { storageProblem } from '../ui/apiKeyFlows';
import { findCliKey } from '../ui/cliKeyImport';
import type { Session } from '../ui/session';
import type { ExtensionSettings } from '../ui/settings';
import type { Clock } from '../util/clock';
import type { OutputLog } from './outputLog';
import { errorMessage } from '../util/errorMessage';
import { COMMANDS, CONTEXT_KEYS } from './contributions';
import { isDefaultApiHost } from '../ui/settingsReader';
import type { SessionRuntimeLoader } from './sessionRuntimeLoader';

export type KeyState = 'ok' | 'missing' | 'rejected';
export type Mode = 'none' | 'api' | 'simulator';

/**
 * Which session is live: the built-in simulator when `vastai.useSimulator` is on, else the stored
 * key for `vastai.apiUrl`, else none (the view shows its welcome content). Rebuilt when the key or
 * the settings change; context keys let menus and welcome content follow.
 */
export class SessionManager implements vscode.Disposable {
  private session?: Session;
  private keyState: KeyState = 'missing';
  private generation = 0;
  private offeredCliKey = false;
  private starting?: Promise<void>;
  private readonly changed = new vscode.EventEmitter<Session | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** The session changed (or went away). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: KeyStore,
    private readonly settings: () => ExtensionSettings,
    private readonly clock: Clock,
    private readonly log: OutputLog,
    /** Where the Session class comes from (loaded on first use). */
    private readonly runtime: SessionRuntimeLoader,
    /** Where sessions keep learned rate limits (globalState). */
    private readonly limitMemory?: LimitMemoryStore,
  ) {}

  get current(): Session | undefined {
    return this.session;
  }

  get key(): KeyState {
    return this.keyState;
  }

  get mode(): Mode {
    return !this.session ? 'none' : this.session.simulated ? 'simulator' : 'api';
  }

  /** Vast answered 401 to the current key. */
  markKeyRejected(): void {
    if (this.keyState === 'rejected' || !this.session || this.session.simulated) return;
    this.keyState = 'rejected';
    this.changed.fire(this.session);
    void vscode.window
      .showErrorMessage('Vast.ai rejected the API key (revoked, or invalidated by two-factor authentication?).', 'Set API Key')
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.setApiKey));
  }

  /**
   * Starts the first session once (reads the key, then the monitor's first poll): when the view is
   * shown or a command runs, never on the activation path.
   */
  start(): Promise<void> {
    return (this.starting ??= this.reconnect());
  }

  /** Whether a session was asked for yet (settings changes before that start nothing). */
  get started(): boolean {
    return this.starting !== undefined;
  }

  /** (Re)connects according to the settings and the stored key. */
  reconnect(): Promise<void> {
    const connecting = this.connect();
    this.starting ??= connecting;
    return connecting;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const settings = this.settings();
    let next: Session | undefined;
    let key: string | undefined;
    try {
      const { Session } = await this.runtime.load();
      if (settings.useSimulator) {
        next = await Session.simulated(settings, this.clock);
        this.log.info(`Using the built-in simulator at ${next.simulator!.url} (no money is spent).`);
      } else {
        key = await this.readKey();
        if (key) {
          next = Session.forKey(key, settings, this.clock, this.limitMemory);
          this.log.info(`Connected to ${settings.apiUrl}.`);
        }
      }
    } catch (error) {
      this.log.error(`Could not connect: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Vast.ai: ${errorMessage(error)}`);
    }
    if (generation !== this.generation) {
      await next?.dispose(); // a newer reconnect won the race
      return;
    }
    const previous = this.session;
    this.session = next;
    this.keyState = next ? 'ok' : 'missing';
    await this.setContext();
    this.changed.fire(next);
    await previous?.dispose();
    if (!next && !key) this.offerCliKey();
  }

  async dispose(): Promise<void> {
    this.generation++;
    for (const d of this.disposables) d.dispose();
    await this.session?.dispose();
    this.session = undefined;
  }

  private async readKey(): Promise<string | undefined> {
    try {
      return await this.store.get();
    } catch (error) {
      void vscode.window.showErrorMessage(storageProblem(error));
      return undefined;
    }
  }

  /** Once per window: the Vast CLI already has a key; offer to use it rather than make people paste it. */
  private offerCliKey(): void {
    if (this.offeredCliKey) return;
    // The CLI's key belongs to Vast.ai's own host: never offered for another one.
    if (!isDefaultApiHost(this.settings().apiUrl)) return;
    this.offeredCliKey = true;
    const found = findCliKey();
    if (!found) return;
    void vscode.window
      .showInformationMessage(`Vast.ai: the Vast CLI has an API key (in ${found.source}). Use it in VS Code?`, 'Use CLI Key', 'Not Now')
      .then((choice) => choice === 'Use CLI Key' && vscode.commands.executeCommand(COMMANDS.importCliKey));
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.mode, this.mode);
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.simulator, this.mode === 'simulator');
  }
}
