import assert from 'node:assert/strict';
import fs from 'node:fs';
import { waitUntilRunningFlow } from '../../../../src/ui/flows/waitUntilRunning';
import { startFlowHarness, type FlowHarness } from '../../../support/flowHarness';

describe('Wait Until Running flow', () => {
  let h: FlowHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('reports each status change, then offers Connect with Remote-SSH, which connects', async () => {
    h = await startFlowHarness({ simulator: { instances: [{ label: 'w', status: 'loading', nextInMs: 30_000, outcome: 'running' }] } });
    const id = h.sim.instances.list()[0].id;
    h.prompter.onNotice('info', new RegExp(`^Instance w \\(${id}\\) is running$`), 'Connect with Remote-SSH');
    const instance = await h.flow(waitUntilRunningFlow(h.ctx, id));
    assert.equal(instance!.actual_status, 'running');
    assert.deepEqual(h.prompter.notifications[0].actions, ['Connect with Remote-SSH', 'Copy SSH Command']);
    const progress = h.prompter.progress[0];
    assert.match(progress.title, new RegExp(`^Waiting for instance (w \\(${id}\\)|${id}) to run$`));
    const statuses = progress.lines.map((l) => l.split(' ')[0]);
    assert.deepEqual([...new Set(statuses)], ['loading', 'running']);
    assert.equal(new Set(progress.lines).size, progress.lines.length, 'one line per change');
    assert.deepEqual(h.workbench.remoteWindows, [{ host: `vast-${id}`, folder: '/root' }]);
    assert.match(fs.readFileSync(h.sshConfigFile, 'utf8'), new RegExp(`Host vast-${id}\\n  HostName \\S+\\n  Port \\d+\\n  User root\\n`));
  });

  it('without an id, picks among the instances that are not running (loading the list first)', async () => {
    h = await startFlowHarness({
      simulator: {
        instances: [
          { label: 'up', status: 'running' },
          { label: 'booting', status: 'loading', nextInMs: 20_000, outcome: 'running' },
          { label: 'off', status: 'stopped' },
        ],
      },
    });
    h.prompter.choose(/^booting /, { title: 'Wait Until Running' }).onNotice('info', /^Instance booting \(\d+\) is running$/, 'Copy SSH Command');
    await h.flow(waitUntilRunningFlow(h.ctx));
    const pick = h.prompter.prompt({ title: 'Wait Until Running' });
    assert.deepEqual(
      pick.items!.map((l) => l.split(' ')[0]),
      ['booting', 'off'],
    );
    assert.match(pick.rawItems![0].description!, /^loading/);
    assert.equal(h.prompter.progress[0].title, 'Loading your instances');
    assert.match(h.workbench.clipboard[0], /^ssh -p \d+ root@/);
    assert.match(h.prompter.notifications.at(-1)!.message, /^Copied: ssh -p \d+ root@\S+$/);
  });

  it('says so when every instance is running', async () => {
    h = await startFlowHarness({ simulator: { instances: [{ status: 'running' }] } });
    await h.flow(waitUntilRunningFlow(h.ctx));
    assert.deepEqual(h.prompter.notifications.map((n) => n.message), ['All your instances are running.']);
  });

  it('a failed start is an error with the reason, offering the log', async () => {
    h = await startFlowHarness();
    h.sim.instances.forceOutcome('exited');
    const offer = h.sim.offers.all().find((o) => o.rentable && !o.rented)!;
    const { instanceId } = await h.run(h.client.createInstance(offer.id, { image: 'pytorch/pytorch', label: 'bad' }));
    h.prompter.onNotice('error', new RegExp(`^Instance ${instanceId} will not start: its container exited: .*[Ee]rror.* It is billed until you destroy it\\.$`), 'Show Logs');
    assert.equal(await h.flow(waitUntilRunningFlow(h.ctx, instanceId)), undefined);
    assert.equal(h.workbench.documents.length, 1);
    assert.equal(h.workbench.documents[0].language, 'log');
    assert.ok(h.logs.some((l) => /failed \[wait never-running\]/.test(l)));
  });

  it('cancelling stops waiting, silently, and never touches the instance', async () => {
    h = await startFlowHarness({ simulator: { instances: [{ label: 'slow', status: 'loading', nextInMs: 3600_000 }] } });
    const id = h.sim.instances.list()[0].id;
    const pending = waitUntilRunningFlow(h.ctx, id);
    await h.clock.advance(30_000);
    assert.equal(h.prompter.abortProgress(/^Waiting/), 1);
    assert.equal(await h.flow(pending), undefined);
    assert.deepEqual(h.prompter.notifications, []);
    assert.equal(h.sim.instances.get(id)!.actual_status, 'loading');
    assert.ok(h.sim.log.entries().every((e) => e.endpoint === 'instances'), 'only list calls: no write');
    assert.equal(h.clock.pendingTimers(), 0, 'nothing keeps polling');
  });
});
