import assert from 'node:assert/strict';
import fs from 'node:fs';
import { connectRemoteSshFlow } from '../../../../src/ui/flows/connect';
import { destroyInstanceFlow, rebootInstanceFlow, renameInstanceFlow, startInstanceFlow, stopInstanceFlow } from '../../../../src/ui/flows/instanceActions';
import type { InstanceSeed } from '../../../../src/simulator/instances/seeds';
import type { Instance } from '../../../../src/vast/types';
import { startFlowHarness, type FlowHarness, type FlowHarnessOptions } from '../../../support/flowHarness';
import { fakeInstance } from '../../../support/fixtures';

describe('instance actions', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  /** A harness with one instance in the simulator; returns it as the API shows it. */
  async function withInstance(seed: InstanceSeed = {}, options: FlowHarnessOptions = {}): Promise<Instance> {
    h = await startFlowHarness({ ...options, simulator: { instances: [{ label: 'train', status: 'running', price: 0.42, ...seed }] } });
    return h.sim.instances.list()[0];
  }
  const writes = () => h.sim.log.entries().filter((e) => ['manage', 'reboot', 'destroy'].includes(e.endpoint!)).length;

  describe('destroy', () => {
    it('asks in a modal naming label, id and price; declining destroys nothing', async () => {
      const instance = await withInstance();
      h.prompter.confirmWith(false);
      assert.equal(await h.flow(destroyInstanceFlow(h.ctx, instance)), false);
      const confirm = h.prompter.prompt({ kind: 'confirm' });
      assert.equal(confirm.message, `Destroy instance train (${instance.id}), ${instance.gpu_name} ×${instance.num_gpus} at $${instance.dph_total!.toFixed(2)}/h?`);
      assert.equal(
        confirm.detail,
        'Its disk and all data on it are deleted, and this cannot be undone. Billing for it stops.\n(simulated: no money is spent)',
      );
      assert.equal(confirm.confirmLabel, 'Destroy');
      assert.ok(h.sim.instances.has(instance.id));
      assert.equal(writes(), 0);
      assert.deepEqual(h.prompter.notifications, []);
    });

    it('destroys after confirmation, removes its SSH config entry, and reports', async () => {
      const instance = await withInstance();
      // Connect first so there is an SSH entry to clean up.
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, instance)), true);
      assert.match(fs.readFileSync(h.sshConfigFile, 'utf8'), new RegExp(`Host vast-${instance.id}`));
      h.prompter.confirmWith(true).onNotice('info', new RegExp(`^Instance train \\(${instance.id}\\) destroyed\\.$`));
      assert.equal(await h.flow(destroyInstanceFlow(h.ctx, instance)), true);
      assert.equal(h.sim.instances.has(instance.id), false);
      assert.equal(fs.readFileSync(h.sshConfigFile, 'utf8'), '');
      assert.ok(h.logs.includes(`Destroy instance train (${instance.id}): done`));
    });

    it('a failure is an error message, with the detail in the log', async () => {
      const instance = await withInstance();
      await h.run(h.client.destroyInstance(instance.id)); // gone by the time the person confirms
      h.prompter.confirmWith(true).onNotice('error', new RegExp(`^Destroy instance train \\(${instance.id}\\) failed: `));
      assert.equal(await h.flow(destroyInstanceFlow(h.ctx, instance)), false);
      assert.ok(h.logs.some((l) => /failed \[not-found\].*status=404/.test(l)));
    });
  });

  describe('stop, start, reboot', () => {
    it('stop asks first (processes stop; disk kept and billed); declining sends nothing', async () => {
      const instance = await withInstance();
      h.prompter.confirmWith(false, { text: /^Stop instance train \(\d+\)\?\nEverything running on it stops[\s\S]*disk and data are kept, and the disk is still billed/ });
      assert.equal(await h.flow(stopInstanceFlow(h.ctx, instance)), false);
      assert.equal(writes(), 0);
      h.prompter.confirmWith(true).onNotice('info', /is stopping; its disk is kept \(and billed\)\.$/);
      assert.equal(await h.flow(stopInstanceFlow(h.ctx, instance)), true);
      assert.equal(h.sim.instances.get(instance.id)!.intended_status, 'stopped');
      await h.clock.advance(10_000);
      assert.equal(h.sim.instances.get(instance.id)!.actual_status, 'stopped');
      assert.equal(h.sim.log.count({ endpoint: 'manage' }), 1);
    });

    it('start sends the start and can wait until it runs', async () => {
      const instance = await withInstance({ status: 'stopped' });
      h.prompter
        .onNotice('info', /^Instance train \(\d+\) is starting; GPU billing resumes once it runs\.$/, 'Wait Until Running')
        .onNotice('info', /^Instance train \(\d+\) is running$/);
      assert.equal(await h.flow(startInstanceFlow(h.ctx, instance)), true);
      assert.equal(h.sim.instances.get(instance.id)!.actual_status, 'running');
      const running = await h.flow(startInstanceFlow(h.ctx, h.sim.instances.get(instance.id)!));
      assert.equal(running, false);
      assert.match(h.prompter.notifications.at(-1)!.message, /is already running\.$/);
      assert.equal(h.sim.log.count({ endpoint: 'manage' }), 1);
    });

    it('reboot asks first, then reboots', async () => {
      const instance = await withInstance();
      h.prompter.confirmWith(true, { text: /^Reboot instance train \(\d+\)\?\nIts container restarts/ }).onNotice('info', /is rebooting\.$/);
      assert.equal(await h.flow(rebootInstanceFlow(h.ctx, instance)), true);
      assert.equal(h.sim.instances.get(instance.id)!.actual_status, 'rebooting');
      assert.equal(h.sim.log.count({ endpoint: 'reboot' }), 1);
    });

    it('an auth failure says to check the key with "Vast.ai: Set API Key"', async () => {
      const instance = await withInstance();
      h.sim.revokeKey(h.sim.apiKey);
      h.prompter.confirmWith(true).onNotice('error', /^Stop instance train \(\d+\) failed: Vast\.ai did not accept the API key \(.*\)\. Check the key with "Vast\.ai: Set API Key"\.$/);
      assert.equal(await h.flow(stopInstanceFlow(h.ctx, instance)), false);
      assert.ok(!h.logs.join('\n').includes(h.sim.apiKey), 'never the key in the log');
    });

    it('cancelling a write in progress is silent', async () => {
      const instance = await withInstance();
      h.prompter.cancelProgress(/^Rebooting/).confirmWith(true);
      assert.equal(await h.flow(rebootInstanceFlow(h.ctx, instance)), false);
      assert.deepEqual(h.prompter.notifications, []);
    });
  });

  describe('rename', () => {
    it('prefills the label, validates its length, sets it; empty clears it; unchanged sends nothing', async () => {
      const instance = await withInstance();
      h.prompter.type('x'.repeat(1025)).type('finetune').onNotice('info', new RegExp(`^Instance ${instance.id} is now "finetune"\\.$`));
      assert.equal(await h.flow(renameInstanceFlow(h.ctx, instance)), true);
      assert.equal(h.prompter.prompt({ kind: 'input' }).value, 'train');
      assert.deepEqual(h.prompter.prompt({ kind: 'input' }).validation, ['At most 1024 characters (this is 1025).']);
      assert.equal(h.sim.instances.get(instance.id)!.label, 'finetune');

      h.prompter.enter();
      assert.equal(await h.flow(renameInstanceFlow(h.ctx, h.sim.instances.get(instance.id)!)), false);
      h.prompter.type('').onNotice('info', /has no label now\.$/);
      assert.equal(await h.flow(renameInstanceFlow(h.ctx, h.sim.instances.get(instance.id)!)), true);
      assert.ok(!h.sim.instances.get(instance.id)!.label);
      h.prompter.escape();
      assert.equal(await h.flow(renameInstanceFlow(h.ctx, instance)), false);
      assert.equal(h.sim.log.count({ endpoint: 'manage' }), 2);
    });
  });
});
