import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { VastClient } from '../../../src/api/vastClient';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';

describe('errors classified by body (real HTTP)', () => {
  let h: ClientHarness;
  afterEach(async () => h?.close());

  it('a bad key answered 404 auth_error "Invalid user key" is an auth error: showInstance does not say "gone"', async () => {
    h = await startClientHarness({ simulator: { instances: 1, badKeyStatus: 404 } });
    const id = h.sim.instances.list()[0].id;
    const bad = new VastClient({ apiKey: 'not-a-real-key-0000', baseUrl: h.sim.url, clock: h.clock });
    try {
      const error = await h.run(bad.showInstance(id)).then(
        (value) => assert.fail(`resolved with ${JSON.stringify(value)}`),
        (e: unknown) => e,
      );
      assert.ok(isVastApiError(error, 'auth'), String(error));
      assert.equal(error.status, 404);
      assert.match(error.message, /rejected the API key \(Invalid user key\)/);
      assert.equal(h.sim.log.entries().length, 1, 'never retried');
    } finally {
      bad.dispose();
    }
  });

  it('a real missing instance is still null', async () => {
    h = await startClientHarness({ simulator: { instances: 1, badKeyStatus: 404 } });
    assert.equal(await h.run(h.client.showInstance(999_999_999)), null);
  });

  it('410 deprecated_endpoint says the endpoint was retired', async () => {
    h = await startClientHarness({ simulator: { retiredEndpoints: ['instancesLegacy'] } });
    const error = await h.run(h.client.listInstancesLegacy()).catch((e: unknown) => e);
    assert.ok(isVastApiError(error, 'endpoint-retired'), String(error));
    assert.equal(error.code, 'deprecated_endpoint');
    assert.match(error.message, /retired the endpoint for list instances \(v0\).*needs an update/);
  });
});
