import assert from 'node:assert/strict';
import { isVastApiError } from '../../../src/api/errors';
import { parsePublicKey } from '../../../src/vast/sshPublicKey';
import { startClientHarness, type ClientHarness } from '../../support/clientHarness';
import { FAKE_PRIVATE_KEY, fakePublicKey } from '../../support/sshKeyFixtures';

describe('SSH keys over HTTP (account and instance keys)', () => {
  let h: ClientHarness;
  const laptop = fakePublicKey('laptop');
  const desktop = fakePublicKey('desktop');

  beforeEach(async () => {
    h = await startClientHarness({ simulator: { lifecycle: { failureRate: 0 } } });
  });
  afterEach(() => h.close());

  const rentOne = async (): Promise<number> => {
    const offer = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 1 })[0];
    return (await h.run(h.client.createInstance(offer.id, { image: 'pytorch/pytorch:latest' }))).instanceId;
  };

  it('adds, lists and removes account keys; a duplicate is not stored twice', async () => {
    await h.run(h.client.addAccountSshKey(laptop));
    await h.run(h.client.addAccountSshKey(`${laptop.split(' ').slice(0, 2).join(' ')} other-comment`));
    const keys = await h.run(h.client.listAccountSshKeys());
    assert.equal(keys.length, 1);
    assert.equal(keys[0].publicKey, laptop);
    await h.run(h.client.removeAccountSshKey(keys[0].id));
    assert.deepEqual(await h.run(h.client.listAccountSshKeys()), []);
  });

  it('an instance accepts the account keys from its creation plus keys attached since, and says which', async () => {
    await h.run(h.client.addAccountSshKey(laptop));
    const id = await rentOne();
    await h.run(h.client.addAccountSshKey(desktop)); // too late for this instance
    let keys = await h.run(h.client.listInstanceSshKeys(id));
    assert.deepEqual(keys.map((k) => [k.publicKey, k.source]), [[laptop, 'account']]);
    await h.run(h.client.attachSshKey(id, desktop));
    keys = await h.run(h.client.listInstanceSshKeys(id));
    assert.deepEqual(keys.map((k) => [k.publicKey, k.source]), [[laptop, 'account'], [desktop, 'attached']]);
    // Removing the key from the account leaves it on the instance.
    const account = await h.run(h.client.listAccountSshKeys());
    await h.run(h.client.removeAccountSshKey(account[0].id));
    assert.equal((await h.run(h.client.listInstanceSshKeys(id))).length, 2);
  });

  it('refuses a private key or several lines before anything is sent', async () => {
    const before = h.sim.log.entries().length;
    for (const bad of [FAKE_PRIVATE_KEY, `${laptop}\n${desktop}`, 'ssh-ed25519 notbase64!!', '']) {
      await assert.rejects(h.run(h.client.addAccountSshKey(bad)), (e: unknown) => isVastApiError(e, 'invalid-input'));
      await assert.rejects(h.run(h.client.attachSshKey(123, bad)), (e: unknown) => isVastApiError(e, 'invalid-input'));
    }
    assert.equal(h.sim.log.entries().length, before, 'no request reached the server');
  });

  it('the simulator refuses a private key sent by another client (400)', async () => {
    const response = await h.run(
      h.clock.trackIo(fetch(`${h.sim.url}/api/v0/ssh/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.sim.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ssh_key: FAKE_PRIVATE_KEY }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { msg: string } }))),
    );
    assert.equal(response.status, 400);
    assert.match(response.body.msg, /PRIVATE key/);
    assert.deepEqual(h.sim.sshKeys.list(), []);
  });

  it('each SSH key call goes through its own gate, spaced by Vast’s 1 s', async () => {
    await h.run(Promise.all([h.client.addAccountSshKey(laptop), h.client.addAccountSshKey(desktop)]));
    const adds = h.serverLog().filter(([, endpoint]) => endpoint === 'sshKeyAdd');
    assert.equal(adds.length, 2);
    assert.ok(adds[1][0] - adds[0][0] >= 1000, `adds ${adds[1][0] - adds[0][0]} ms apart`);
  });
});

describe('parsePublicKey', () => {
  it('accepts a key line and computes the ssh-keygen fingerprint', () => {
    const parsed = parsePublicKey(`  ${fakePublicKey('x', 'me@host')}  \n`);
    assert.ok(parsed.ok);
    assert.equal(parsed.key.type, 'ssh-ed25519');
    assert.equal(parsed.key.comment, 'me@host');
    assert.match(parsed.key.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses private keys, several lines, unknown types and blobs that do not match their type', () => {
    const blob = fakePublicKey('x').split(' ')[1];
    for (const [text, reason] of [
      [FAKE_PRIVATE_KEY, /PRIVATE/],
      [`${fakePublicKey('a')}\n${fakePublicKey('b')}`, /single line/],
      [`ssh-dss ${blob}`, /not an SSH public key type/],
      [`ssh-rsa ${blob}`, /does not match its type/],
      ['ssh-ed25519', /not base64/],
    ] as const) {
      const parsed = parsePublicKey(text);
      assert.equal(parsed.ok, false, String(text));
      if (!parsed.ok) assert.match(parsed.reason, reason);
    }
  });
});
