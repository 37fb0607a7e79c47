import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';

export const EXTENSION_ID = 'vast-gpu-explorer.vast-gpu-explorer';

/** Activates the extension (once) and returns its test seam. */
export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/**
 * Waits for something the extension does in the background (a reconnect, a poll, a status change).
 * Real VS Code runs on real time; the waits are bounded and end as soon as the condition holds.
 */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function setSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('vastai').update(name, value, vscode.ConfigurationTarget.Global);
}

/** Switches the extension to its built-in simulator and waits for that session. */
export async function useSimulator(api: ExtensionApi) {
  await setSetting('apiUrl', undefined);
  await setSetting('useSimulator', true);
  return eventually('the simulator session', () => api.session()?.simulated && api.session());
}
