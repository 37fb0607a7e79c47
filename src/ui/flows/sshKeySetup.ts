import * as os from 'node:os';
import type { Instance } from '../../vast/types';
import type { FlowContext } from '../flowContext';
import type { PickItem } from '../prompter';
import { BACK } from '../prompter';
import { reportError } from '../reportError';
import {
  createVastKey,
  displayPath,
  findAccepted,
  findLocalKeys,
  identityFileFor,
  shortKeyLine,
  VAST_KEY_NAME,
  type LocalKey,
} from '../ssh/sshKeys';
import { CANCELLED, instanceName, runWithProgress } from './common';

/** What the connection should use: an IdentityFile when the key is not one OpenSSH offers by default. */
export interface KeyReady {
  identityFile?: string;
}

type Choice = 'attach' | 'add' | 'create';
interface ChoiceItem extends PickItem {
  choice: Choice;
}

/** Instances whose keys were checked this session (by API host and instance): no second request. */
const verified = new Map<string, { fingerprint: string; identityFile?: string }>();

export const ATTACH_KEY = 'Attach Key';
export const ADD_AND_ATTACH = 'Add and Attach';
export const CREATE_KEY = 'Create Key';

/**
 * Before Connect, Copy SSH Command or a Jupyter tunnel: makes sure the instance accepts a key on
 * this computer. One request when it does (the instance's keys, once per instance per session);
 * when it does not, one more (the account's) and an offer, with consent naming exactly what is
 * uploaded: attach a local public key, add it to the account too, or create ~/.ssh/vast_ed25519.
 * Resolves undefined when the person declined or it failed (already reported).
 */
export async function ensureSshKeyFlow(ctx: FlowContext, instance: Instance): Promise<KeyReady | undefined> {
  const home = ctx.homeDir ?? os.homedir();
  const name = instanceName(instance);
  const local = await ctx.clock.trackIo(findLocalKeys(home, ctx.settings.sshKeyPath));
  for (const problem of local.problems) ctx.log(`SSH key skipped: ${problem}`);
  const cacheKey = `${ctx.client.baseUrl}|${instance.id}`;
  const known = verified.get(cacheKey);
  if (known && local.keys.some((k) => k.key.fingerprint === known.fingerprint)) return { identityFile: known.identityFile };

  let instanceKeys: string[];
  try {
    const keys = await runWithProgress(ctx, `Checking the SSH keys of instance ${name}`, (_p, signal) => ctx.client.listInstanceSshKeys(instance.id, { signal }));
    if (keys === CANCELLED) return undefined;
    instanceKeys = keys.map((k) => k.publicKey);
  } catch (error) {
    // Not knowing must not block connecting: ssh itself will say if the key is refused.
    ctx.log(`Could not read the SSH keys of instance ${name} (${(error as Error).message}); connecting without the check.`);
    return { identityFile: local.keys[0] && identityFileFor(local.keys[0]) };
  }
  const accepted = findAccepted(local.keys, instanceKeys);
  if (accepted) return remember(cacheKey, accepted);

  let accountKeys: string[] = [];
  try {
    const keys = await runWithProgress(ctx, 'Checking the SSH keys of your Vast.ai account', (_p, signal) => ctx.client.listAccountSshKeys({ signal }));
    if (keys === CANCELLED) return undefined;
    accountKeys = keys.map((k) => k.publicKey);
  } catch (error) {
    ctx.log(`Could not read the account's SSH keys: ${(error as Error).message}`);
  }
  const onAccount = findAccepted(local.keys, accountKeys);
  const key = onAccount ?? local.keys.find((k) => k.identityFile) ?? local.keys[0];
  const items: ChoiceItem[] = [];
  if (key) {
    const where = displayPath(key.file, home);
    items.push({
      choice: 'attach',
      label: `Attach ${where} to this instance`,
      description: key.key.fingerprint,
      detail: onAccount
        ? 'It is on your account, but was added after this instance was created.'
        : 'Uploads this public key to this instance only.',
    });
    if (!onAccount) {
      items.push({ choice: 'add', label: `Add ${where} to your account and attach it`, description: key.key.fingerprint, detail: 'Instances you create from now on accept it too.' });
    }
  }
  if (!local.keys.some((k) => k.file.endsWith(`${VAST_KEY_NAME}.pub`))) {
    items.push({
      choice: 'create',
      label: `Create a new key pair ~/.ssh/${VAST_KEY_NAME}`,
      detail: 'ssh-keygen makes it here; its public key goes to your account and this instance; the Host entry uses it.',
    });
  }
  const picked = await ctx.prompter.pick(items, {
    title: `SSH key for ${name}`,
    placeholder: local.keys.length
      ? `Instance ${name} accepts none of your SSH keys: choose what to upload (only public keys)`
      : `No SSH key on this computer (~/.ssh/id_ed25519.pub…): create one to connect`,
  });
  if (picked === undefined || picked === BACK) return undefined;
  return apply(ctx, instance, picked.choice, key, home, cacheKey);
}

async function apply(ctx: FlowContext, instance: Instance, choice: Choice, key: LocalKey | undefined, home: string, cacheKey: string): Promise<KeyReady | undefined> {
  const name = instanceName(instance);
  const privateNote = 'Your private key never leaves this computer.';
  if (choice !== 'create' && key) {
    const where = displayPath(key.file, home);
    const confirmed = await ctx.prompter.confirm(
      choice === 'attach' ? `Attach your public key ${where} to instance ${name}?` : `Add your public key ${where} to your Vast.ai account and attach it to instance ${name}?`,
      {
        detail: `Uploaded: this one public key line${choice === 'attach' ? `, to instance ${instance.id} only` : ''}:\n${shortKeyLine(key.key)}\n${key.key.fingerprint}\n${privateNote}`,
        confirm: choice === 'attach' ? ATTACH_KEY : ADD_AND_ATTACH,
      },
    );
    if (!confirmed) return undefined;
    const done = await upload(ctx, instance, key, choice === 'add');
    return done ? remember(cacheKey, key) : undefined;
  }
  const confirmed = await ctx.prompter.confirm(`Create the key pair ~/.ssh/${VAST_KEY_NAME} and upload its public key?`, {
    detail:
      `ssh-keygen creates a new ed25519 key pair on this computer (no passphrase, so Remote-SSH can use it). Then its public key line is added to your Vast.ai account and attached to instance ${name}, and the Host entry uses it as IdentityFile.\n${privateNote}`,
    confirm: CREATE_KEY,
  });
  if (!confirmed) return undefined;
  let created: LocalKey;
  try {
    created = await ctx.clock.trackIo(createVastKey(home, ctx.keygen));
    ctx.log(`Created ${created.identityFile} (${created.key.fingerprint})`);
  } catch (error) {
    await reportError(ctx, error, `Create ~/.ssh/${VAST_KEY_NAME}`);
    return undefined;
  }
  const done = await upload(ctx, instance, created, true);
  return done ? remember(cacheKey, created) : undefined;
}

/** Account first when asked (1 request), then the instance (1 request). */
async function upload(ctx: FlowContext, instance: Instance, key: LocalKey, toAccount: boolean): Promise<boolean> {
  const name = instanceName(instance);
  try {
    const outcome = await runWithProgress(ctx, `Uploading the public key ${key.key.fingerprint}`, async (_p, signal) => {
      if (toAccount) await ctx.client.addAccountSshKey(key.key.line, signal);
      await ctx.client.attachSshKey(instance.id, key.key.line, signal);
    });
    if (outcome === CANCELLED) return false;
  } catch (error) {
    await reportError(ctx, error, `Upload the SSH key to instance ${name}`);
    return false;
  }
  ctx.log(`SSH key ${key.key.fingerprint} ${toAccount ? 'added to the account and ' : ''}attached to instance ${name}`);
  return true;
}

function remember(cacheKey: string, key: LocalKey): KeyReady {
  const identityFile = identityFileFor(key);
  verified.set(cacheKey, { fingerprint: key.key.fingerprint, identityFile });
  return { identityFile };
}
