import * as vscode from 'vscode';

import { LOGS_SCHEME } from './contributions';

export { LOGS_SCHEME };

/**
 * Instance logs as read-only documents (`vastai-logs:/<id>/<name> — logs`): nothing to save, no
 * Untitled editor left behind after a reload. The editor's refresh action fetches the log again.
 */
export class InstanceLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, this);

  static uriFor(instanceId: number, name: string): vscode.Uri {
    // The last path segment is the editor's title; a "/" in a name would start another segment.
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${instanceId}/${name.replace(/[/\\]/g, '∕')} — logs` });
  }

  /** The instance id behind a logs document, if it is one. */
  static instanceIdOf(uri: vscode.Uri | undefined): number | undefined {
    if (uri?.scheme !== LOGS_SCHEME) return undefined;
    const id = Number(uri.path.split('/')[1]);
    return Number.isInteger(id) && id > 0 ? id : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This log has not been fetched in this window yet: use the refresh button in the editor title.';
  }

  /** Shows (or updates, when open) the log of one instance. */
  async show(instanceId: number, name: string, text: string): Promise<void> {
    const uri = InstanceLogDocuments.uriFor(instanceId, name);
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'log') document = await vscode.languages.setTextDocumentLanguage(document, 'log');
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
