import assert from 'node:assert/strict';
import { compareInstances, presentInstance } from '../../../src/ui/instancePresentation';
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
  it('a running instance: name, GPU x count, $/h and uptime, green running icon, ssh flag', () => {
    const look = presentInstance(instance(), NOW);
    assert.equal(look.id, '4242');
    assert.equal(look.label, 'train-llama');
    assert.equal(look.description, 'RTX 4090 ×2 · $0.62/h · up 3 h 12 min');
    assert.equal(look.icon, 'vm-running');
    assert.equal(look.iconColor, 'testing.iconPassed');
    assert.equal(look.contextValue, 'instance.running.ssh');
    assert.match(look.tooltip, /\| SSH \| `root@203\.0\.113\.7:40001` \(direct\) \|/);
    assert.match(look.tooltip, /\| Reliability \| 99\.2% \|/);
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
      assert.ok(look.description.endsWith(word), look.description);
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
    const look = presentInstance(instance({ label: '*bold* [x](y)', status_msg: '<img src=x>' }), NOW);
    assert.ok(look.tooltip.includes('\\*bold\\*'));
    assert.ok(look.tooltip.includes('\\<img'), 'HTML is escaped');
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
