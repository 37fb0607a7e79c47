import assert from 'node:assert/strict';
import { compareInstances, instanceTooltip, presentInstance } from '../../../src/ui/instancePresentation';
import type { Instance, InstanceStatus } from '../../../src/vast/types';
import { fakeInstance } from '../../support/fixtures';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

function instance(overrides: Partial<Instance> = {}): Instance {
  return fakeInstance({
    id: 4242,
    label: 'train-llama',
    num_gpus: 2,
    public_ipaddr: '203.0.113.7',
    ports: { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '40001' }] },
    jupyter_token: null,
    dph_total: 0.624,
    start_date: (NOW - (3 * 3600_000 + 12 * 60_000)) / 1000,
    ...overrides,
  });
}

describe('instance tree items', () => {
  it('a running instance: uptime and $/h first, then GPU use and the GPU; green icon; ssh flag', () => {
    const look = presentInstance(instance(), NOW);
    assert.equal(look.id, '4242');
    assert.equal(look.label, 'train-llama');
    assert.equal(look.description, '3h 12m · $0.62/h · 50% 60°C · RTX 4090 ×2');
    assert.equal(look.icon, 'vm-running');
    assert.equal(look.iconColor, 'testing.iconPassed');
    assert.equal(look.contextValue, 'instance.running.ssh');
    const tooltip = instanceTooltip(instance(), NOW);
    assert.match(tooltip, /\| SSH \| `root@203\.0\.113\.7:40001` \(direct\) \|/);
    assert.match(tooltip, /\| Reliability \| 99\.2% \|/);
  });

  it('the tooltip gives GPU use and temperature, CPU, RAM and disk use, GPU memory in the offers\' unit', () => {
    const tooltip = instanceTooltip(instance({ cpu_util: 41.6, mem_usage: 12.34, mem_limit: 64, disk_usage: 8.1, disk_space: 20 }), NOW);
    assert.match(tooltip, /\| GPU \| 2 × RTX 4090, 24 GB each · 50% busy, 60 °C \|/);
    assert.match(tooltip, /\| CPU \| 16 cores · 42% busy \|/);
    assert.match(tooltip, /\| RAM \| 12\.3 of 64 GB used \|/);
    assert.match(tooltip, /\| Disk \| 8\.1 of 20 GB used \|/);
  });

  it('uptime counts from when it started running (uptime_mins as of the poll), not from creation', () => {
    const restarted = instance({ start_date: (NOW - 20 * 3600_000) / 1000, uptime_mins: 0.5 });
    const look = presentInstance(restarted, NOW + 60_000, { polledAt: NOW });
    assert.match(look.description, /^1m · /);
    assert.match(instanceTooltip(restarted, NOW + 60_000, { polledAt: NOW }), /running for 1 min 30 s/);
  });

  it('a stopped instance shows its storage price, and the tooltip says destroying ends the charge', () => {
    const stopped = instance({ actual_status: 'stopped', intended_status: 'stopped', storage_total_cost: 0.021, ports: null });
    const look = presentInstance(stopped, NOW);
    assert.equal(look.description, 'stopped · $0.021/h · RTX 4090 ×2');
    assert.equal(look.pricePerHour, 0.021);
    const tooltip = instanceTooltip(stopped, NOW);
    assert.match(tooltip, /\$0\.021\/h for storage while stopped \(\$0\.62\/h when running\)/);
    assert.match(tooltip, /Destroying it ends the charge/);
  });

  it('an exited instance says why and points to its logs', () => {
    const exited = instance({ actual_status: 'exited', status_msg: 'OCI runtime create failed', ports: null });
    assert.match(presentInstance(exited, NOW).description, /^exited · \$0\.62\/h · RTX 4090 ×2$/);
    const tooltip = instanceTooltip(exited, NOW);
    assert.match(tooltip, /\*\*Why:\*\* OCI runtime create failed/);
    assert.match(tooltip, /Show Instance Logs/);
  });

  it('same-named instances are told apart by their id', () => {
    const look = presentInstance(instance({ label: 'vllm-serve' }), NOW, { idSuffix: '4242' });
    assert.equal(look.label, 'vllm-serve #4242');
  });

  const cases: Array<[string, Partial<Instance>, string, string, string]> = [
    ['provisioning', { actual_status: null }, 'loading~spin', 'transitional', 'creating'],
    ['created', { actual_status: 'created' }, 'loading~spin', 'transitional', 'creating'],
    ['loading', { actual_status: 'loading' }, 'loading~spin', 'transitional', 'loading'],
    ['rebooting', { actual_status: 'rebooting' }, 'sync~spin', 'transitional', 'rebooting'],
    ['stopping', { actual_status: 'running', intended_status: 'stopped' }, 'loading~spin', 'transitional', 'stopping'],
    ['scheduling', { actual_status: 'stopped', intended_status: 'running' }, 'watch', 'transitional', 'scheduling'],
    ['stopped', { actual_status: 'stopped', intended_status: 'stopped' }, 'debug-stop', 'stopped', 'stopped'],
    ['frozen', { actual_status: 'frozen', intended_status: 'frozen' }, 'debug-pause', 'stopped', 'frozen'],
    ['exited', { actual_status: 'exited' }, 'error', 'failed', 'exited'],
    ['offline', { actual_status: 'offline' }, 'debug-disconnect', 'failed', 'offline'],
    ['unknown', { actual_status: 'unknown' }, 'question', 'unknown', 'no heartbeat'],
  ];
  for (const [name, overrides, icon, state, word] of cases) {
    it(`${name}: ${icon}, context ${state}, says "${word}"`, () => {
      const look = presentInstance(instance({ ...overrides, ports: null }), NOW);
      assert.equal(look.icon, icon);
      assert.equal(look.state, state);
      assert.ok(look.contextValue.startsWith(`instance.${state}`));
      assert.ok(look.description.startsWith(`${word} · `), look.description);
    });
  }

  it('flags Jupyter, and falls back to "Instance <id>" without a label', () => {
    const look = presentInstance(instance({ label: null, image_runtype: 'jupyter_direc ssh_direc ssh_proxy' }), NOW);
    assert.equal(look.label, 'Instance 4242');
    assert.equal(look.contextValue, 'instance.running.jupyter.ssh');
  });

  it('keeps the item id stable while volatile text changes', () => {
    const a = presentInstance(instance(), NOW);
    const b = presentInstance(instance({ dph_total: 0.7, actual_status: 'loading' as InstanceStatus }), NOW + 60_000);
    assert.equal(a.id, b.id);
    assert.notEqual(a.description, b.description);
  });

  it('escapes Markdown in labels and status messages', () => {
    const tooltip = instanceTooltip(instance({ label: '*bold* [x](y)', status_msg: '<img src=x>', actual_status: 'exited' }), NOW);
    assert.ok(tooltip.includes('\\*bold\\*'));
    assert.ok(tooltip.includes('\\<img'), 'HTML is escaped');
  });

  it('sorts running first, then transitional, failed, stopped; by label within a group', () => {
    const list = [
      instance({ id: 1, label: 'b', actual_status: 'stopped', intended_status: 'stopped' }),
      instance({ id: 2, label: 'z', actual_status: 'running' }),
      instance({ id: 3, label: 'a', actual_status: 'loading' }),
      instance({ id: 4, label: 'a', actual_status: 'running' }),
      instance({ id: 5, label: 'c', actual_status: 'exited' }),
    ];
    assert.deepEqual(list.sort(compareInstances).map((i) => i.id), [4, 2, 3, 5, 1]);
  });
});
