import * as vscode from 'vscode';
import type { ExtensionSettings } from '../ui/settings';
import { readSettingsFrom } from '../ui/settingsReader';

/** Reads `vastai.*` from the user's settings (never a workspace's), defaults for anything missing or malformed. */
export function readSettings(): ExtensionSettings {
  return readSettingsFrom(vscode.workspace.getConfiguration('vastai'));
}
