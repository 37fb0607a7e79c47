import { isVastApiError } from '../api/errors';
import type { User } from '../vast/types';
import type { CliKey } from './cliKeyImport';
import { BACK, type Prompter } from './prompter';
import { DEFAULT_SETTINGS } from './settings';
import { apiHostLabel, isDefaultApiHost } from './settingsReader';
import { errorMessage } from '../util/errorMessage';

/** Where the key lives: VS Code's SecretStorage in the product. */
export interface KeyStore {
  get(): Promise<string | undefined>;
  set(key: string): Promise<void>;
  delete(): Promise<void>;
}

export interface KeyFlowDeps {
  prompter: Prompter;
  store: KeyStore;
  /** Asks Vast who the key belongs to (current user): proves the key works. */
  verify(key: string, signal: AbortSignal): Promise<User>;
  findCliKey(): CliKey | undefined;
  /** The API host the key is checked with and stored for (`vastai.apiUrl`); Vast.ai's own when absent. */
  apiUrl?: string;
  /** The stored key changed (set or cleared): reconnect. */
  onKeyChanged(): Promise<void>;
}

const TITLE = 'Vast.ai: Set API Key';
const KEY_PAGE = 'https://cloud.vast.ai/manage-keys/';

/** Asks for a key, checks it with Vast, stores it. A key that fails the check is never stored silently. */
export async function setApiKeyFlow(deps: KeyFlowDeps): Promise<boolean> {
  const elsewhere = otherHost(deps);
  const key = await deps.prompter.input({
    title: TITLE,
    prompt: elsewhere
      ? `Paste the API key for ${elsewhere} (vastai.apiUrl: not Vast.ai's own host). It is sent only to ${elsewhere} and kept in VS Code's secret storage.`
      : `Paste your Vast.ai API key (from ${KEY_PAGE}). It is kept in VS Code's secret storage.`,
    placeholder: 'API key',
    password: true,
    validate: validateKey,
  });
  if (key === undefined || key === BACK) return false;
  return checkAndStore(deps, key.trim(), 'the key you entered');
}

/** Uses the key the Vast CLI already has, after checking it. */
export async function importCliKeyFlow(deps: KeyFlowDeps): Promise<boolean> {
  const elsewhere = otherHost(deps);
  if (elsewhere) {
    // The CLI's key belongs to Vast.ai: never offered to another host, whoever configured it.
    const choice = await deps.prompter.notify(
      'warning',
      `The Vast CLI's key is only used with ${apiHostLabel(DEFAULT_SETTINGS.apiUrl)}, and vastai.apiUrl points to ${elsewhere}. Set a key for ${elsewhere} instead.`,
      'Set API Key',
    );
    return choice === 'Set API Key' ? setApiKeyFlow(deps) : false;
  }
  const found = deps.findCliKey();
  if (!found) {
    const choice = await deps.prompter.notify(
      'info',
      'No Vast CLI key found (looked in VAST_API_KEY, ~/.config/vastai/vast_api_key and ~/.vast_api_key).',
      'Set API Key',
    );
    return choice === 'Set API Key' ? setApiKeyFlow(deps) : false;
  }
  return checkAndStore(deps, found.key, `the Vast CLI's key (from ${found.source})`);
}

/** Forgets the stored key after a confirmation. */
export async function clearApiKeyFlow(deps: KeyFlowDeps): Promise<boolean> {
  if ((await deps.store.get().catch(() => undefined)) === undefined) {
    await deps.prompter.notify('info', 'No Vast.ai API key is stored.');
    return false;
  }
  const sure = await deps.prompter.confirm('Remove the Vast.ai API key from VS Code?', {
    detail: 'The extension stops talking to Vast.ai until a key is set again. Your instances keep running.',
    confirm: 'Remove Key',
  });
  if (!sure) return false;
  try {
    await deps.store.delete();
  } catch (error) {
    await deps.prompter.notify('error', storageProblem(error));
    return false;
  }
  await deps.onKeyChanged();
  await deps.prompter.notify('info', 'The Vast.ai API key was removed.');
  return true;
}

export function validateKey(value: string): string | undefined {
  const key = value.trim();
  if (!key) return 'Paste the key (it cannot be empty).';
  if (/\s/.test(key)) return 'A key has no spaces or line breaks; paste it again.';
  if (key.length < 16) return 'That looks too short for a Vast.ai API key.';
  return undefined;
}

/** What to tell a person whose SecretStorage does not work (mostly Linux without a keyring). */
export function storageProblem(error: unknown): string {
  const detail = errorMessage(error);
  return (
    `VS Code could not use its secret storage (${detail}). On Linux it needs a keyring service: install and unlock ` +
    'gnome-keyring or KWallet, or start VS Code with --password-store="gnome-libsecret" (or "basic" as a last resort). ' +
    'The key was not saved anywhere else.'
  );
}

async function checkAndStore(deps: KeyFlowDeps, key: string, what: string): Promise<boolean> {
  const invalid = validateKey(key);
  if (invalid) {
    await deps.prompter.notify('error', `Cannot use ${what}: ${invalid}`);
    return false;
  }
  let user: User | undefined;
  try {
    const elsewhere = otherHost(deps);
    const title = elsewhere ? `Checking the key with ${elsewhere} (not Vast.ai's own host)…` : 'Checking the key with Vast.ai…';
    user = await deps.prompter.withProgress(title, (_progress, signal) => deps.verify(key, signal));
  } catch (error) {
    if (isVastApiError(error, 'auth')) {
      await deps.prompter.notify('error', `Vast.ai rejected ${what} (${error.message}). Nothing was saved.`);
      return false;
    }
    if (error instanceof Error && error.name === 'AbortError') return false;
    // Vast could not be reached: the key may be fine. Let the person decide; nothing is lost either way.
    const message = errorMessage(error);
    const elsewhere = otherHost(deps);
    const forHost = elsewhere ? ` Saving keeps it for ${elsewhere}, which is not Vast.ai's own host.` : '';
    const choice = await deps.prompter.notify('warning', `Could not check ${what}: ${message}${forHost}`, 'Save Anyway');
    if (choice !== 'Save Anyway') return false;
  }
  try {
    await deps.store.set(key);
  } catch (error) {
    await deps.prompter.notify('error', storageProblem(error));
    return false;
  }
  await deps.onKeyChanged();
  const credit = typeof user?.credit === 'number' ? ` ($${user.credit.toFixed(2)} credit)` : '';
  const who = user ? ` as ${user.username || user.email || `account ${user.id}`}${credit}` : '';
  await deps.prompter.notify('info', `Connected to Vast.ai${who}.`);
  return true;
}

/** The configured API host when it is not Vast.ai's own ("127.0.0.1:8080"), else undefined. */
function otherHost(deps: KeyFlowDeps): string | undefined {
  const url = deps.apiUrl ?? DEFAULT_SETTINGS.apiUrl;
  return isDefaultApiHost(url) ? undefined : apiHostLabel(url);
}
