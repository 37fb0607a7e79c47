import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A key the Vast CLI would use, and where it was found (for the message; never the key itself). */
export interface CliKey {
  key: string;
  source: string;
}

/**
 * The key the official CLI would pick, in its order: `$VAST_API_KEY`, then
 * `~/.config/vastai/vast_api_key`, then the legacy `~/.vast_api_key`.
 */
export function findCliKey(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): CliKey | undefined {
  const fromEnv = env.VAST_API_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: 'the VAST_API_KEY environment variable' };
  for (const file of [path.join(home, '.config', 'vastai', 'vast_api_key'), path.join(home, '.vast_api_key')]) {
    const key = readKeyFile(file);
    if (key) return { key, source: file.replace(home, '~') };
  }
  return undefined;
}

function readKeyFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
