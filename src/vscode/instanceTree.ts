import * as vscode from 'vscode';
import { accountRow, summarizeAccount } from '../ui/accountSummary';
import { compareInstances, presentInstance } from '../ui/instancePresentation';
import type { Session } from '../ui/session';
import type { Clock } from '../util/clock';
import { formatDuration } from '../util/format';
import type { Instance } from '../vast/types';
import type { SessionManager } from './sessionManager';
import { CONTEXT_KEYS, VIEW_ID } from './contributions';

const ACCOUNT_REFRESH_MS = 5 * 60_000;

/** The account line at the top of the tree (credit, what runs, what it costs). */
export const ACCOUNT = 'account';
/** An instance id, or the account line. */
export type TreeElement = number | typeof ACCOUNT;

/**
 * The Instances view. Elements are instance ids; items are built from the monitor's latest snapshot,
 * with the id as the item id so nothing flickers or loses selection across polls. The monitor polls
 * only while this view is visible; an error never empties the tree (the view's message says why
 * the data is old).
 */
export class InstanceTree implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeElement>;
  private sessionDisposables: vscode.Disposable[] = [];
  private subscription?: vscode.Disposable;
  /** The snapshot last drawn, to redraw (uptimes, flags) once per poll. */
  private lastPolledAt?: number;
  /** When the credit was last read, and for which session. */
  private accountRead?: { session: Session; at: number };
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
  ) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: false });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility(() => this.updatePolling()),
      sessions.onDidChange((session) => this.attach(session)),
    );
    this.attach(sessions.current);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    if (element === ACCOUNT) return this.accountItem();
    const id = element;
    const instance = this.instance(id);
    if (!instance) return new vscode.TreeItem(`Instance ${id}`);
    const look = presentInstance(instance, this.clock.now());
    const item = new vscode.TreeItem(look.label, vscode.TreeItemCollapsibleState.None);
    item.id = look.id;
    item.description = look.description;
    item.iconPath = new vscode.ThemeIcon(look.icon, look.iconColor ? new vscode.ThemeColor(look.iconColor) : undefined);
    item.contextValue = look.contextValue;
    item.tooltip = new vscode.MarkdownString(look.tooltip);
    item.accessibilityInformation = { label: `${look.label}, ${look.description}` };
    return item;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (element !== undefined) return [];
    const session = this.sessions.current;
    if (!session) return [];
    const instances = [...session.monitor.snapshot.instances.values()].sort(compareInstances).map((i) => i.id);
    // No account line before the first list: the welcome content shows while loading or empty.
    return instances.length > 0 ? [ACCOUNT, ...instances] : [];
  }

  /** The instance ids shown, in order. */
  instanceIds(): number[] {
    return this.getChildren().filter((element): element is number => element !== ACCOUNT);
  }

  /** The instance behind a tree element, from the latest snapshot. */
  instance(id: number): Instance | undefined {
    return this.sessions.current?.monitor.snapshot.instances.get(id);
  }

  /** Manual refresh: polls now (shared with any poll in flight) and re-reads the credit. */
  async refresh(): Promise<void> {
    const session = this.sessions.current;
    if (!session) return;
    await Promise.all([session.monitor.refresh(), this.readAccount(session, true)]);
  }

  dispose(): void {
    this.detach();
    for (const d of this.disposables) d.dispose();
  }

  private attach(session: Session | undefined): void {
    this.detach();
    if (session) {
      this.sessionDisposables.push(
        toDisposable(session.monitor.onDidChangeInstances(() => this.changed.fire(undefined))),
        // Each poll: uptimes move and the stale message may change.
        toDisposable(session.monitor.onDidChangeState(() => this.updateMessages(session))),
      );
    }
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.loaded, false);
    this.changed.fire(undefined);
    this.updateMessages(session);
    this.updatePolling();
  }

  private detach(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    for (const d of this.sessionDisposables) d.dispose();
    this.sessionDisposables = [];
  }

  /** Polls only while the view is visible. */
  private updatePolling(): void {
    const session = this.sessions.current;
    if (session && this.view.visible && !this.subscription) {
      this.subscription = toDisposable(session.monitor.subscribe());
      void this.readAccount(session, false);
    } else if ((!session || !this.view.visible) && this.subscription) {
      this.subscription.dispose();
      this.subscription = undefined;
    }
  }

  private updateMessages(session: Session | undefined): void {
    if (!session) {
      this.view.message = undefined;
      this.view.description = undefined;
      return;
    }
    const snapshot = session.monitor.snapshot;
    if (snapshot.polledAt !== this.lastPolledAt) {
      this.lastPolledAt = snapshot.polledAt;
      this.changed.fire(undefined);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.loaded, snapshot.polledAt !== undefined);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasInstances, snapshot.instances.size > 0);
      if (this.view.visible) void this.readAccount(session, false);
    }
    const error = snapshot.lastError;
    if (error && snapshot.polledAt !== undefined) {
      this.view.message = `⚠ Showing the list from ${formatDuration(this.clock.now() - snapshot.polledAt)} ago: ${error.message}`;
    } else if (error) {
      this.view.message = `⚠ Could not list instances: ${error.message}`;
    } else {
      this.view.message = undefined;
    }
    const account = summarizeAccount(session.account, snapshot.instances.values());
    this.view.description = session.simulated ? `Simulator · ${account}` : account;
  }

  private accountItem(): vscode.TreeItem {
    const session = this.sessions.current;
    const row = accountRow(session?.account, session?.monitor.snapshot.instances.values() ?? []);
    const item = new vscode.TreeItem(row.label);
    item.description = session?.simulated ? [row.description, 'simulated account'].filter(Boolean).join(' · ') : row.description;
    item.id = ACCOUNT;
    item.iconPath = new vscode.ThemeIcon('credit-card');
    item.contextValue = ACCOUNT;
    item.tooltip = new vscode.MarkdownString(
      'Credit on the Vast.ai account, how long it lasts, and what is billed per hour now: the GPUs of running instances plus the storage of every instance, stopped ones included. ' +
        'The credit comes with every instance list poll; no extra request.' +
        (session?.simulated ? '\n\nThis is the built-in simulator: no money is spent.' : ''),
    );
    return item;
  }

  private async readAccount(session: Session, force: boolean): Promise<void> {
    const now = this.clock.now();
    if (!force && this.accountRead?.session === session && now - this.accountRead.at < ACCOUNT_REFRESH_MS) return;
    this.accountRead = { session, at: now };
    try {
      await session.refreshAccount();
      if (session === this.sessions.current) {
        this.updateMessages(session);
        this.changed.fire(ACCOUNT);
      }
    } catch {
      // The credit line keeps its last value; the request's failure is in the log.
    }
  }
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return { dispose: () => d.dispose() };
}
