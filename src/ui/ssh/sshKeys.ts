import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { shellQuote } from '../../util/shellQuote';
import { parsePublicKey, sameKey, type PublicKey } from '../../vast/sshPublicKey';

/** The keys OpenSSH tries by default, in its order; a Host entry needs no IdentityFile for them. */
export const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** The pair the extension creates when there is none (and uses as IdentityFile). */
export const VAST_KEY_NAME = 'vast_ed25519';

export interface LocalKey {
  /** The .pub file. */
  file: string;
  /** The private key next to it (what IdentityFile names); undefined when it is not there. */
  identityFile?: string;
  /** OpenSSH offers it without being told (one of ~/.ssh/id_*). */
  offeredByDefault: boolean;
  key: PublicKey;
}

export interface LocalKeys {
  keys: LocalKey[];
  /** Files that exist but are not one public key line (said, never uploaded). */
  problems: string[];
}

/**
 * The public keys on this computer: `vastai.sshKeyPath` when set (that file only), else
 * ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub and the extension's own vast_ed25519.pub.
 */
export async function findLocalKeys(home: string, configuredPath = ''): Promise<LocalKeys> {
  const sshDir = path.join(home, '.ssh');
  const configured = configuredPath.trim();
  const candidates = configured
    ? [expandHome(configured.endsWith('.pub') ? configured : `${configured}.pub`, home)]
    : [...DEFAULT_KEY_NAMES, VAST_KEY_NAME].map((name) => path.join(sshDir, `${name}.pub`));
  const result: LocalKeys = { keys: [], problems: [] };
  for (const file of candidates) {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (error) {
      if (configured) result.problems.push(`${file} (vastai.sshKeyPath) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      continue;
    }
    const parsed = parsePublicKey(text);
    if (!parsed.ok) {
      result.problems.push(`${file}: ${parsed.reason}`);
      continue;
    }
    const privateFile = file.slice(0, -'.pub'.length);
    const identityFile = (await exists(privateFile)) ? privateFile : undefined;
    const offeredByDefault = !configured && path.dirname(file) === sshDir && DEFAULT_KEY_NAMES.includes(path.basename(privateFile));
    result.keys.push({ file, identityFile, offeredByDefault, key: parsed.key });
  }
  return result;
}

/** The first local key the instance (or account) already has. */
export function findAccepted(local: readonly LocalKey[], accepted: readonly string[]): LocalKey | undefined {
  const parsed = accepted.map((text) => parsePublicKey(text)).flatMap((p) => (p.ok ? [p.key] : []));
  return local.find((candidate) => parsed.some((key) => sameKey(key, candidate.key)));
}

/** The IdentityFile a Host entry needs for this key: none for OpenSSH's defaults. */
export function identityFileFor(key: LocalKey): string | undefined {
  return key.offeredByDefault ? undefined : key.identityFile;
}

/**
 * Creates ~/.ssh/vast_ed25519 (no passphrase, so Remote-SSH can use it without a prompt) with
 * ssh-keygen. Refuses to overwrite an existing file.
 */
export async function createVastKey(home: string, runKeygen: KeygenRunner = runSshKeygen): Promise<LocalKey> {
  const sshDir = path.join(home, '.ssh');
  const privateFile = path.join(sshDir, VAST_KEY_NAME);
  if ((await exists(privateFile)) || (await exists(`${privateFile}.pub`))) {
    throw new Error(`${privateFile} already exists; it was not overwritten.`);
  }
  await fsp.mkdir(sshDir, { recursive: true, mode: 0o700 });
  await runKeygen(['-t', 'ed25519', '-N', '', '-C', 'vast-gpu-explorer', '-f', privateFile]);
  const parsed = parsePublicKey(await fsp.readFile(`${privateFile}.pub`, 'utf8'));
  if (!parsed.ok) throw new Error(`ssh-keygen wrote an unexpected ${privateFile}.pub: ${parsed.reason}`);
  return { file: `${privateFile}.pub`, identityFile: privateFile, offeredByDefault: false, key: parsed.key };
}

export type KeygenRunner = (args: string[]) => Promise<void>;

function runSshKeygen(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ssh-keygen', args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing ? 'ssh-keygen was not found: install OpenSSH (on Windows: the "OpenSSH Client" optional feature).' : `ssh-keygen failed: ${String(stderr).trim() || error.message}`));
    });
  });
}

/** `ssh -i <key> -p …`: an ssh command line using this identity (unchanged without one). */
export function withIdentity(command: string, identityFile: string | undefined): string {
  return identityFile ? command.replace(/^ssh /, `ssh -i ${shellQuote(identityFile)} `) : command;
}

/** "ssh-ed25519 AAAAC3Nz…k2Yw me@laptop": enough to recognise a key, short enough for a dialog. */
export function shortKeyLine(key: PublicKey): string {
  const blob = key.blob.length > 24 ? `${key.blob.slice(0, 12)}…${key.blob.slice(-8)}` : key.blob;
  return [key.type, blob, key.comment].filter(Boolean).join(' ');
}

/** ~/.ssh/id_ed25519.pub for a file under the home directory. */
export function displayPath(file: string, home: string): string {
  return file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function expandHome(file: string, home: string): string {
  return file === '~' || file.startsWith('~/') || file.startsWith('~\\') ? path.join(home, file.slice(2)) : path.resolve(file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}
