import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BudgetMemory, LimitMemoryStore } from './limitMemory';

const MAX_FILE_BYTES = 64 * 1024;
const ID_PATTERN = /^[0-9a-f]{16,64}$/;

/**
 * Learned limits in a per-user state directory, one small JSON file per budget
 * (`limits-<budget id>.json`): what scripts using dist/core.js remember between runs. The directory
 * is made 0700 and files 0600; a write goes to a temporary file renamed over the old one, so a
 * reader never sees half a file. Reads are capped and validated by the caller.
 */
export class FileLimitMemory implements LimitMemoryStore {
  constructor(readonly directory: string = defaultStateDirectory()) {}

  read(id: string): unknown {
    const file = this.file(id);
    if (!file) return undefined;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined; // missing, unreadable or not JSON: nothing remembered
    }
  }

  write(id: string, memory: BudgetMemory): void {
    const file = this.file(id);
    if (!file) return;
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      // The umask may loosen the mode given to mkdir: set it again on a directory we made.
      if (fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 }) !== undefined) fs.chmodSync(this.directory, 0o700);
      fs.writeFileSync(temporary, JSON.stringify(memory), { mode: 0o600 });
      fs.renameSync(temporary, file);
    } catch {
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // nothing more to do: the write was best effort
      }
    }
  }

  private file(id: string): string | undefined {
    return ID_PATTERN.test(id) ? path.join(this.directory, `limits-${id}.json`) : undefined;
  }
}

/**
 * `$VAST_GPU_EXPLORER_STATE_DIR`, else the platform's per-user state directory:
 * `$XDG_STATE_HOME/vast-gpu-explorer` (default ~/.local/state), `%LOCALAPPDATA%\vast-gpu-explorer`
 * on Windows.
 */
export function defaultStateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VAST_GPU_EXPLORER_STATE_DIR) return env.VAST_GPU_EXPLORER_STATE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'vast-gpu-explorer');
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'vast-gpu-explorer');
}
