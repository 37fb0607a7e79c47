import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** Unix socket paths longer than this fail to bind on macOS (104) and Linux (108). */
const MAX_SOCKET_PATH = 100;

/**
 * The per-user directory that holds the coordination sockets: `$XDG_RUNTIME_DIR/vast-gpu-explorer`
 * when there is one, else `<tmp>/vast-gpu-explorer-<uid>`. Created 0700; refused when it belongs to
 * someone else or others can enter it (another user could then squat a socket name).
 */
export function coordinationDir(override?: string): string {
  if (override) return override;
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) return path.join(runtime, 'vast-gpu-explorer');
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `vast-gpu-explorer-${uid}`);
}

/** Makes sure `dir` exists, is ours and is private; throws with a sentence saying what is wrong. */
export function ensurePrivateDir(dir: string): void {
  if (process.platform === 'win32') return; // named pipes live outside the file system
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new Error(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  fs.accessSync(dir, fs.constants.W_OK);
}

/** Where the leader for `fingerprint` listens: a Unix socket in `dir`, or a named pipe on Windows. */
export function endpointPath(dir: string, fingerprint: string): string {
  if (process.platform === 'win32') {
    const user = createHash('sha256').update(os.userInfo().username).digest('hex').slice(0, 12);
    return `\\\\.\\pipe\\vast-gpu-explorer-${user}-${fingerprint}`;
  }
  const socket = path.join(dir, `${fingerprint}.sock`);
  if (socket.length > MAX_SOCKET_PATH) throw new Error(`the socket path ${socket} is too long for a Unix socket`);
  return socket;
}
