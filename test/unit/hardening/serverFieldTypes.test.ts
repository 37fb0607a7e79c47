import assert from 'node:assert/strict';
import { VastClient } from '../../../src/api/vastClient';
import type { FieldDrop } from '../../../src/api/wireSchemas';
import { diffInstances } from '../../../src/monitor/snapshotDiff';
import { setApiKeyFlow, type KeyStore } from '../../../src/ui/apiKeyFlows';
import { summarizeAccount } from '../../../src/ui/accountSummary';
import { compareInstances, presentInstance } from '../../../src/ui/instancePresentation';
import { offerItem } from '../../../src/ui/offerPresentation';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { ScriptedPrompter } from '../../support/scriptedPrompter';

// Finding 6: odd field types from the server degrade one cell, never the view; drops are logged once.
describe('hardening: server field types are checked at the boundary', () => {
  let h: ClientHarness;
  let drops: FieldDrop[];
  beforeEach(async () => {
    h = await startClientHarness({ simulator: { instances: 0 } });
    drops = [];
    // Optional call: the same tests run against a client without the boundary (to see them fail).
    (h.client as { onDidDropField?: VastClient['onDidDropField'] }).onDidDropField?.((drop) => drops.push(drop));
  });
  afterEach(async () => h.close());

  const hostile = [
    { id: 1, actual_status: 'running', label: 12345, gpu_name: null, status_msg: 42, public_ipaddr: { a: 1 }, start_date: 1e300, num_gpus: 'two' },
    { id: 2, actual_status: 'warp-speed', label: 'ok', gpu_name: ['x'], ssh_host: '$(id>/tmp/x)', ssh_port: 99999, dph_total: '0.5', start_date: -5 },
    { id: 'three', actual_status: 'running' },
    null,
    'text',
    { id: 4, actual_status: 'running', label: 'b', image_uuid: { nested: true }, jupyter_token: 7, ports: { '22/tcp': [{ HostPort: 22 }] } },
  ];

  function listAnswer(instances: unknown[]) {
    return { status: 200, body: { success: true, instances, next_token: null } };
  }

  it('an instance list with wrong field types renders every readable row, unknowns as unknown', async () => {
    h.sim.faults.add({ kind: 'respond', endpoint: 'instances', response: listAnswer(hostile) });
    const instances = await h.run(h.client.listInstances());
    assert.deepEqual(instances.map((i) => i.id), [1, 2, 4], 'rows without a numeric id are left out');
    const [one, two, four] = instances;
    assert.equal(one.label, null);
    assert.equal(one.gpu_name, null);
    assert.equal(one.status_msg, null);
    assert.equal(one.public_ipaddr, null);
    assert.equal(one.start_date, null);
    assert.equal(two.actual_status, 'unknown', 'an unrecognised status is "unknown", not "provisioning"');
    assert.equal(two.ssh_host, null);
    assert.equal(two.ssh_port, null);
    assert.equal(two.dph_total, null);
    assert.equal(four.ports, null);
    // The tree's work: sort and present every row without throwing.
    const now = h.clock.now();
    const sorted = [...instances].sort(compareInstances);
    for (const instance of sorted) {
      const look = presentInstance(instance, now);
      assert.ok(look.label.length > 0);
      assert.doesNotMatch(look.tooltip, /\$\(id/);
    }
    assert.match(presentInstance(one, now).description, /unknown GPU/);
    assert.match(presentInstance(two, now).description, /\$\?\/h/);
  });

  it('logs each kind of dropped field once, however many polls repeat it', async () => {
    h.sim.faults.add({ kind: 'respond', endpoint: 'instances', times: 3, response: listAnswer(hostile) });
    await h.run(h.client.listInstances());
    const first = drops.length;
    await h.run(h.client.listInstances());
    await h.run(h.client.listInstances());
    assert.equal(drops.length, first, 'nothing new to say on later polls');
    const keys = drops.map((d) => `${d.kind}.${d.field}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const field of ['label', 'gpu_name', 'status_msg', 'public_ipaddr', 'start_date', 'ssh_host', 'ports', 'id']) {
      assert.ok(keys.includes(`instance.${field}`), field);
    }
  });

  it('a deeply nested ports value neither overflows the snapshot diff nor reaches it', async () => {
    const depth = 50_000; // JSON.stringify gives up near 10 000 levels
    const deep = `{"22/tcp":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const body = `{"success":true,"next_token":null,"instances":[{"id":9,"actual_status":"running","ports":${deep}}]}`;
    h.sim.faults.add({ kind: 'respond', endpoint: 'instances', times: 2, response: { status: 200, body } });
    const before = await h.run(h.client.listInstances());
    const after = await h.run(h.client.listInstances());
    assert.equal(before[0].ports, null);
    const diff = diffInstances(new Map(before.map((i) => [i.id, i])), new Map(after.map((i) => [i.id, i])));
    assert.equal(diff.changed.length, 0);
  });

  it('an offer with cpu_cores_effective null still lists; one without a price is left out', async () => {
    const good = h.sim.offers.all()[0];
    const offers = [
      { ...good, id: 101, cpu_cores_effective: null, inet_down: 'fast', reliability: {}, geolocation: 5 },
      { ...good, id: 102, dph_total: 'cheap' },
      { ...good, id: 103 },
    ];
    h.sim.faults.add({ kind: 'respond', endpoint: 'search', response: { status: 200, body: { success: true, offers } } });
    const result = await h.run(h.client.searchOffers({ gpuName: 'RTX 4090' }));
    assert.deepEqual(result.offers.map((o) => o.id), [101, 103]);
    const item = offerItem(result.offers[0]);
    assert.match(item.detail!, /\? CPU/);
    assert.match(item.description!, /\?% · unknown location/);
    assert.ok(drops.some((d) => d.kind === 'offer' && d.field === 'dph_total'));
  });

  it('credit: null does not throw after the key was stored; the account line leaves the credit out', async () => {
    h.sim.faults.add({ kind: 'respond', endpoint: 'user', times: 2, response: { status: 200, body: { id: 5, username: 'ann', credit: null } } });
    const store: KeyStore & { key?: string } = {
      async get() {
        return this.key;
      },
      async set(key: string) {
        this.key = key;
      },
      async delete() {},
    };
    const prompter = new ScriptedPrompter().type(h.sim.apiKey).onNotice('info', /^Connected to Vast\.ai as ann\.$/);
    const ok = await h.run(
      setApiKeyFlow({
        prompter,
        store,
        verify: (key, signal) => new VastClient({ apiKey: key, baseUrl: h.sim.url, clock: h.clock, maxRetries: 0 }).currentUser({ signal }),
        findCliKey: () => undefined,
        onKeyChanged: async () => undefined,
      }),
    );
    assert.equal(ok, true);
    prompter.assertDone();
    const user = await h.run(h.client.currentUser().catch(() => undefined));
    assert.equal(summarizeAccount(user ?? undefined, []), 'none running');
  });

  it('an account answer without an id is refused before anything is stored', async () => {
    h.sim.faults.add({ kind: 'respond', endpoint: 'user', response: { status: 200, body: { id: '5', credit: 3 } } });
    await assert.rejects(h.run(h.client.currentUser()), /no user id/);
  });
});
