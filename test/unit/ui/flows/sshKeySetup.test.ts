import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectRemoteSshFlow, copySshCommandFlow } from '../../../../src/ui/flows/connect';
import { manageSshKeysFlow } from '../../../../src/ui/flows/manageSshKeys';
import { createVastKey, findLocalKeys } from '../../../../src/ui/ssh/sshKeys';
import { parsePublicKey } from '../../../../src/vast/sshPublicKey';
import type { Instance } from '../../../../src/vast/types';
import { startFlowHarness, type FlowHarness, type FlowHarnessOptions } from '../../../support/flowHarness';
import { FAKE_PRIVATE_KEY, fakePublicKey } from '../../../support/sshKeyFixtures';

/** A stand-in for ssh-keygen: writes a (fake) pair where it was asked to. */
const fakeKeygen = async (args: string[]) => {
  const file = args[args.indexOf('-f') + 1];
  fs.writeFileSync(file, FAKE_PRIVATE_KEY, { mode: 0o600 });
  fs.writeFileSync(`${file}.pub`, `${fakePublicKey('generated', 'vast-gpu-explorer')}\n`);
};

describe('SSH keys: Connect works the first time', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  async function withInstance(options: FlowHarnessOptions = {}): Promise<Instance> {
    h = await startFlowHarness({ ...options, simulator: { instances: [{ id: 31000001, label: 'train', status: 'running' }], ...options.simulator } });
    h.ctx.keygen = fakeKeygen;
    return h.sim.instances.list()[0];
  }
  const requests = () => h.serverLog().map(([, endpoint]) => endpoint);
  const accepted = (id: number) => h.sim.instances.recordOf(id)!.sshKeys.map((k) => [k.public_key, k.source]);
  const localKey = () => fs.readFileSync(path.join(h.tmpDir, '.ssh', 'id_ed25519.pub'), 'utf8').trim();

  it('a key the instance accepts: one request, then none for the rest of the session', async () => {
    const instance = await withInstance();
    assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), true);
    assert.equal(await h.flow(copySshCommandFlow(h.ctx, instance)), true);
    assert.deepEqual(requests(), ['instanceSshKeys']);
    assert.doesNotMatch(fs.readFileSync(h.sshConfigFile, 'utf8'), /IdentityFile/, 'id_ed25519 is offered by ssh by default');
  });

  it('a key added to the account after the instance was created: offers to attach it, naming exactly what is uploaded', async () => {
    const instance = await withInstance({ simulator: { sshKeys: [] } });
    await h.run(h.client.addAccountSshKey(localKey()));
    h.prompter
      .choose(/^Attach ~\/\.ssh\/id_ed25519\.pub to this instance$/, { title: 'SSH key for train (31000001)' })
      .confirmWith(true, { text: /Attach your public key ~\/\.ssh\/id_ed25519\.pub to instance train[\s\S]*ssh-ed25519 AAAA\S+…\S+ me@laptop\nSHA256:[\s\S]*private key never leaves/ });
    assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), true);
    const offer = h.prompter.promptsWhere({ kind: 'pick' })[0];
    assert.match(offer.rawItems![0].detail!, /on your account, but was added after this instance was created/);
    assert.deepEqual(accepted(instance.id), [[localKey(), 'attached']]);
    assert.deepEqual(requests().slice(1), ['instanceSshKeys', 'sshKeys', 'sshKeyAttach']);
    assert.equal(h.workbench.remoteWindows.length, 1);
  });

  it('a key nowhere on Vast: add it to the account and attach it', async () => {
    const instance = await withInstance({ simulator: { sshKeys: [] } });
    h.prompter.choose(/^Add ~\/\.ssh\/id_ed25519\.pub to your account and attach it$/).confirmWith(true, { text: /to your Vast\.ai account and attach it/ });
    assert.equal(await h.flow(copySshCommandFlow(h.ctx, instance)), true);
    assert.deepEqual(h.sim.sshKeys.list().map((k) => k.public_key), [localKey()]);
    assert.deepEqual(accepted(instance.id), [[localKey(), 'attached']]);
    assert.deepEqual(requests(), ['instanceSshKeys', 'sshKeys', 'sshKeyAdd', 'sshKeyAttach']);
  });

  it('no key on this computer: creates ~/.ssh/vast_ed25519, uploads its public half and uses it as IdentityFile', async () => {
    const instance = await withInstance({ localSshKey: false });
    const offerItems = () => h.prompter.promptsWhere({ kind: 'pick' })[0].items;
    h.prompter.choose(/^Create a new key pair ~\/\.ssh\/vast_ed25519$/).confirmWith(true, { text: /Create the key pair ~\/\.ssh\/vast_ed25519/ });
    assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), true);
    assert.deepEqual(offerItems(), ['Create a new key pair ~/.ssh/vast_ed25519']);
    const identity = path.join(h.tmpDir, '.ssh', 'vast_ed25519');
    const config = fs.readFileSync(h.sshConfigFile, 'utf8');
    assert.match(config, new RegExp(`IdentityFile "${identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\n  IdentitiesOnly yes`));
    const pub = fs.readFileSync(`${identity}.pub`, 'utf8').trim();
    assert.deepEqual(accepted(instance.id), [[pub, 'attached']]);
    assert.deepEqual(h.sim.sshKeys.list().map((k) => k.public_key), [pub]);
    assert.ok(!JSON.stringify(h.sim.sshKeys.list()).includes('PRIVATE'));
  });

  it('declining uploads nothing and does not connect', async () => {
    const instance = await withInstance({ simulator: { sshKeys: [] } });
    h.prompter.choose(/^Attach/).confirmWith(false);
    assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), false);
    assert.deepEqual(accepted(instance.id), []);
    assert.equal(h.workbench.remoteWindows.length, 0);
    assert.ok(!requests().includes('sshKeyAttach'));
  });

  it('refuses a private key given as vastai.sshKeyPath: it is never offered or uploaded', async () => {
    const instance = await withInstance({ simulator: { sshKeys: [] } });
    const file = path.join(h.tmpDir, 'leaked.pub');
    fs.writeFileSync(file, FAKE_PRIVATE_KEY);
    h.ctx.settings = { ...h.ctx.settings, sshKeyPath: file };
    h.prompter.escape();
    assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), false);
    assert.deepEqual(h.prompter.promptsWhere({ kind: 'pick' })[0].items, ['Create a new key pair ~/.ssh/vast_ed25519']);
    assert.ok(h.logs.some((line) => /leaked\.pub: this is a PRIVATE key/.test(line)));
  });

  it('Manage SSH Keys lists the account keys (marking this computer’s), adds a pasted key and removes one', async () => {
    h = await startFlowHarness();
    const pasted = fakePublicKey('desktop', 'me@desktop');
    h.prompter
      .choose('$(add) Paste a public key…')
      .type(pasted)
      .confirmWith(true, { text: /Add the public key you pasted/ })
      .choose('me@desktop')
      .confirmWith(true, { text: /Remove the SSH key me@desktop/ })
      .escape();
    await h.flow(manageSshKeysFlow(h.ctx));
    const first = h.prompter.promptsWhere({ kind: 'pick' })[0];
    assert.match(first.rawItems!.find((i) => i.label === 'me@laptop')!.detail!, /on this computer: ~\/\.ssh\/id_ed25519\.pub/);
    assert.deepEqual(h.sim.sshKeys.list().map((k) => k.public_key), [localKey()]);
    assert.deepEqual(requests().filter((e) => e !== 'sshKeys'), ['sshKeyAdd', 'sshKeyRemove']);
  });

  it('the paste box refuses a private key or several lines', async () => {
    h = await startFlowHarness();
    h.prompter.choose('$(add) Paste a public key…').type(FAKE_PRIVATE_KEY).escape().escape();
    await h.flow(manageSshKeysFlow(h.ctx));
    assert.match(h.prompter.promptsWhere({ kind: 'input' })[0].validation[0], /PRIVATE key/);
    assert.equal(h.sim.sshKeys.list().length, 1);
  });

  it('with the real ssh-keygen (when installed), the fingerprint matches ssh-keygen -lf', async function () {
    try {
      execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
    }
    h = await startFlowHarness({ localSshKey: false });
    const created = await createVastKey(h.tmpDir);
    const printed = execFileSync('ssh-keygen', ['-lf', `${created.identityFile}.pub`], { encoding: 'utf8' });
    assert.ok(printed.includes(created.key.fingerprint), `${printed} vs ${created.key.fingerprint}`);
    assert.equal((await findLocalKeys(h.tmpDir)).keys[0].file, `${created.identityFile}.pub`);
    assert.ok(parsePublicKey(fs.readFileSync(`${created.identityFile}.pub`, 'utf8')).ok);
    await assert.rejects(createVastKey(h.tmpDir), /already exists/);
  });
});
