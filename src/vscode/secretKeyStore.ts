import type * as vscode from 'vscode';
import type { KeyStore } from '../ui/apiKeyFlows';

/** The API key in VS Code's SecretStorage, one per API host (a key for one host never goes to another). */
export class SecretKeyStore implements KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly apiUrl: () => string,
  ) {}

  get(): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(this.name()));
  }

  set(key: string): Promise<void> {
    return Promise.resolve(this.secrets.store(this.name(), key));
  }

  delete(): Promise<void> {
    return Promise.resolve(this.secrets.delete(this.name()));
  }

  private name(): string {
    let host: string;
    try {
      host = new URL(this.apiUrl()).host;
    } catch {
      host = this.apiUrl();
    }
    return `vastai.apiKey/${host}`;
  }
}
