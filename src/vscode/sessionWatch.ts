import * as vscode from 'vscode';
import type { FlowContext, FlowMemory } from '../ui/flowContext';
import type { InstanceWatch, WatchSettings } from '../ui/instanceWatch';
import { useInstanceWatch } from '../ui/rowBadges';
import type { Session } from '../ui/session';
import type { ExtensionSettings } from '../ui/settings';
import type { Clock } from '../util/clock';
import { errorMessage } from '../util/errorMessage';
import type { OutputLog } from './outputLog';
import type { SessionManager } from './sessionManager';
import type { SessionRuntimeLoader } from './sessionRuntimeLoader';

type WatchNotices = typeof import('../ui/flowRuntime');

const WATCH_SETTINGS = ['lowCreditHours', 'idleGpuPercent', 'idleMinutes'];

/**
 * One InstanceWatch per session (idle GPUs, pending destroys, low credit, auto-stop state), its
 * markers on the rows and its notices. Everything it reads comes from the poll the view makes.
 */
export class SessionWatch implements vscode.Disposable {
  private watch?: InstanceWatch;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    sessions: SessionManager,
    private readonly memory: FlowMemory,
    private readonly settings: () => ExtensionSettings,
    private readonly context: () => FlowContext | undefined,
    private readonly clock: Clock,
    private readonly log: OutputLog,
    /** Loaded before any session exists; InstanceWatch comes from it. */
    private readonly runtime: SessionRuntimeLoader,
  ) {
    this.disposables.push(
      sessions.onDidChange((session) => this.attach(session)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (WATCH_SETTINGS.some((name) => event.affectsConfiguration(`vastai.${name}`))) this.watch?.configure(watchSettings(this.settings()));
      }),
    );
    this.attach(sessions.current);
  }

  get current(): InstanceWatch | undefined {
    return this.watch;
  }

  dispose(): void {
    this.watch?.dispose();
    useInstanceWatch(undefined);
    for (const d of this.disposables) d.dispose();
  }

  private attach(session: Session | undefined): void {
    this.watch?.dispose();
    this.watch = undefined;
    const InstanceWatch = this.runtime.current?.InstanceWatch;
    if (session && InstanceWatch) {
      const watch = new InstanceWatch(session.monitor, {
        clock: this.clock,
        settings: watchSettings(this.settings()),
        account: () => session.account,
        readLog: (id) => session.client.instanceLogs(id, { tail: 300 }),
        isKept: (id) => this.memory.keptIdle?.().includes(id) ?? false,
      });
      watch.onIdle((event) => this.notice('Idle GPU', (notices, ctx) => notices.idleNotice(ctx, event)));
      watch.onLowCredit((event) => this.notice('Low credit', (notices, ctx) => notices.lowCreditNotice(ctx, event)));
      watch.onDestroyPending((instance) => this.notice('Destroy pending', (notices, ctx) => notices.destroyPendingNotice(ctx, instance)));
      this.watch = watch;
    }
    useInstanceWatch(this.watch);
  }

  /** The notices (with the flows, for the stop/destroy behind their buttons) load when the first one is due. */
  private notice(what: string, show: (notices: WatchNotices, ctx: FlowContext) => Promise<unknown>): void {
    const ctx = this.context();
    if (!ctx) return;
    import('../ui/flowRuntime').then((notices) => show(notices, ctx)).catch((error: unknown) => this.log.error(`${what}: ${errorMessage(error)}`));
  }
}

function watchSettings(settings: ExtensionSettings): WatchSettings {
  return { lowCreditHours: settings.lowCreditHours, idleGpuPercent: settings.idleGpuPercent, idleMinutes: settings.idleMinutes };
}
