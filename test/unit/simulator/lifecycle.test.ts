import assert from 'node:assert/strict';
import type { Instance, InstanceStatus } from '../../../src/vast/types';
import { startHarness, type Harness } from './harness';

describe('simulator: instance lifecycle on the clock', () => {
  let h: Harness;

  const createOne = async (body: Record<string, unknown> = {}) => {
    const [offer] = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, direct_port_count: { gt: 0 }, limit: 1 });
    const reply = await h.call('PUT', `/api/v0/asks/${offer.id}/`, { body: { image: 'pytorch/pytorch:latest', disk: 16, ...body } });
    assert.equal(reply.status, 200, reply.text);
    return reply.json.new_contract as number;
  };
  const show = async (id: number) => (await h.call('GET', `/api/v0/instances/${id}/`)).json.instances as Instance;

  afterEach(() => h.close());

  it('goes null → created → loading → running with the configured durations', async () => {
    h = await startHarness({ lifecycle: { provisionMs: 10_000, loadingMs: 60_000, failureRate: 0 } });
    const id = await createOne();
    const seen: Array<[number, InstanceStatus | null, string | null]> = [];
    const start = h.clock.now();
    for (let t = 0; t <= 75_000; t += 1_000) {
      const instance = await show(id);
      const last = seen[seen.length - 1];
      if (!last || last[1] !== instance.actual_status) seen.push([h.clock.now() - start, instance.actual_status, instance.status_msg]);
      await h.clock.advance(1_000);
    }
    assert.deepEqual(seen.map(([t, s]) => [t, s]), [[0, null], [4_000, 'created'], [10_000, 'loading'], [70_000, 'running']]);
    assert.match(seen[2][2]!, /^pulling image pytorch\/pytorch:latest/);
    assert.equal(seen[3][2], 'success, running pytorch/pytorch:latest/ssh');
  });

  it('draws durations in the documented ranges, deterministically per seed', async () => {
    const runAt = async () => {
      h = await startHarness({ seed: 5 });
      const id = await createOne();
      const timeline = h.sim.instances.timeline(id)!;
      const t0 = timeline[0].at;
      const loadingAt = timeline.find((e) => e.status === 'loading')!.at - t0;
      const doneAt = timeline[timeline.length - 1].at - t0;
      await h.close();
      return { loadingAt, doneAt, outcome: timeline[timeline.length - 1].status };
    };
    const first = await runAt();
    const second = await runAt();
    assert.deepEqual(first, second);
    assert.ok(first.loadingAt >= 5_000 && first.loadingAt <= 15_000, `provision ${first.loadingAt}`);
    assert.ok(first.doneAt - first.loadingAt >= 30_000 && first.doneAt - first.loadingAt <= 120_000);
    h = await startHarness();
  });

  it('running instances carry connection details; ports only while running', async () => {
    h = await startHarness({ lifecycle: { provisionMs: 1_000, loadingMs: 1_000, failureRate: 0 } });
    const id = await createOne({ env: { '-p 8000:8000': '1', HF_TOKEN: 'x' }, runtype: 'jupyter_direc ssh_direc ssh_proxy' });
    assert.equal((await show(id)).ports, null);
    await h.clock.advance(3_000);
    const running = await show(id);
    assert.equal(running.actual_status, 'running');
    assert.equal(running.cur_state, 'running');
    assert.match(running.ssh_host!, /^ssh\d\.vast\.ai$/);
    assert.equal(typeof running.ssh_port, 'number');
    assert.equal(typeof running.public_ipaddr, 'string');
    assert.match(running.jupyter_token!, /^[0-9a-f]{64}$/);
    assert.equal(running.image_runtype, 'jupyter_direc ssh_direc ssh_proxy');
    assert.equal(typeof running.start_date, 'number');
    assert.ok(running.ports!['22/tcp'][0].HostPort === String(running.direct_port_start));
    assert.ok(running.ports!['8080/tcp']);
    assert.ok(running.ports!['8000/tcp']);
    assert.ok(typeof running.gpu_util === 'number');
  });

  it('ends exited for a seeded share of boots, and forceOutcome overrides', async () => {
    h = await startHarness({ lifecycle: { failureRate: 0.1 } });
    const outcomes = h.sim.instances.addMany(Array.from({ length: 200 }, () => ({ status: 'loading' as const })))
      .map((i) => h.sim.instances.timeline(i.id)!.at(-1)!.status);
    const exited = outcomes.filter((s) => s === 'exited').length;
    assert.ok(exited >= 8 && exited <= 35, `${exited} of 200 exited`);

    h.sim.instances.setLifecycle({ provisionMs: 1_000, loadingMs: 1_000, failureRate: 0 });
    h.sim.instances.forceOutcome('exited');
    const doomed = await createOne();
    const fine = await createOne();
    await h.clock.advance(3_000);
    const failed = await show(doomed);
    assert.equal(failed.actual_status, 'exited');
    assert.equal(failed.intended_status, 'running');
    assert.match(failed.status_msg!, /error/i);
    assert.equal((await show(fine)).actual_status, 'running');
  });

  it('stop during loading cancels the boot; stop takes a few seconds', async () => {
    h = await startHarness({ lifecycle: { provisionMs: 1_000, loadingMs: 60_000, reactMs: 3_000, failureRate: 0 } });
    const id = await createOne();
    await h.clock.advance(5_000);
    assert.equal((await show(id)).actual_status, 'loading');
    await h.call('PUT', `/api/v0/instances/${id}/`, { body: { state: 'stopped' } });
    await h.clock.advance(2_999);
    assert.equal((await show(id)).actual_status, 'loading');
    await h.clock.advance(1);
    assert.equal((await show(id)).actual_status, 'stopped');
    await h.clock.advance(120_000);
    assert.equal((await show(id)).actual_status, 'stopped');
  });

  it('tests can put an instance offline/unknown or script its timeline', async () => {
    h = await startHarness();
    const { id } = h.sim.instances.add({ status: 'running' });
    h.sim.instances.setStatus(id, 'offline');
    assert.equal((await show(id)).actual_status, 'offline');
    h.sim.instances.setStatus(id, 'unknown', 'custom message');
    assert.equal((await show(id)).status_msg, 'custom message');
    h.sim.instances.schedule(id, [
      { afterMs: 0, status: 'loading' },
      { afterMs: 5_000, status: 'running' },
      { afterMs: 9_000, status: 'exited', msg: 'Error: boom' },
    ]);
    assert.equal((await show(id)).actual_status, 'loading');
    await h.clock.advance(5_000);
    assert.equal((await show(id)).actual_status, 'running');
    await h.clock.advance(4_000);
    const exited = await show(id);
    assert.equal(exited.actual_status, 'exited');
    assert.equal(exited.status_msg, 'Error: boom');
  });

  it('seeds say label, status, gpu, price and time to the next state', async () => {
    h = await startHarness({
      instances: [
        { label: 'a', status: 'loading', nextInMs: 7_000, outcome: 'running', gpu: 'H100 SXM', numGpus: 8, price: 20 },
        { label: 'b', status: 'stopped', gpu: 'RTX 3060' },
        { label: 'c', status: 'created', nextInMs: 2_000, outcome: 'exited' },
        { label: 'd', status: 'rebooting', nextInMs: 4_000 },
      ],
    });
    const [a, b, c, d] = h.sim.instances.list();
    assert.deepEqual([a.label, a.actual_status, a.gpu_name, a.num_gpus, a.dph_total], ['a', 'loading', 'H100 SXM', 8, 20]);
    assert.deepEqual([b.actual_status, b.intended_status, b.gpu_name], ['stopped', 'stopped', 'RTX 3060']);
    assert.equal(c.actual_status, 'created');
    assert.equal(d.actual_status, 'rebooting');
    await h.clock.advance(2_000);
    assert.equal((await show(c.id)).actual_status, 'loading');
    await h.clock.advance(2_000);
    assert.equal((await show(d.id)).actual_status, 'running');
    await h.clock.advance(3_000);
    assert.equal((await show(a.id)).actual_status, 'running');
    await h.clock.advance(200_000);
    assert.equal((await show(c.id)).actual_status, 'exited');
  });

  it('a seed can rent a catalogue offer; create with target_state stopped ends stopped', async () => {
    h = await startHarness({ lifecycle: { provisionMs: 1_000, failureRate: 0 } });
    const [offer] = h.sim.offers.search({ rented: { eq: false }, rentable: { eq: true }, limit: 1 });
    const seeded = h.sim.instances.add({ offerId: offer.id, label: 'on-offer' });
    assert.equal(seeded.machine_id, offer.machine_id);
    assert.equal(h.sim.offers.get(offer.id)!.rented, true);
    const id = await createOne({ target_state: 'stopped' });
    assert.equal((await show(id)).intended_status, 'stopped');
    await h.clock.advance(1_000);
    assert.equal((await show(id)).actual_status, 'stopped');
  });

  it('adds 500 mixed instances in one call', async () => {
    h = await startHarness();
    const added = h.sim.instances.addMany(500);
    assert.equal(added.length, 500);
    assert.equal(h.sim.instances.size, 500);
    const statuses = new Set(added.map((i) => i.actual_status));
    for (const status of ['running', 'loading', 'stopped', 'exited', 'offline'] as const) assert.ok(statuses.has(status), status);
    assert.equal(new Set(added.map((i) => i.id)).size, 500);
  });
});
