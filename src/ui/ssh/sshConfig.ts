import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import { isSafeHost, isValidPort } from '../../vast/hostAddress';
import type { SshEndpoint } from './sshEndpoint';

/**
 * The `Host vast-<id>` entries the extension keeps in the user's SSH config, between marker
 * comments so they can be updated in place and removed without touching anything else.
 *
 * Host keys: Vast reuses public IP:port pairs and proxy ports across instances, so a plain entry
 * soon hits "REMOTE HOST IDENTIFICATION HAS CHANGED" for an endpoint that now belongs to another
 * instance. The common fix (`StrictHostKeyChecking no` + `UserKnownHostsFile /dev/null`) turns
 * host verification off. Instead each entry pins its key per instance:
 * - `HostKeyAlias vast-<id>`: the key is recorded under the instance, not under IP:port, so a
 *   recycled endpoint is simply a new host, and the direct and proxy routes (same container,
 *   same key) share one record;
 * - `StrictHostKeyChecking accept-new`: the first key is accepted without a prompt (Remote-SSH
 *   has no terminal to answer it in), a changed key for the same instance is refused;
 * - `UserKnownHostsFile ~/.ssh/known_hosts_vast`: these short-lived keys stay out of the
 *   person's own known_hosts, and can be deleted all at once.
 */
export interface SshHostEntry {
  /** The Host name, `vast-<id>`. */
  alias: string;
  hostName: string;
  port: number;
  user: string;
  /** The private key to use (not one OpenSSH tries by default, e.g. ~/.ssh/vast_ed25519). */
  identityFile?: string;
}

export const VAST_KNOWN_HOSTS_FILE = '~/.ssh/known_hosts_vast';

const BEGIN = /^\s*# --- vast-gpu-explorer begin (\S+) ---\s*$/;
const END = /^\s*# --- vast-gpu-explorer end (\S+) ---\s*$/;
/** A line that starts a Host or Match section (keywords are case-insensitive; `Host=x` is valid). */
const SECTION = /^\s*(host|match)(\s|=)/i;

export function vastHostAlias(instanceId: number): string {
  return `vast-${instanceId}`;
}

export function sshHostEntry(instanceId: number, endpoint: SshEndpoint): SshHostEntry {
  return { alias: vastHostAlias(instanceId), hostName: endpoint.host, port: endpoint.port, user: endpoint.user };
}

/** The block's lines, markers included. */
export function renderSshHostBlock(entry: SshHostEntry): string[] {
  if (!/^vast-\d+$/.test(entry.alias)) throw new Error(`Invalid SSH host alias "${entry.alias}".`);
  // HostName is expanded by ssh (%h in a ProxyCommand runs through a shell): plain names and IPs only.
  if (!isSafeHost(entry.hostName)) throw new Error(`Invalid SSH host name "${entry.hostName}": only an IP address or a plain host name is written.`);
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(entry.user)) throw new Error(`Invalid SSH user "${entry.user}".`);
  if (!isValidPort(entry.port)) throw new Error(`Invalid SSH port ${entry.port}.`);
  return [
    `# --- vast-gpu-explorer begin ${entry.alias} ---`,
    `Host ${entry.alias}`,
    `  HostName ${entry.hostName}`,
    `  Port ${entry.port}`,
    `  User ${entry.user}`,
    '  StrictHostKeyChecking accept-new',
    `  HostKeyAlias ${entry.alias}`,
    `  UserKnownHostsFile ${VAST_KNOWN_HOSTS_FILE}`,
    ...identityLines(entry.identityFile),
    `# --- vast-gpu-explorer end ${entry.alias} ---`,
  ];
}

/** `IdentityFile "<path>"` (quoted: home directories can have spaces) and only that key offered. */
function identityLines(identityFile: string | undefined): string[] {
  if (identityFile === undefined) return [];
  if (!identityFile || /["\x00-\x1f\x7f]/.test(identityFile)) throw new Error(`Invalid IdentityFile path ${JSON.stringify(identityFile)}.`);
  return [`  IdentityFile "${identityFile}"`, '  IdentitiesOnly yes'];
}

export interface ConfigEdit {
  text: string;
  changed: boolean;
}

/**
 * Inserts or updates the entry's block. An existing block is replaced where it is; a new one goes
 * after the other Vast blocks, else before the first Host/Match section (so a later `Host *` does
 * not override it, and the global options at the top stay global), else at the end.
 * Line endings and every other line are kept. Applying the same entry twice changes nothing.
 */
export function upsertSshHost(text: string, entry: SshHostEntry): ConfigEdit {
  const block = renderSshHostBlock(entry);
  const { lines, eol } = splitLines(text);
  const own = findBlocks(lines);
  const mine = own.filter((b) => b.alias === entry.alias);
  let next: string[];
  if (mine.length > 0) {
    next = [...lines];
    // Later duplicates go first, so the indexes of earlier ones stay valid.
    for (const dup of mine.slice(1).reverse()) next.splice(dup.start, dup.end - dup.start + 1);
    next.splice(mine[0].start, mine[0].end - mine[0].start + 1, ...block);
  } else {
    const at = own.length > 0 ? own[own.length - 1].end + 1 : firstSection(lines) ?? lines.length;
    next = insertWithSpacing(lines, at, block);
  }
  const result = joinLines(next, eol);
  return { text: result, changed: result !== text };
}

/** Removes the entry's block (and one blank line it leaves behind); other lines are kept. */
export function removeSshHost(text: string, alias: string): ConfigEdit {
  const { lines, eol } = splitLines(text);
  const mine = findBlocks(lines).filter((b) => b.alias === alias);
  if (mine.length === 0) return { text, changed: false };
  const next = [...lines];
  for (const b of [...mine].reverse()) {
    let { start, end } = b;
    const blankBefore = start === 0 || next[start - 1].trim() === '';
    const after = next[end + 1];
    // Drop the blank line the insert added, so insert + remove gives back the original text.
    if (after !== undefined && after.trim() === '' && blankBefore) end++;
    else if (after === undefined && start > 0 && next[start - 1].trim() === '') start--;
    next.splice(start, end - start + 1);
  }
  const result = joinLines(next, eol);
  return { text: result, changed: result !== text };
}

export interface FileEdit {
  changed: boolean;
  /** The file did not exist before. */
  created: boolean;
  /** The file actually written (a symlinked config is edited where it points). */
  file: string;
}

/**
 * Applies the entry to an SSH config file on disk. Creates missing directories (mode 700) and the
 * file (mode 600); an existing file keeps its mode and its other content, a symlink stays a
 * symlink. The new content is written to a temporary file next to it and renamed into place.
 */
export async function writeSshHost(file: string, entry: SshHostEntry): Promise<FileEdit> {
  return editFile(file, (text) => upsertSshHost(text, entry), true);
}

/** Removes the entry from the file, if the file exists and holds it. */
export async function deleteSshHost(file: string, alias: string): Promise<FileEdit> {
  return editFile(file, (text) => removeSshHost(text, alias), false);
}

/** Edits of one file in this process, one after another (the lock file covers other windows). */
const pending = new Map<string, Promise<unknown>>();

async function editFile(file: string, edit: (text: string) => ConfigEdit, create: boolean): Promise<FileEdit> {
  const target = await resolveTarget(file);
  const previous = pending.get(target) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(() => lockedEdit(target, edit, create));
  pending.set(target, mine);
  try {
    return await mine;
  } finally {
    if (pending.get(target) === mine) pending.delete(target);
  }
}

/**
 * Read, edit and replace the file while holding `<file>.lock` (proper-lockfile: a directory made
 * atomically, refreshed while held, taken over when stale), so two VS Code windows writing at once
 * both keep their entries.
 */
async function lockedEdit(target: string, edit: (text: string) => ConfigEdit, create: boolean): Promise<FileEdit> {
  const dir = path.dirname(target);
  if (!create && !(await exists(target))) return { changed: false, created: false, file: target };
  const made = await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (made) await fsp.chmod(made, 0o700).catch(() => undefined);
  let compromised: Error | undefined;
  const release = await lockfile.lock(target, {
    realpath: false, // the file may not exist yet
    stale: 10_000,
    retries: { retries: 40, factor: 1.3, minTimeout: 25, maxTimeout: 500, randomize: true },
    // Without a handler proper-lockfile throws from a timer: an uncaught exception.
    onCompromised: (error) => {
      compromised = error;
    },
  });
  try {
    let text = '';
    let mode = 0o600;
    let existed = true;
    try {
      text = await fsp.readFile(target, 'utf8');
      mode = (await fsp.stat(target)).mode & 0o777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      existed = false;
    }
    if (!existed && !create) return { changed: false, created: false, file: target };
    const result = edit(text);
    if (!result.changed && existed) return { changed: false, created: false, file: target };
    if (compromised) throw new Error(`Another program took the lock on ${target} (${compromised.message}); nothing was written.`);
    const temp = path.join(dir, `.${path.basename(target)}.vast-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
    try {
      await fsp.writeFile(temp, result.text, { mode });
      await fsp.chmod(temp, mode).catch(() => undefined); // writeFile's mode is reduced by the umask
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    return { changed: true, created: !existed, file: target };
  } finally {
    await release().catch(() => undefined);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a (possibly symlinked) file really is. A symlink is written through, never replaced: a
 * dangling one (a dotfiles repo not checked out yet) leads to the file it names, which is created.
 */
async function resolveTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await fsp.readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') {
        // Not a symlink (or not there): resolve its directory's links, keep the name.
        const dir = await fsp.realpath(path.dirname(current)).catch(() => path.dirname(current));
        return path.join(dir, path.basename(current));
      }
      throw error;
    }
    current = path.resolve(path.dirname(current), link);
  }
  throw new Error(`${file} is a loop of symbolic links; fix it before connecting.`);
}

interface Block {
  alias: string;
  start: number;
  end: number;
}

function findBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = lines[i].match(BEGIN);
    if (!begin) continue;
    const alias = begin[1];
    let end = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const close = lines[j].match(END);
      if (close && close[1] === alias) {
        end = j;
        break;
      }
      // A block whose end marker was deleted ends before the next section after its own Host line.
      if (BEGIN.test(lines[j]) || (j > i + 1 && SECTION.test(lines[j]))) {
        end = j - 1;
        break;
      }
    }
    if (end < 0) end = lines.length - 1;
    blocks.push({ alias, start: i, end });
    i = end;
  }
  return blocks;
}

function firstSection(lines: string[]): number | undefined {
  const index = lines.findIndex((line) => SECTION.test(line));
  return index < 0 ? undefined : index;
}

/** Inserts `block` at `at`, with one blank line between it and any neighbouring text. */
function insertWithSpacing(lines: string[], at: number, block: string[]): string[] {
  const before = lines.slice(0, at);
  const after = lines.slice(at);
  const out = [...before];
  if (out.length > 0 && out[out.length - 1].trim() !== '') out.push('');
  out.push(...block);
  if (after.length > 0 && after[0].trim() !== '') out.push('');
  out.push(...after);
  return out;
}

function splitLines(text: string): { lines: string[]; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text === '') return { lines: [], eol };
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline
  return { lines, eol };
}

function joinLines(lines: string[], eol: string): string {
  return lines.length === 0 ? '' : lines.join(eol) + eol;
}
