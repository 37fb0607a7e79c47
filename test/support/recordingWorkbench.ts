import type { RemoteSshSupport, Workbench } from '../../src/ui/workbench';

/** A Workbench that records what would have happened in the editor. */
export class RecordingWorkbench implements Workbench {
  readonly clipboard: string[] = [];
  readonly opened: string[] = [];
  readonly documents: Array<{ content: string; language: string }> = [];
  /** Logs shown in the read-only logs editor. */
  readonly logs: Array<{ instanceId: number; name: string; text: string }> = [];
  readonly remoteWindows: Array<{ host: string; folder: string }> = [];
  installRequests = 0;
  revealed = 0;

  /**
   * @param remote the installed Remote-SSH extension (undefined: none is installed)
   * @param installs what installing does: makes `remote` appear, or fails
   */
  constructor(
    public remote: RemoteSshSupport | undefined,
    private readonly installs: { becomes?: RemoteSshSupport; fails?: Error } = {},
  ) {}

  async copyToClipboard(text: string): Promise<void> {
    this.clipboard.push(text);
  }

  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }

  async openDocument(content: string, language: string): Promise<void> {
    this.documents.push({ content, language });
  }

  async showInstanceLogs(instanceId: number, name: string, text: string): Promise<void> {
    this.logs.push({ instanceId, name, text });
  }

  remoteSsh(): RemoteSshSupport | undefined {
    return this.remote;
  }

  async openRemoteWindow(host: string, folder: string): Promise<void> {
    if (!this.remote) throw new Error('openRemoteWindow without a Remote-SSH extension');
    this.remoteWindows.push({ host, folder });
  }

  async revealInstances(): Promise<void> {
    this.revealed++;
  }

  async installRemoteSsh(): Promise<void> {
    this.installRequests++;
    if (this.installs.fails) throw this.installs.fails;
    if (this.installs.becomes) this.remote = this.installs.becomes;
  }
}
