import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { isVastApiError } from '../../../src/api/errors';
import { MAX_SERVER_WAIT_MS, parseRetryAfter } from '../../../src/api/retryHints';
import { parseInstances, parseOffers } from '../../../src/api/wireSchemas';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';
import { summarizeAccount } from '../../../src/ui/accountSummary';
import { compareInstances, presentInstance } from '../../../src/ui/instancePresentation';
import { jupyterAccess } from '../../../src/ui/jupyterUrl';
import { RateLimitIndicator } from '../../../src/ui/rateLimitIndicator';
import { offerItem } from '../../../src/ui/offerPresentation';
import { renderSshHostBlock, sshHostEntry, upsertSshHost, writeSshHost } from '../../../src/ui/ssh/sshConfig';
import { instanceSshCommand, sshEndpoint } from '../../../src/ui/ssh/sshEndpoint';
import { formatDuration, formatUtcTime } from '../../../src/util/format';
import { isSafeHost, isValidPort } from '../../../src/vast/hostAddress';
import type { Instance } from '../../../src/vast/types';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { hostileInstance, hostileInstanceList, hostileOffer, json, NASTY_STRINGS, retryAfter } from '../../support/hostileArbitraries';

// Finding 11: random and malformed server data at every layer. Run counts are kept small (seeded
// by fast-check per run; a failure prints its seed and shrunk counterexample).
const ignore = () => undefined;

/** Every field the presentation reads has the type the Instance type promises. */
function assertWellTyped(instance: Instance): void {
  assert.ok(Number.isSafeInteger(instance.id) && instance.id > 0);
  for (const field of ['label', 'gpu_name', 'status_msg', 'image_uuid', 'image_runtype', 'jupyter_token', 'geolocation'] as const) {
    assert.ok(instance[field] === null || typeof instance[field] === 'string', field);
  }
  for (const field of ['num_gpus', 'dph_total', 'cpu_ram', 'gpu_ram', 'start_date', 'ssh_port', 'reliability2'] as const) {
    assert.ok(instance[field] === null || (typeof instance[field] === 'number' && Number.isFinite(instance[field])), field);
  }
  assert.ok(instance.public_ipaddr === null || isSafeHost(instance.public_ipaddr));
  assert.ok(instance.ssh_host === null || isSafeHost(instance.ssh_host));
  assert.ok(instance.ports === null || typeof instance.ports === 'object');
}

/** No Markdown in a tooltip that acts: link or image openers, HTML, or a row break from data. */
function assertInertMarkdown(markdown: string): void {
  assert.doesNotMatch(markdown, /(^|[^\\])\]\(/);
  assert.doesNotMatch(markdown, /(^|[^\\])<[a-z]/i);
}

describe('hardening: property-based (fast-check)', () => {
  describe('the client over real HTTP', () => {
    let h: ClientHarness;
    beforeEach(async () => {
      h = await startClientHarness({ simulator: { instances: 3 }, client: { maxRetries: 1 } });
    });
    afterEach(async () => h.close());

    const noKey = (text: string) => assert.ok(!text.includes(h.sim.apiKey), 'the API key appears in output');

    it('any instance list answer: typed instances or a VastApiError, never the key', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: hostileInstanceList.map((instances) => ({ success: true, instances, next_token: null })) }, { weight: 1, arbitrary: json }), async (body) => {
          h.sim.faults.clear();
          h.sim.faults.add({ kind: 'respond', endpoint: 'instances', times: 3, response: { status: 200, body } });
          try {
            const list = await h.run(h.client.listInstances());
            list.forEach(assertWellTyped);
          } catch (error) {
            assert.ok(isVastApiError(error), `not a VastApiError: ${String(error)}`);
            noKey(error.message);
          }
          noKey(JSON.stringify(h.events));
        }),
        { numRuns: 40 },
      );
    });

    it('any sequence of page tokens ends (repeats, garbage, endless) without an unexpected error', async () => {
      const token = fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constant(null), json, fc.string({ maxLength: 5 }));
      await fc.assert(
        fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 8 }), async (tokens) => {
          h.sim.faults.clear();
          for (const next_token of tokens) {
            h.sim.faults.add({ kind: 'respond', endpoint: 'instances', response: { status: 200, body: { success: true, instances: [{ id: 1, actual_status: 'running' }], next_token } } });
          }
          const before = h.sim.log.count({ endpoint: 'instances' });
          try {
            await h.run(h.client.listInstances());
          } catch (error) {
            assert.ok(isVastApiError(error), `not a VastApiError: ${String(error)}`);
          }
          assert.ok(h.sim.log.count({ endpoint: 'instances' }) - before <= tokens.length + 2 * 2, 'bounded requests');
        }),
        { numRuns: 25 },
      );
    });

    it('any 429 (Retry-After, body with or without threshold= or the key): a clear error, never a RangeError or the key', async () => {
      const body = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.nat().map((n) => `API requests too frequent endpoint threshold=${n}`),
        fc.constant('threshold=99999999999999'),
        json,
      );
      await fc.assert(
        fc.asyncProperty(retryAfter, body, fc.boolean(), async (header, text, echoKey) => {
          await h.close();
          h = await startClientHarness({ simulator: { instances: 1 }, client: { maxRetries: 1, maxWaitMs: 30_000 } });
          const payload = echoKey ? `${typeof text === 'string' ? text : JSON.stringify(text)} key=${h.sim.apiKey}` : text;
          h.sim.faults.add({ kind: 'respond', endpoint: 'user', times: 2, response: { status: 429, headers: { 'Retry-After': header }, body: payload } });
          for (let call = 0; call < 2; call++) {
            try {
              await h.run(h.client.currentUser());
            } catch (error) {
              assert.ok(isVastApiError(error), `not a VastApiError: ${String(error)}`);
              noKey(error.message);
            }
          }
          // The status bar formats every gate's cooldown: it must survive whatever the server said.
          const view = new RateLimitIndicator().render({ now: h.clock.now(), gates: h.client.rateLimits.states(), key: 'ok', simulated: false });
          noKey(view.tooltip);
          noKey(JSON.stringify(h.events));
        }),
        { numRuns: 20 },
      );
    });
  });

  it('Retry-After parsing: undefined or a wait from 0 to a day, whatever the header', () => {
    fc.assert(
      fc.property(fc.oneof(retryAfter, fc.string()), fc.integer({ min: 0, max: 4e12 }), (header, now) => {
        const ms = parseRetryAfter(header, now);
        assert.ok(ms === undefined || (Number.isInteger(ms) && ms >= 0 && ms <= MAX_SERVER_WAIT_MS));
        if (ms !== undefined) assert.doesNotThrow(() => formatUtcTime(now + ms, now) + formatDuration(ms));
      }),
      { numRuns: 300 },
    );
  });

  it('the monitor: any answers, polled twice, never reject and never leave a wrong type in the snapshot', async () => {
    await fc.assert(
      fc.asyncProperty(hostileInstanceList, hostileInstanceList, fc.boolean(), async (first, second, raw) => {
        const answers = [first, second];
        // Through the boundary as the client does, or raw (a source that skipped it) to stress the diff.
        const source = { listInstances: async () => (raw ? (answers.shift() as unknown as Instance[]) : parseInstances(answers.shift(), ignore)) };
        const monitor = new InstanceMonitor(source);
        try {
          monitor.onDidChangeInstances((change) => {
            if (!raw) change.added.forEach((instance) => presentInstance(instance, Date.now()));
          });
          await monitor.refresh();
          const snapshot = await monitor.refresh();
          if (!raw) [...snapshot.instances.values()].forEach(assertWellTyped);
        } finally {
          monitor.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the presentation: any parsed instances and offers render and sort, tooltips stay inert', () => {
    fc.assert(
      fc.property(hostileInstanceList, fc.array(hostileOffer, { maxLength: 4 }), fc.integer({ min: 0, max: 4e12 }), (list, offers, now) => {
        const instances = parseInstances(list, ignore);
        const sorted = [...instances].sort(compareInstances);
        for (const instance of sorted) {
          const look = presentInstance(instance, now);
          assert.equal(typeof look.label, 'string');
          assertInertMarkdown(look.tooltip);
          jupyterAccess(instance);
        }
        summarizeAccount({ id: 1, username: '', email: '', fullname: null, credit: null, balance: null, has_billing: null, can_pay: null, email_verified: null }, instances);
        for (const offer of parseOffers(offers, ignore)) offerItem(offer);
      }),
      { numRuns: 200 },
    );
  });

  describe('the SSH config writer', () => {
    it('only checked hosts and ports reach an endpoint, a command line or a config block', () => {
      fc.assert(
        fc.property(hostileInstance, (raw) => {
          const [instance] = parseInstances([{ id: 7, ...raw }].map((r) => ({ ...r, id: 7 })), ignore);
          // The presentation is also safe on an instance that skipped the boundary.
          for (const candidate of [instance, { ...(raw as object), id: 7 } as unknown as Instance]) {
            const endpoint = sshEndpoint(candidate);
            if (!endpoint) continue;
            assert.ok(isSafeHost(endpoint.host) && isValidPort(endpoint.port));
            assert.match(instanceSshCommand(candidate)!, /^ssh -p \d{1,5} root@[A-Za-z0-9.:-]+$/);
            const block = renderSshHostBlock(sshHostEntry(7, endpoint)).join('\n');
            assert.match(block, /^ {2}HostName [A-Za-z0-9.:-]+$/m);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('any host string is written only if it is a plain host name or IP', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.constantFrom(...NASTY_STRINGS), fc.domain(), fc.ipV4()), fc.string({ maxLength: 200 }), (host, existing) => {
          const entry = { alias: 'vast-9', hostName: host, port: 22, user: 'root' };
          let text: string;
          try {
            text = upsertSshHost(existing, entry).text;
          } catch {
            return; // refused
          }
          assert.ok(isSafeHost(host), `wrote ${JSON.stringify(host)}`);
          assert.ok(text.includes(`  HostName ${host}`));
        }),
        { numRuns: 300 },
      );
    });

    it('on disk: concurrent writes of random entries keep every safe one, and no unsafe one', async () => {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'vast-prop-'));
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.oneof(fc.ipV4(), fc.constantFrom(...NASTY_STRINGS))), { maxLength: 6 }), async (entries) => {
            const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
            await Promise.all(entries.map(([id, host]) => writeSshHost(file, { alias: `vast-${id}`, hostName: host, port: 22, user: 'root' }).catch(ignore)));
            const text = await fsp.readFile(file, 'utf8').catch(() => '');
            for (const line of text.split('\n').filter((l) => l.startsWith('  HostName '))) assert.ok(isSafeHost(line.slice('  HostName '.length)), line);
            const safe = new Set(entries.filter(([, host]) => isSafeHost(host)).map(([id]) => `vast-${id}`));
            for (const alias of safe) assert.ok(text.includes(`Host ${alias}\n`), alias);
          }),
          { numRuns: 20 },
        );
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
