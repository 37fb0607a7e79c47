import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_AIMD } from '../../../src/api/aimd';
import { BudgetRegistry } from '../../../src/api/budgetRegistry';
import { FileLimitMemory, defaultStateDirectory } from '../../../src/api/fileLimitMemory';
import { readBudgetMemory } from '../../../src/api/limitMemory';
import { VastClient } from '../../../src/api/vastClient';
import { startSimulator, type Simulator } from '../../../src/simulator';
import { mulberry32 } from '../../../src/simulator/random/prng';
import { MementoLimitMemory } from '../../../src/vscode/mementoLimitMemory';
import { VirtualClock } from '../../support/virtualClock';

describe('remembering learned limits across restarts', () => {
  let clock: VirtualClock;
  let sim: Simulator;
  let directory: string;
  let store: FileLimitMemory;
  const clients: VastClient[] = [];

  beforeEach(async () => {
    clock = new VirtualClock();
    // The server wants 2 s between show-instance requests; the clients are configured with 500 ms.
    sim = await startSimulator({ seed: 7, clock, instances: 1, rateLimits: { intervalsMs: { instance: 2000 } } });
    directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vast-limits-')), 'state');
    store = new FileLimitMemory(directory);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await sim.close();
    clock.uninstall();
    fs.rmSync(path.dirname(directory), { recursive: true, force: true });
  });

  /** A client as a fresh process would make it: its own registry (no budget in memory yet). */
  function freshProcessClient(): VastClient {
    const client = new VastClient({
      apiKey: sim.apiKey,
      baseUrl: sim.url,
      clock,
      random: mulberry32(5),
      intervalsMs: { instance: 500 },
      budgets: new BudgetRegistry(),
      limitMemory: store,
    });
    clients.push(client);
    return client;
  }

  function learning429s(): number {
    return sim.log.entries().filter((e) => e.status === 429).length;
  }

  async function showThrice(client: VastClient) {
    const id = sim.instances.list()[0].id;
    await clock.run(Promise.all([client.showInstance(id), client.showInstance(id), client.showInstance(id)]));
  }

  it('a cold start pays one learning 429; a warm start pays none', async () => {
    await showThrice(freshProcessClient());
    assert.equal(learning429s(), 1, 'cold');
    await clock.advance(60_000);
    const warm = freshProcessClient();
    assert.deepEqual([warm.rateLimits.get('instance').state().intervalMs, warm.rateLimits.get('instance').state().intervalSource], [2100, 'learned']);
    await showThrice(warm);
    assert.equal(learning429s(), 1, 'the warm start earned no 429');
  });

  it('keeps the files private: a 0700 directory, 0600 files named by a hash, no key inside', async () => {
    await showThrice(freshProcessClient());
    await clock.advance(0);
    assert.equal(fs.statSync(directory).mode & 0o777, 0o700);
    const files = fs.readdirSync(directory);
    assert.equal(files.length, 1);
    assert.match(files[0], /^limits-[0-9a-f]{32}\.json$/);
    assert.equal(fs.statSync(path.join(directory, files[0])).mode & 0o777, 0o600);
    const text = fs.readFileSync(path.join(directory, files[0]), 'utf8');
    assert.ok(!text.includes(sim.apiKey));
    assert.equal(JSON.parse(text).endpoints.instance.learned.ms, 2100);
  });

  it('a remembered cooldown still holds after a restart', async () => {
    sim.limits.exhaustSearchQuota(3600_000); // past the 2-minute cap: not slept, remembered
    const first = freshProcessClient();
    await assert.rejects(clock.run(first.searchOffers({}, { refresh: true })), /rate-limiting search offers/);
    const requests = sim.log.entries().length;
    const second = freshProcessClient();
    await assert.rejects(clock.run(second.searchOffers({}, { refresh: true })), /rate-limiting search offers/);
    assert.equal(sim.log.entries().length, requests, 'the restarted client sent nothing into the cooldown');
  });

  it('a learned interval decays back to the configured one after a day without a 429', async () => {
    await showThrice(freshProcessClient());
    await clock.advance(DEFAULT_AIMD.forgetAfterMs + 1000);
    const later = freshProcessClient();
    assert.deepEqual([later.rateLimits.get('instance').state().intervalMs, later.rateLimits.get('instance').state().intervalSource], [500, 'configured']);
  });

  it('a damaged or hostile file is no memory, not a failure', async () => {
    fs.mkdirSync(directory, { recursive: true });
    const client = freshProcessClient();
    const file = path.join(directory, `limits-${client.rateLimits.id}.json`);
    for (const text of ['{not json', 'x'.repeat(100_000), JSON.stringify({ version: 1, endpoints: { instance: { learned: { ms: 1e12, how: 'aimd', at: clock.now() } } } })]) {
      fs.writeFileSync(file, text);
      const fresh = freshProcessClient();
      assert.equal(fresh.rateLimits.get('instance').state().intervalMs, 500, text.slice(0, 20));
    }
  });

  it('validates field by field: future dates, absurd cooldowns, unknown endpoints and odd reasons are dropped', () => {
    const now = clock.now();
    const read = readBudgetMemory(
      {
        version: 1,
        endpoints: {
          instance: { learned: { ms: 2100, how: 'threshold', at: now + 3600_000 }, cooldownUntil: now + 5000, cooldownReason: 'Retry-After 5 s\u0007' },
          search: { cooldownUntil: now + 10 * 24 * 3600_000 },
          bogus: { learned: { ms: 2000, how: 'aimd', at: now } },
          user: { learned: { ms: 1500, how: 'guess', at: now } },
          create: { learned: { ms: 6000, how: 'aimd', at: now - 1000 } },
        },
      },
      now,
    );
    assert.deepEqual(read, {
      instance: { cooldownUntil: now + 5000, cooldownReason: 'Retry-After 5 s' },
      create: { learned: { ms: 6000, how: 'aimd', at: now - 1000 } },
    });
  });

  it('the extension\'s globalState store: a warm start earns no 429, and stale or surplus entries are pruned', async () => {
    const values = new Map<string, unknown>();
    const memento = {
      keys: () => [...values.keys()],
      get: (key: string) => values.get(key),
      update: async (key: string, value: unknown) => {
        values.set(key, JSON.parse(JSON.stringify(value)));
      },
    };
    const stale = { version: 1, savedAt: clock.now() - 2 * DEFAULT_AIMD.forgetAfterMs, endpoints: {} };
    values.set('vastai.learnedLimits', { old: stale, junk: 'x' });
    const make = () => {
      const client = new VastClient({
        apiKey: sim.apiKey, baseUrl: sim.url, clock, intervalsMs: { instance: 500 }, budgets: new BudgetRegistry(),
        limitMemory: new MementoLimitMemory(memento as never),
      });
      clients.push(client);
      return client;
    };
    await showThrice(make());
    await clock.advance(0);
    const saved = values.get('vastai.learnedLimits') as Record<string, unknown>;
    assert.deepEqual(Object.keys(saved), [clients[0].rateLimits.id]);
    assert.ok(!JSON.stringify(saved).includes(sim.apiKey));
    await clock.advance(60_000);
    await showThrice(make());
    assert.equal(learning429s(), 1, 'only the cold start learned');
  });

  it('the default directory follows XDG_STATE_HOME, or an explicit override', () => {
    assert.equal(defaultStateDirectory({ VAST_GPU_EXPLORER_STATE_DIR: '/x/y' }), '/x/y');
    if (process.platform !== 'win32') {
      assert.equal(defaultStateDirectory({ XDG_STATE_HOME: '/home/u/.state' }), '/home/u/.state/vast-gpu-explorer');
      assert.equal(defaultStateDirectory({}), path.join(os.homedir(), '.local', 'state', 'vast-gpu-explorer'));
    }
  });
});
