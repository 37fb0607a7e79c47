import * as vscode from 'vscode';
import { summarizeAccount } from '../ui/accountSummary';
import { parseInstanceFilter, type InstanceFilter } from '../ui/instanceFilter';
import { instanceTooltip } from '../ui/instancePresentation';
import { DEFAULT_TREE_OPTIONS, InstanceTreeModel, isGroupNode, type SortOrder, type TreeNode, type TreeOptions } from '../ui/instanceTreeModel';
import type { Session } from '../ui/session';
import { treeMessage } from '../ui/treeMessage';
import type { Clock } from '../util/clock';
import type { Instance } from '../vast/types';
import type { SessionManager } from './sessionManager';
import { CONTEXT_KEYS, VIEW_ID } from './contributions';

const ACCOUNT_REFRESH_MS = 5 * 60_000;
/** Uptimes are shown to the minute: redraw rows this often while the view is visible. */
const ROW_TICK_MS = 15_000;

/** An instance id, or a group heading ("group:running"). */
export type TreeElement = TreeNode;

/**
 * The Instances view. Elements are instance ids (and group headings); the plain model decides rows,
 * groups, order and what changed, so each poll redraws only the rows that did. Item ids are the
 * instance ids, so nothing flickers or loses selection. The monitor polls only while this view is
 * visible; an error never empties the tree (the view's message says how old the list is and why).
 */
export class InstanceTree implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeElement>;
  private readonly model = new InstanceTreeModel();
  private filter?: InstanceFilter;
  private sessionDisposables: vscode.Disposable[] = [];
  private subscription?: vscode.Disposable;
  private lastPolledAt?: number;
  private accountRead?: { session: Session; at: number };
  private messageTicker?: ReturnType<typeof setInterval>;
  private rowTicker?: ReturnType<typeof setInterval>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly sessions: SessionManager,
    private readonly clock: Clock,
  ) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility(() => {
        this.updatePolling();
        this.update();
      }),
      sessions.onDidChange((session) => this.attach(session)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('vastai.instances')) this.update(true);
      }),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filtered, false);
    this.attach(sessions.current);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    if (isGroupNode(element)) {
      const group = this.model.group(element);
      const item = new vscode.TreeItem(group?.label ?? element, vscode.TreeItemCollapsibleState.Expanded);
      item.id = element;
      item.description = group?.description;
      item.contextValue = 'group';
      item.accessibilityInformation = { label: `${group?.label}: ${group?.count} instances` };
      return item;
    }
    const row = this.model.row(element);
    if (!row) return new vscode.TreeItem(`Instance ${element}`);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon, row.iconColor ? new vscode.ThemeColor(row.iconColor) : undefined);
    item.contextValue = row.contextValue;
    item.accessibilityInformation = { label: `${row.label}, ${row.description.replace(/\$\([^)]+\)\s*/g, '')}` };
    return item;
  }

  /** The tooltip is built only when someone hovers. */
  resolveTreeItem(item: vscode.TreeItem, element: TreeElement): vscode.TreeItem {
    if (typeof element === 'number') {
      const instance = this.model.instance(element);
      if (instance) {
        const polledAt = this.sessions.current?.monitor.snapshot.polledAt;
        const markdown = new vscode.MarkdownString(instanceTooltip(instance, this.clock.now(), { polledAt }));
        markdown.supportThemeIcons = true;
        item.tooltip = markdown;
      }
    }
    return item;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    return this.sessions.current ? this.model.childrenOf(element) : [];
  }

  getParent(element: TreeElement): TreeElement | undefined {
    if (isGroupNode(element)) return undefined;
    const row = this.model.row(element);
    return row && this.options().groupByState ? (`group:${row.group}` as const) : undefined;
  }

  /** The instance ids shown, in order. */
  instanceIds(): number[] {
    return this.model.shownIds();
  }

  /** The instance behind a tree element, from the latest snapshot. */
  instance(id: number): Instance | undefined {
    return this.sessions.current?.monitor.snapshot.instances.get(id);
  }

  get sortOrder(): SortOrder {
    return this.options().sortBy;
  }

  get groupedByState(): boolean {
    return this.options().groupByState;
  }

  get filterText(): string | undefined {
    return this.filter?.text;
  }

  /** Shows only instances matching `text` (undefined or blank clears the filter). */
  setFilter(text: string | undefined): void {
    this.filter = text ? parseInstanceFilter(text) : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filtered, this.filter !== undefined);
    this.update(true);
  }

  /** Manual refresh: polls now (shared with any poll in flight) and re-reads the credit. */
  async refresh(): Promise<void> {
    const session = this.sessions.current;
    if (!session) return;
    await Promise.all([session.monitor.refresh(), this.readAccount(session, true)]);
  }

  dispose(): void {
    this.detach();
    this.setMessageTicking(false);
    this.setRowTicking(false);
    for (const d of this.disposables) d.dispose();
  }

  private options(): TreeOptions {
    const config = vscode.workspace.getConfiguration('vastai.instances');
    const sortBy = config.get<string>('sortBy');
    return {
      groupByState: config.get<boolean>('groupByState') ?? DEFAULT_TREE_OPTIONS.groupByState,
      sortBy: (['state', 'name', 'price', 'uptime'] as const).includes(sortBy as SortOrder) ? (sortBy as SortOrder) : DEFAULT_TREE_OPTIONS.sortBy,
      filter: this.filter,
    };
  }

  /** Rebuilds the model from the latest snapshot and redraws what changed (everything when `all`). */
  private update(all = false): void {
    const session = this.sessions.current;
    const snapshot = session?.monitor.snapshot;
    const result = this.model.update(snapshot?.instances ?? new Map(), this.clock.now(), snapshot?.polledAt, this.options());
    if (all || result.all) this.changed.fire(undefined);
    else if (result.elements.length) this.changed.fire(result.elements);
    this.updateMessages(session);
    this.setRowTicking(this.view.visible && session !== undefined);
  }

  private attach(session: Session | undefined): void {
    this.detach();
    if (session) {
      this.sessionDisposables.push(
        toDisposable(session.monitor.onDidChangeInstances(() => this.update())),
        toDisposable(session.monitor.onDidChangeState(() => this.onPoll(session))),
        toDisposable(session.client.rateLimits.onDidChange(() => this.updateMessages(session))),
      );
    }
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.loaded, false);
    this.update(true);
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

  private onPoll(session: Session): void {
    const snapshot = session.monitor.snapshot;
    if (snapshot.polledAt !== this.lastPolledAt) {
      this.lastPolledAt = snapshot.polledAt;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.loaded, snapshot.polledAt !== undefined);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasInstances, snapshot.instances.size > 0);
      if (this.view.visible) void this.readAccount(session, false);
      this.update();
    } else {
      this.updateMessages(session);
    }
  }

  private updateMessages(session: Session | undefined): void {
    if (!session) {
      this.view.message = undefined;
      this.view.description = undefined;
      this.setMessageTicking(false);
      return;
    }
    const snapshot = session.monitor.snapshot;
    const counts = this.model.counts;
    const account = summarizeAccount(session.account, snapshot.instances.values());
    const summary = session.simulated ? `Simulator · ${account}` : account;
    // The summary goes in both: the description shows when the view shares its container, the
    // message always (before the first list, the welcome content shows instead).
    if (this.view.description !== summary) this.view.description = summary;
    const message = treeMessage({
      now: this.clock.now(),
      snapshot,
      gates: session.client.rateLimits.states(),
      filter: this.filter && { text: this.filter.text, ...counts },
      summary: snapshot.polledAt !== undefined ? summary : undefined,
    });
    if (this.view.message !== message.text) this.view.message = message.text;
    this.setMessageTicking(message.ticking && this.view.visible);
  }

  private setMessageTicking(on: boolean): void {
    if (on && !this.messageTicker) this.messageTicker = setInterval(() => this.updateMessages(this.sessions.current), 1000);
    if (!on && this.messageTicker) {
      clearInterval(this.messageTicker);
      this.messageTicker = undefined;
    }
  }

  /** Uptimes keep moving between polls (and while the list is stale). */
  private setRowTicking(on: boolean): void {
    if (on && !this.rowTicker) this.rowTicker = setInterval(() => this.update(), ROW_TICK_MS);
    if (!on && this.rowTicker) {
      clearInterval(this.rowTicker);
      this.rowTicker = undefined;
    }
  }

  private async readAccount(session: Session, force: boolean): Promise<void> {
    const now = this.clock.now();
    if (!force && this.accountRead?.session === session && now - this.accountRead.at < ACCOUNT_REFRESH_MS) return;
    this.accountRead = { session, at: now };
    try {
      await session.refreshAccount();
      if (session === this.sessions.current) this.updateMessages(session);
    } catch {
      // The summary keeps its last value; the request's failure is in the log.
    }
  }
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return { dispose: () => d.dispose() };
}
