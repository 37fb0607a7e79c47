/**
 * The few effects on the editor around a flow (clipboard, browser, documents, Remote-SSH), behind
 * an interface so flows stay plain Node and tests can see what would have happened.
 */
export interface RemoteSshSupport {
  /** The installed Remote-SSH extension's id (Microsoft's or an open-source one). */
  extensionId: string;
  /** Where it reads SSH hosts from (its configFile setting, else ~/.ssh/config). */
  configFile: string;
}

export interface Workbench {
  copyToClipboard(text: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  /** Opens text in an editor. */
  openDocument(content: string, language: string): Promise<void>;
  /** Shows an instance's log in a read-only editor titled "<name> — logs" (updated in place when open). */
  showInstanceLogs(instanceId: number, name: string, text: string): Promise<void>;
  /** The Remote-SSH extension to connect with, or undefined when none is installed. */
  remoteSsh(): RemoteSshSupport | undefined;
  /** Opens a new window on `host` (a Host entry of the SSH config) through Remote-SSH. */
  openRemoteWindow(host: string, folder: string): Promise<void>;
  /** Offers to install Microsoft's Remote-SSH extension. */
  installRemoteSsh(): Promise<void>;
  /** Shows the Instances view. */
  revealInstances?(): Promise<void>;
}
