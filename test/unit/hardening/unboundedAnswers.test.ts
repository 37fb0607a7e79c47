import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

// Finding 5: no answer may make the client page, buffer or download without bound.
describe('hardening: unbounded answers', () => {
  let h: ClientHarness;
  afterEach(async () => h?.close());

  const page = (nextToken: string | null, ids: number[]) => ({
    success: true,
    instances: ids.map((id) => ({ id, actual_status: 'running', label: `i${id}` })),
    next_token: nextToken,
  });

  it('stops at a repeated next_token instead of paging on', async () => {
    h = await startClientHarness({ simulator: { instances: 0 } });
    h.sim.faults.add({ kind: 'respond', endpoint: 'instances', times: 50, response: { status: 200, body: page('same', [1, 2]) } });
    await assert.rejects(h.run(h.client.listInstances()), (e: unknown) => isVastApiError(e, 'invalid-response') && /repeated/.test(e.message));
    assert.equal(h.sim.log.count({ endpoint: 'instances' }), 2);
  });

  it('caps the number of pages', async () => {
    h = await startClientHarness({ simulator: { instances: 100 }, client: { maxPages: 3 } });
    await assert.rejects(h.run(h.client.listInstances()), (e: unknown) => isVastApiError(e, 'invalid-response') && /more than 3 pages/.test(e.message));
    assert.equal(h.sim.log.count({ endpoint: 'instances' }), 3);
  });

  it('abandons a body past the cap while it streams (an endless body does not hang or fill memory)', async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { maxBodyBytes: 64 * 1024 } });
    h.sim.faults.add({ kind: 'respond', endpoint: 'user', response: { status: 200, body: 'x'.repeat(1024), repeat: 256, endless: true } });
    await assert.rejects(h.run(h.client.currentUser()), (e: unknown) => isVastApiError(e, 'invalid-response') && /larger than 64 KB/.test(e.message));
    assert.equal(h.events.filter((e) => e.type !== 'wait').length, 1, 'not asked again: the same answer would come back');
  });

  it('refuses a body whose Content-Length is past the cap before reading it', async () => {
    h = await startClientHarness({ simulator: { instances: 1 }, client: { maxBodyBytes: 64 * 1024 } });
    h.sim.faults.add({ kind: 'respond', endpoint: 'instances', response: { status: 200, body: ' '.repeat(1024), repeat: 128 } });
    await assert.rejects(h.run(h.client.listInstances()), (e: unknown) => isVastApiError(e, 'invalid-response') && /larger than/.test(e.message));
  });

  for (const url of ['http://evil.example/logs', 'file:///etc/passwd', 'ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url']) {
    it(`does not download a log from ${url}`, async () => {
      h = await startClientHarness({ simulator: { instances: 1 } });
      const id = h.sim.instances.list()[0].id;
      h.sim.faults.add({ kind: 'respond', endpoint: 'logs', response: { status: 200, body: { success: true, result_url: url } } });
      await assert.rejects(h.run(h.client.instanceLogs(id)), (e: unknown) => isVastApiError(e, 'invalid-response') && /result_url/.test(e.message));
    });
  }

  it('still downloads a log from a loopback http result_url (the simulator)', async () => {
    h = await startClientHarness({ simulator: { instances: [{ status: 'running' }] } });
    const id = h.sim.instances.list()[0].id;
    const text = await h.run(h.client.instanceLogs(id));
    assert.ok(text.length > 0);
  });
});
