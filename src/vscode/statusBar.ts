import * as vscode from 'vscode';
import { RateLimitIndicator, type IndicatorView } from '../ui/rateLimitIndicator';
import type { Session } from '../ui/session';
import type { Clock } from '../util/clock';
import type { SessionManager } from './sessionManager';
import { COMMANDS } from './contributions';

/** The other processes on this session's budget (this window excluded). */
function sharedWith(session: Session): readonly { kind: string }[] {
  const participants = session.sharing?.participants ?? [];
  return participants.filter((participant) => participant.pid !== process.pid);
}

/**
 * The rate-limit status bar item: all clear, throttled (with a countdown), serving cached data,
 * offline, or a key problem. The decision is `RateLimitIndicator`'s (plain, tested); this only
 * draws it, re-drawing every second while a countdown runs.
 */
export class RateLimitStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('vastai.rateLimits', vscode.StatusBarAlignment.Left, 50);
  private readonly indicator = new RateLimitIndicator();
  private sessionDisposables: Array<{ dispose(): void }> = [];
  private ticker?: ReturnType<typeof setInterval>;
  private staleSearch?: { at: number; ageMs: number; reason?: string };
  private readonly disposables: vscode.Disposable[] = [];
  /** The last view drawn (tests read it). */
  last?: IndicatorView;

  constructor(
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
  ) {
    this.item.name = 'Vast.ai Rate Limits';
    this.item.command = COMMANDS.showLog;
    this.disposables.push(this.item, sessions.onDidChange((session) => this.attach(session)));
    this.attach(sessions.current);
  }

  render(): void {
    const session = this.sessions.current;
    const view = this.indicator.render({
      now: this.clock.now(),
      gates: session?.client.rateLimits.states() ?? [],
      monitor: session?.monitor.snapshot,
      key: session ? this.sessions.key : 'missing',
      staleSearch: this.staleSearch,
      simulated: session?.simulated ?? false,
      sharedWith: session ? sharedWith(session) : undefined,
    });
    this.last = view;
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip);
    this.item.backgroundColor =
      view.background === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.background === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]+\)\s*/g, '') };
    this.item.show();
    this.setTicking(view.ticking);
  }

  dispose(): void {
    this.setTicking(false);
    this.detach();
    for (const d of this.disposables) d.dispose();
  }

  private attach(session: Session | undefined): void {
    this.detach();
    this.staleSearch = undefined;
    if (session) {
      this.sessionDisposables.push(
        session.client.rateLimits.onDidChange(() => this.render()),
        session.monitor.onDidChangeState(() => this.render()),
        session.sharing?.onDidChangeParticipants(() => this.render()) ?? { dispose: () => undefined },
        session.client.onDidServeStale((event) => {
          this.staleSearch = { at: this.clock.now(), ...event };
          this.render();
        }),
      );
    }
    this.render();
  }

  private detach(): void {
    for (const d of this.sessionDisposables) d.dispose();
    this.sessionDisposables = [];
  }

  private setTicking(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.render(), 1000);
    if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
