import * as os from 'node:os';
import type { AccountSshKey } from '../../api/vastClient';
import { parsePublicKey, sameKey, type PublicKey } from '../../vast/sshPublicKey';
import type { FlowContext } from '../flowContext';
import { BACK, type PickItem } from '../prompter';
import { reportError } from '../reportError';
import { createVastKey, displayPath, findLocalKeys, shortKeyLine, VAST_KEY_NAME, type LocalKey } from '../ssh/sshKeys';
import { CANCELLED, runWithProgress } from './common';

export const MANAGE_TITLE = 'Manage SSH Keys';
export const REMOVE_KEY = 'Remove Key';
export const ADD_KEY = 'Add Key';

type Entry =
  | { kind: 'account'; key: AccountSshKey; parsed?: PublicKey; local?: LocalKey }
  | { kind: 'add-local'; local: LocalKey }
  | { kind: 'paste' }
  | { kind: 'create' };
interface EntryItem extends PickItem {
  entry?: Entry;
}

/**
 * Manage SSH Keys: the account's keys (1 request), marked when they are on this computer; pick one
 * to remove it (confirmed; instances that have it keep it), or add a key from this computer, a
 * pasted public key line, or a new ~/.ssh/vast_ed25519 (1 request each). Loops until Escape.
 */
export async function manageSshKeysFlow(ctx: FlowContext): Promise<void> {
  const home = ctx.homeDir ?? os.homedir();
  for (;;) {
    let keys: AccountSshKey[];
    try {
      const listed = await runWithProgress(ctx, 'Reading the SSH keys of your Vast.ai account', (_p, signal) => ctx.client.listAccountSshKeys({ signal }));
      if (listed === CANCELLED) return;
      keys = listed;
    } catch (error) {
      await reportError(ctx, error, 'List the account’s SSH keys');
      return;
    }
    const local = await ctx.clock.trackIo(findLocalKeys(home, ctx.settings.sshKeyPath));
    const items: EntryItem[] = [{ label: `On your account (${keys.length})`, separator: true }];
    for (const key of keys) {
      const parsed = parsePublicKey(key.publicKey);
      const mine = parsed.ok ? local.keys.find((l) => sameKey(l.key, parsed.key)) : undefined;
      items.push({
        label: parsed.ok ? parsed.key.comment || parsed.key.type : 'unreadable key',
        description: parsed.ok ? parsed.key.fingerprint : undefined,
        detail: [mine ? `on this computer: ${displayPath(mine.file, home)}` : undefined, key.createdAt ? `added ${key.createdAt.slice(0, 10)}` : undefined]
          .filter(Boolean)
          .join(' · ') || undefined,
        entry: { kind: 'account', key, parsed: parsed.ok ? parsed.key : undefined, local: mine },
      });
    }
    items.push({ label: 'Add', separator: true });
    for (const candidate of local.keys) {
      if (keys.some((k) => { const p = parsePublicKey(k.publicKey); return p.ok && sameKey(p.key, candidate.key); })) continue;
      items.push({ label: `$(add) Add ${displayPath(candidate.file, home)}`, description: candidate.key.fingerprint, entry: { kind: 'add-local', local: candidate } });
    }
    items.push({ label: '$(add) Paste a public key…', entry: { kind: 'paste' } });
    if (!local.keys.some((k) => k.file.endsWith(`${VAST_KEY_NAME}.pub`))) {
      items.push({ label: `$(key) Create a new key pair ~/.ssh/${VAST_KEY_NAME} and add it`, entry: { kind: 'create' } });
    }
    const picked = await ctx.prompter.pick(items, { title: MANAGE_TITLE, placeholder: 'Pick a key to remove it, or add one (only public keys are ever uploaded)' });
    if (picked === undefined || picked === BACK || !picked.entry) return;
    const entry = picked.entry;
    if (entry.kind === 'account') await removeKey(ctx, entry.key, entry.parsed);
    else if (entry.kind === 'add-local') await addKey(ctx, entry.local.key, displayPath(entry.local.file, home));
    else if (entry.kind === 'paste') await pasteKey(ctx);
    else await createAndAdd(ctx, home);
  }
}

async function removeKey(ctx: FlowContext, key: AccountSshKey, parsed: PublicKey | undefined): Promise<void> {
  const what = parsed ? `${parsed.comment || parsed.type} (${parsed.fingerprint})` : `key ${key.id}`;
  const confirmed = await ctx.prompter.confirm(`Remove the SSH key ${what} from your Vast.ai account?`, {
    detail: 'Instances created from now on will not accept it. Instances that already have it keep it until they are destroyed.',
    confirm: REMOVE_KEY,
  });
  if (!confirmed) return;
  try {
    const done = await runWithProgress(ctx, 'Removing the SSH key', (_p, signal) => ctx.client.removeAccountSshKey(key.id, signal));
    if (done !== CANCELLED) ctx.log(`Removed SSH key ${what} from the account`);
  } catch (error) {
    await reportError(ctx, error, 'Remove the SSH key');
  }
}

async function addKey(ctx: FlowContext, key: PublicKey, source: string): Promise<void> {
  const confirmed = await ctx.prompter.confirm(`Add the public key ${source} to your Vast.ai account?`, {
    detail: `Uploaded: this one public key line:\n${shortKeyLine(key)}\n${key.fingerprint}\nInstances created from now on accept it; running ones need it attached (Connect offers that). Your private key never leaves this computer.`,
    confirm: ADD_KEY,
  });
  if (!confirmed) return;
  try {
    const done = await runWithProgress(ctx, 'Adding the SSH key', (_p, signal) => ctx.client.addAccountSshKey(key.line, signal));
    if (done !== CANCELLED) ctx.log(`Added SSH key ${key.fingerprint} to the account`);
  } catch (error) {
    await reportError(ctx, error, 'Add the SSH key');
  }
}

async function pasteKey(ctx: FlowContext): Promise<void> {
  const typed = await ctx.prompter.input({
    title: MANAGE_TITLE,
    prompt: 'Paste one public key line (the contents of a .pub file), e.g. ssh-ed25519 AAAA… me@laptop',
    validate: (text) => {
      const parsed = parsePublicKey(text);
      return parsed.ok ? undefined : `Not a public key: ${parsed.reason}.`;
    },
  });
  if (typed === undefined || typed === BACK) return;
  const parsed = parsePublicKey(typed);
  if (parsed.ok) await addKey(ctx, parsed.key, 'you pasted');
}

async function createAndAdd(ctx: FlowContext, home: string): Promise<void> {
  const confirmed = await ctx.prompter.confirm(`Create the key pair ~/.ssh/${VAST_KEY_NAME} and add its public key to your account?`, {
    detail: 'ssh-keygen creates a new ed25519 key pair on this computer (no passphrase). Only its public key line is uploaded; the private key never leaves this computer.',
    confirm: 'Create Key',
  });
  if (!confirmed) return;
  try {
    const created = await ctx.clock.trackIo(createVastKey(home, ctx.keygen));
    const done = await runWithProgress(ctx, 'Adding the SSH key', (_p, signal) => ctx.client.addAccountSshKey(created.key.line, signal));
    if (done !== CANCELLED) ctx.log(`Created ${created.identityFile} and added ${created.key.fingerprint} to the account`);
  } catch (error) {
    await reportError(ctx, error, `Create ~/.ssh/${VAST_KEY_NAME}`);
  }
}
