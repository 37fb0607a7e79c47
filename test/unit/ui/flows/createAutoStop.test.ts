import assert from 'node:assert/strict';
import { parseStopTime } from '../../../../src/ui/autoStop/autoStopChoice';
import { AUTO_STOP_MARKER, readAutoStopPlan } from '../../../../src/ui/autoStop/autoStopScript';
import { createInstanceFlow } from '../../../../src/ui/flows/createInstance';
import type { Offer } from '../../../../src/vast/types';
import { startFlowHarness, type FlowHarness } from '../../../support/flowHarness';

describe('Create Instance: auto-stop, on-demand, runway', () => {
  let h: FlowHarness;
  let offer: Offer;
  beforeEach(async () => {
    h = await startFlowHarness({ simulator: { credit: 30, instances: [{ label: 'train', status: 'running', price: 2 }] } });
    offer = (await h.run(h.client.searchOffers({ gpuName: 'RTX 4090', order: 'price', diskGb: h.settings.defaultDiskGb }))).offers[0];
    await h.run(h.monitor.refresh());
  });
  afterEach(() => h.close());

  it('"stop after N minutes of GPU idle": the watchdog leads the on-start script; the confirmation says what enforces it, that it is on-demand, and the runway once it runs', async () => {
    h.prompter
      .choose('pytorch/pytorch:latest')
      .enter()
      .type('job')
      .type('python train.py')
      .choose('Stop after N minutes of GPU idle…', { step: 5, totalSteps: 5 })
      .type('45', { step: 5 })
      .confirmWith(true)
      .onNotice('info', /is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    const confirm = h.prompter.prompt({ kind: 'confirm' });
    const perHour = 2 + offer.dph_total;
    const hours = Math.round(h.sim.account.credit / perHour);
    assert.match(confirm.detail!, /On-demand \(no bid price\): \$\d+\.\d\d\/h, and Vast\.ai does not interrupt it\./);
    assert.match(confirm.detail!, /Auto-stop: it stops itself after 45 min of GPU idle \(every GPU under 5 %\)\. A watchdog .* instance’s own key \(never yours\), so it works with VS Code closed\. .*"auto-stop: not armed"/);
    assert.match(confirm.detail!, new RegExp(`Once it runs: \\$\\d+\\.\\d\\d credit, ~${hours} h left at \\$${perHour.toFixed(2)}/h`));
    const onstart = h.sim.instances.get(id!)!.onstart!;
    assert.ok(onstart.startsWith(AUTO_STOP_MARKER));
    assert.ok(onstart.endsWith('\npython train.py'));
    assert.ok(!onstart.includes(h.sim.apiKey), 'the user key is never in the script');
    assert.deepEqual(readAutoStopPlan(onstart), { idleMinutes: 45, thresholdPercent: 5 });
    assert.ok(!h.serverLog().some(([, e]) => e === 'user'), 'the runway cost no account request');
  });

  it('"stop at a time" stores the moment; an invalid time is refused in the box', async () => {
    h.prompter
      .choose('pytorch/pytorch:latest')
      .enter()
      .type('')
      .type('')
      .choose('Stop at a time…')
      .type('25:00')
      .type('23:30')
      .confirmWith(true)
      .onNotice('info', /is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    assert.match(h.prompter.prompt({ kind: 'input', text: /Stop at/ }).validation[0], /Not a time of day/);
    const plan = readAutoStopPlan(h.sim.instances.get(id!)!.onstart);
    assert.equal(plan?.stopAtMs, parseStopTime('23:30', h.clock));
    assert.match(h.prompter.prompt({ kind: 'confirm' }).detail!, /Auto-stop: it stops itself at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('no auto-stop leaves the on-start script as typed', async () => {
    h.prompter.choose('pytorch/pytorch:latest').enter().type('').type('echo hi').choose('No auto-stop').confirmWith(true).onNotice('info', /is running$/);
    const id = await h.flow(createInstanceFlow(h.ctx, offer));
    assert.equal(h.sim.instances.get(id!)!.onstart, 'echo hi');
  });

  it('parses stop times as local time: the next HH:MM, or a date within 30 days', () => {
    const clock = { now: () => new Date(2026, 11, 2, 22, 0).getTime() };
    assert.equal(parseStopTime('23:30', clock), new Date(2026, 11, 2, 23, 30).getTime());
    assert.equal(parseStopTime('08:00', clock), new Date(2026, 11, 3, 8, 0).getTime());
    assert.equal(parseStopTime('2026-12-24 08:00', clock), new Date(2026, 11, 24, 8, 0).getTime());
    assert.match(String(parseStopTime('22:02', clock)), /at least 5 minutes/);
    assert.match(String(parseStopTime('2027-03-01 08:00', clock)), /within 30 days/);
    assert.match(String(parseStopTime('tomorrow', clock)), /HH:MM/);
  });
});
