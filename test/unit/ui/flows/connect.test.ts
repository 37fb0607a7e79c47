import assert from 'node:assert/strict';
import fs from 'node:fs';
import { connectRemoteSshFlow, copySshCommandFlow, openJupyterFlow, showLogsFlow } from '../../../../src/ui/flows/connect';
import type { InstanceSeed } from '../../../../src/simulator/instances/seeds';
import type { Instance } from '../../../../src/vast/types';
import { startFlowHarness, type FlowHarness, type FlowHarnessOptions } from '../../../support/flowHarness';
import { fakeInstance } from '../../../support/fixtures';

describe('connect: SSH, Jupyter, logs', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  /** A harness with one instance in the simulator; returns it as the API shows it. */
  async function withInstance(seed: InstanceSeed = {}, options: FlowHarnessOptions = {}): Promise<Instance> {
    h = await startFlowHarness({ ...options, simulator: { instances: [{ label: 'train', status: 'running', price: 0.42, ...seed }] } });
    return h.sim.instances.list()[0];
  }

  describe('SSH', () => {
    it('copies the direct command, or the proxy one (+1 for Jupyter runtypes)', async () => {
      h = await startFlowHarness();
      assert.equal(await h.flow(copySshCommandFlow(h.ctx, fakeInstance())), true);
      assert.equal(await h.flow(copySshCommandFlow(h.ctx, fakeInstance({ ports: null }))), true);
      assert.equal(await h.flow(copySshCommandFlow(h.ctx, fakeInstance({ ports: null, image_runtype: 'jupyter_proxy ssh_proxy' }))), true);
      assert.deepEqual(h.workbench.clipboard, ['ssh -p 20022 root@142.214.185.187', 'ssh -p 12345 root@ssh5.vast.ai', 'ssh -p 12346 root@ssh5.vast.ai']);
      assert.equal(h.prompter.notifications[0].message, 'Copied: ssh -p 20022 root@142.214.185.187');
      assert.equal(await h.flow(copySshCommandFlow(h.ctx, fakeInstance({ ports: null, ssh_host: null, actual_status: null }))), false);
      assert.match(h.prompter.notifications.at(-1)!.message, /has no SSH address yet \(provisioning/);
    });

    it('connects: writes Host vast-<id> into the Remote-SSH config (updating it in place) and opens /root', async () => {
      h = await startFlowHarness();
      fs.mkdirSync(h.tmpDir + '/ssh');
      fs.writeFileSync(h.sshConfigFile, 'Host work\n  HostName work.example.com\n');
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance())), true);
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance({ ports: null }))), true);
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance({ ports: null }))), true);
      const text = fs.readFileSync(h.sshConfigFile, 'utf8');
      assert.equal(text.match(/Host vast-31000123/g)!.length, 1);
      assert.ok(text.includes('Host vast-31000123\n  HostName ssh5.vast.ai\n  Port 12345\n  User root\n  StrictHostKeyChecking accept-new\n'));
      assert.ok(text.endsWith('\nHost work\n  HostName work.example.com\n'));
      assert.deepEqual(h.workbench.remoteWindows, Array(3).fill({ host: 'vast-31000123', folder: '/root' }));
      assert.ok(h.logs.some((l) => /is up to date$/.test(l)));
      assert.deepEqual(h.prompter.notifications, []);
    });

    it('without Remote-SSH: says so, offers to install it (then connects) or to copy the command', async () => {
      h = await startFlowHarness({ remoteSsh: false });
      h.prompter.onNotice('warning', /needs the Remote-SSH extension, which is not installed/, 'Copy SSH Command');
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance())), false);
      assert.deepEqual(h.workbench.clipboard, ['ssh -p 20022 root@142.214.185.187']);
      assert.deepEqual(h.prompter.notifications[0].actions, ['Install Remote-SSH', 'Copy SSH Command']);
      h.prompter
        .onNotice('warning', /not installed/, 'Install Remote-SSH')
        .onNotice('info', /^Remote-SSH is installed\. Connect to instance train \(31000123\) now\?$/, 'Connect');
      assert.equal(await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance())), true);
      assert.equal(h.workbench.installRequests, 1);
      assert.deepEqual(h.workbench.remoteWindows, [{ host: 'vast-31000123', folder: '/root' }]);
    });

    it('refuses to connect to an instance that is not running, offering to wait', async () => {
      h = await startFlowHarness();
      await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance({ actual_status: 'stopped', intended_status: 'stopped', status_msg: null, ports: null })));
      assert.match(h.prompter.notifications[0].message, /is not running \(stopped\); start it first, then connect\.$/);
      assert.deepEqual(h.prompter.notifications[0].actions, []);
      await h.flow(connectRemoteSshFlow(h.ctx, fakeInstance({ actual_status: 'loading', status_msg: null, ports: null })));
      assert.deepEqual(h.prompter.notifications[1].actions, ['Wait Until Running']);
      assert.equal(h.workbench.remoteWindows.length, 0);
      assert.ok(!fs.existsSync(h.sshConfigFile));
    });
  });

  describe('Jupyter and logs', () => {
    const jupyter = { image_runtype: 'jupyter_direc ssh_direc ssh_proxy', jupyter_token: 'abc123' };

    it('opens the direct Jupyter URL with its token', async () => {
      h = await startFlowHarness();
      const ports = { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '20022' }], '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '20023' }] };
      assert.equal(await h.flow(openJupyterFlow(h.ctx, fakeInstance({ ...jupyter, ports }))), true);
      assert.deepEqual(h.workbench.opened, ['https://142.214.185.187:20023/?token=abc123']);
    });

    it('on a simulated Jupyter instance too', async () => {
      const instance = await withInstance({ runtype: 'jupyter_direc ssh_direc ssh_proxy' });
      assert.equal(await h.flow(openJupyterFlow(h.ctx, instance)), true);
      assert.equal(h.workbench.opened[0], `https://${instance.public_ipaddr}:${instance.ports!['8080/tcp'][0].HostPort}/?token=${instance.jupyter_token}`);
    });

    it('without a public port: copies a tunnel command, then opens localhost', async () => {
      h = await startFlowHarness();
      h.prompter.onNotice('info', /no public Jupyter port/, 'Copy Tunnel Command').onNotice('info', /^Copied: ssh -p 12346 /, 'Open Jupyter');
      assert.equal(await h.flow(openJupyterFlow(h.ctx, fakeInstance({ ...jupyter, image_runtype: 'jupyter_proxy ssh_proxy', ports: {} }))), true);
      assert.deepEqual(h.workbench.clipboard, ['ssh -p 12346 root@ssh5.vast.ai -N -L 8080:localhost:8080']);
      assert.deepEqual(h.workbench.opened, ['https://localhost:8080/?token=abc123']);
    });

    it('says Jupyter is not available on an SSH-only instance', async () => {
      h = await startFlowHarness();
      assert.equal(await h.flow(openJupyterFlow(h.ctx, fakeInstance())), false);
      assert.equal(h.prompter.notifications[0].message, 'Jupyter is not available on instance train (31000123): it was not started with Jupyter.');
      assert.deepEqual(h.workbench.opened, []);
    });

    it('shows the log in an editor', async () => {
      const instance = await withInstance();
      assert.equal(await h.flow(showLogsFlow(h.ctx, instance)), true);
      assert.equal(h.workbench.documents.length, 1);
      assert.equal(h.workbench.documents[0].language, 'log');
      assert.ok(h.workbench.documents[0].content.length > 0);
      assert.equal(h.prompter.progress[0].title, `Fetching the log of instance train (${instance.id})`);
    });
  });
});
