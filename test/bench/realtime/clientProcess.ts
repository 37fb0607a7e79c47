// One client in its own process, on real timers, for the real-time workloads:
//   clientProcess.ts <scenario> <url> <apiKey> [stateDir]
// Prints one JSON line with what it measured itself (the parent counts requests from the server).
import { FileLimitMemory } from '../../../src/api/fileLimitMemory';
import { BudgetRegistry } from '../../../src/api/budgetRegistry';
import { VastClient } from '../../../src/api/vastClient';
import { checkKeyWithVast } from '../../../src/ui/keyCheck';
import { Session } from '../../../src/ui/session';
import { DEFAULT_SETTINGS } from '../../../src/ui/settings';
import { systemClock } from '../../../src/util/clock';

type Scenario = (url: string, apiKey: string, stateDir?: string) => Promise<Record<string, unknown>>;

const SCENARIOS: Record<string, Scenario> = {
  /** 30 distinct searches at once, configured at half the server's interval. */
  async burst(url, apiKey) {
    const client = new VastClient({ apiKey, baseUrl: url, intervalsMs: { search: 1000 }, limitMemory: null });
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => client.searchOffers({ maxDph: 1 + i / 100 })));
    const elapsedMs = Date.now() - started;
    client.dispose();
    return { elapsedMs, failed: results.filter((r) => r.status === 'rejected').length };
  },

  /** Set API Key (the key check) and right after it the session's start: account and first poll. */
  async setKeyThenSession(url, apiKey) {
    const settings = { ...DEFAULT_SETTINGS, apiUrl: url };
    await checkKeyWithVast(apiKey, settings, systemClock, new AbortController().signal, undefined);
    const session = Session.forKey(apiKey, settings, systemClock);
    await Promise.all([session.refreshAccount(), session.monitor.refresh()]);
    await session.dispose();
    return {};
  },

  /** The same with the check on a budget of its own: how the extension worked before. */
  async setKeyThenSessionUnshared(url, apiKey) {
    const settings = { ...DEFAULT_SETTINGS, apiUrl: url };
    const check = new VastClient({ apiKey, baseUrl: url, maxRetries: 1, budgets: new BudgetRegistry(), limitMemory: null });
    await check.currentUser();
    check.dispose();
    const session = Session.forKey(apiKey, settings, systemClock);
    await Promise.all([session.refreshAccount(), session.monitor.refresh()]);
    await session.dispose();
    return {};
  },

  /** Three show-instance requests, configured shorter than the server's interval, with a state directory. */
  async showThrice(url, apiKey, stateDir) {
    const client = new VastClient({ apiKey, baseUrl: url, intervalsMs: { instance: 500 }, limitMemory: new FileLimitMemory(stateDir) });
    const [first] = await client.listInstances();
    await Promise.all([client.showInstance(first.id), client.showInstance(first.id), client.showInstance(first.id)]);
    client.dispose();
    return {};
  },
};

async function main(): Promise<void> {
  const [scenario, url, apiKey, stateDir] = process.argv.slice(2);
  const run = SCENARIOS[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  process.stdout.write(`${JSON.stringify(await run(url, apiKey, stateDir))}\n`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
