import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RemoteSshSupport, Workbench } from '../ui/workbench';
import type { InstanceLogDocuments } from './instanceLogDocuments';

export const MICROSOFT_REMOTE_SSH = 'ms-vscode-remote.remote-ssh';

/**
 * Remote-SSH extensions that resolve `vscode-remote://ssh-remote+<host>/...`, and the settings
 * section holding their `configFile`. Forks come first: when one is installed the editor is a
 * fork, where Microsoft's extension (if also installed) refuses to run.
 * - jeanp413.open-remote-ssh: the open-source one (VSCodium, Open VSX; reads remote.SSH.*).
 * - anysphere.remote-ssh: Cursor's own (remote.SSH.*).
 * - codeium.windsurf-remote-openssh: Windsurf's (remote.windsurfSSH.*, older builds remote.SSH.*).
 * - google.antigravity-remote-openssh: Antigravity's (remote.antigravitySSH.*).
 * - ms-vscode-remote.remote-ssh: Microsoft's (remote.SSH.*).
 */
export const REMOTE_SSH_EXTENSIONS: ReadonlyArray<{ id: string; sections: readonly string[] }> = [
  { id: 'jeanp413.open-remote-ssh', sections: ['remote.SSH'] },
  { id: 'anysphere.remote-ssh', sections: ['remote.SSH'] },
  { id: 'codeium.windsurf-remote-openssh', sections: ['remote.windsurfSSH', 'remote.SSH'] },
  { id: 'google.antigravity-remote-openssh', sections: ['remote.antigravitySSH', 'remote.SSH'] },
  { id: MICROSOFT_REMOTE_SSH, sections: ['remote.SSH'] },
];

/** The editor side of the flows: clipboard, browser, documents, Remote-SSH. */
export class VscodeWorkbench implements Workbench {
  constructor(private readonly logs: InstanceLogDocuments) {}

  showInstanceLogs(instanceId: number, name: string, text: string): Promise<void> {
    return this.logs.show(instanceId, name, text);
  }

  async copyToClipboard(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async openExternal(url: string): Promise<void> {
    // False when the person declined VS Code's "open external website?" question: nothing to report.
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  async revealInstances(): Promise<void> {
    await vscode.commands.executeCommand('vastai.instances.focus');
  }

  async openDocument(content: string, language: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(document, { preview: false });
  }

  remoteSsh(): RemoteSshSupport | undefined {
    for (const candidate of REMOTE_SSH_EXTENSIONS) {
      if (vscode.extensions.getExtension(candidate.id)) return { extensionId: candidate.id, configFile: configFile(candidate.sections) };
    }
    // Any other resolver of the ssh-remote authority (a fork we do not know by name).
    for (const extension of vscode.extensions.all) {
      const manifest = extension.packageJSON as { activationEvents?: unknown; enabledApiProposals?: unknown } | undefined;
      const events = Array.isArray(manifest?.activationEvents) ? manifest.activationEvents : [];
      const proposals = Array.isArray(manifest?.enabledApiProposals) ? manifest.enabledApiProposals : [];
      if (events.includes('onResolveRemoteAuthority:ssh-remote') && proposals.includes('resolvers')) {
        return { extensionId: extension.id, configFile: configFile(['remote.SSH']) };
      }
    }
    return undefined;
  }

  async openRemoteWindow(host: string, folder: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: 'vscode-remote', authority: `ssh-remote+${host}`, path: folder });
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  }

  async installRemoteSsh(): Promise<void> {
    try {
      await vscode.commands.executeCommand('workbench.extensions.installExtension', MICROSOFT_REMOTE_SSH);
    } catch {
      // Not in this editor's marketplace (Open VSX has the open-source one): let the person choose.
      await vscode.commands.executeCommand('workbench.extensions.search', 'Remote - SSH');
    }
  }
}

/** The extension's `configFile` setting (first section that sets one), else ~/.ssh/config. */
function configFile(sections: readonly string[]): string {
  for (const section of sections) {
    const configured = vscode.workspace.getConfiguration(section).get<string>('configFile')?.trim();
    if (configured) return untildify(configured);
  }
  return path.join(os.homedir(), '.ssh', 'config');
}

function untildify(file: string): string {
  if (file === '~') return os.homedir();
  if (file.startsWith('~/') || file.startsWith('~\\')) return path.join(os.homedir(), file.slice(2));
  return file;
}
