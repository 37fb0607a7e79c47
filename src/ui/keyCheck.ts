import { VastClient } from '../api/vastClient';
import type { LimitMemoryStore } from '../api/limitMemory';
import type { Clock } from '../util/clock';
import type { User } from '../vast/types';
import type { ExtensionSettings } from './settings';

/**
 * Checks a key by reading the account (Set API Key). The client is built like the session's (same
 * host, clock and memory), so it joins the same rate-limit budget: the session started right after
 * is spaced behind this check instead of colliding with it. It leaves the budget when done.
 */
export async function checkKeyWithVast(
  key: string,
  settings: ExtensionSettings,
  clock: Clock,
  signal: AbortSignal,
  limitMemory?: LimitMemoryStore,
): Promise<User> {
  const client = new VastClient({ apiKey: key, baseUrl: settings.apiUrl, clock, maxRetries: 1, limitMemory });
  try {
    return await client.currentUser({ signal });
  } finally {
    client.dispose();
  }
}
