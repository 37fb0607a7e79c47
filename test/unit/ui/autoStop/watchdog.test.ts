import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../../../src/simulator';
import { autoStopScript, readAutoStopPlan, type AutoStopPlan } from '../../../../src/ui/autoStop/autoStopScript';

/**
 * The on-instance watchdog, for real: bash runs the generated script against the simulator on the
 * system clock, with a fake `nvidia-smi` on PATH whose readings the test changes, and spans of a
 * couple of seconds. The only test in the suite that waits in real time (each case is bounded).
 */
describe('auto-stop watchdog (bash, real time, against the simulator)', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let dir: string;
  let gpuFile: string;
  let instanceId: number;
  let instanceKey: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeEach(async () => {
    sim = await startSimulator({ seed: 5, lifecycle: { failureRate: 0, reactMs: 200 } });
    instanceId = sim.instances.add({ label: 'train', status: 'running' }).id;
    instanceKey = sim.instances.recordOf(instanceId)!.instanceApiKey;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-watchdog-'));
    gpuFile = path.join(dir, 'gpu-util');
    fs.mkdirSync(path.join(dir, 'bin'));
    const fake = path.join(dir, 'bin', 'nvidia-smi');
    // Prints one utilisation per GPU, like `nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits`.
    fs.writeFileSync(fake, `#!/bin/sh\ncat "${gpuFile}"\n`, { mode: 0o755 });
    output = '';
  });

  afterEach(async () => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL'); // the script and its background watchdog share the group
      } catch {
        // already gone
      }
    }
    child = undefined;
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const setGpus = (...percent: number[]) => fs.writeFileSync(gpuFile, percent.map((p) => `${p}\n`).join(''));

  const run = (plan: AutoStopPlan, options: { idleSeconds?: number; withNvidiaSmi?: boolean } = {}) => {
    const script = autoStopScript(plan, { apiUrl: sim.url, checkSeconds: 0.25, idleSecondsOverride: options.idleSeconds });
    assert.ok(!script.includes(sim.apiKey), 'the user key is not in the script');
    const bin = options.withNvidiaSmi === false ? [] : [path.join(dir, 'bin')];
    child = spawn('bash', ['-c', script], {
      detached: true,
      env: { PATH: [...bin, '/usr/bin', '/bin'].join(':'), HOME: dir, CONTAINER_ID: String(instanceId), CONTAINER_API_KEY: instanceKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
  };

  const stopRequests = () => sim.log.entries().filter((e) => e.endpoint === 'manage');
  const waitFor = async (what: string, condition: () => boolean, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${withinMs} ms; watchdog said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('stops its own instance with the instance key after the idle span, not before', async () => {
    setGpus(85, 2); // one GPU busy: not idle
    run({ idleMinutes: 1 }, { idleSeconds: 2 });
    await waitFor('the armed line', () => output.includes('vast-autostop: armed'), 5000);
    await pause(3000);
    assert.equal(stopRequests().length, 0, 'no stop while a GPU is busy');
    setGpus(1, 0);
    const idleFrom = Date.now();
    await waitFor('a stop request', () => stopRequests().length > 0, 8000);
    const stop = stopRequests()[0];
    assert.ok(stop.at - idleFrom > 2000, `stopped ${stop.at - idleFrom} ms after the GPUs went idle (span 2 s)`);
    assert.ok(stop.at - idleFrom < 5000, `stopped only ${stop.at - idleFrom} ms after the GPUs went idle`);
    assert.equal(stop.status, 200);
    assert.equal(stop.keyId, `instance${instanceId}`, 'sent with the instance key, not the user key');
    assert.equal(sim.instances.get(instanceId)!.intended_status, 'stopped');
    await waitFor('the stop confirmation', () => output.includes('stop requested'), 2000);
    assert.equal(stopRequests().length, 1, 'one stop, then the watchdog ends');
  });

  it('never stops while busy, nor when idle stretches are shorter than the span', async () => {
    run({ idleMinutes: 1 }, { idleSeconds: 2 });
    for (let i = 0; i < 6; i++) {
      setGpus(i % 2 === 0 ? 0 : 60); // idle 1 s, busy 1 s, ...
      await pause(1000);
    }
    setGpus(40, 90);
    await pause(1500);
    assert.equal(stopRequests().length, 0, output);
    assert.equal(sim.instances.get(instanceId)!.intended_status, 'running');
  });

  it('stops at the chosen time', async () => {
    setGpus(99);
    const at = Date.now() + 2000;
    run({ stopAtMs: at });
    await waitFor('a stop request', () => stopRequests().length > 0, 6000);
    assert.ok(stopRequests()[0].at >= Math.floor(at / 1000) * 1000, 'not before the stop time');
    assert.match(output, /stopping instance \d+: stop time reached/);
  });

  it('says NOT ARMED in the log when nvidia-smi is missing, and does nothing', async () => {
    run({ idleMinutes: 1 }, { idleSeconds: 1, withNvidiaSmi: false });
    await waitFor('the not-armed line', () => output.includes('NOT ARMED'), 5000);
    assert.match(output, /vast-autostop: NOT ARMED: missing nvidia-smi/);
    await pause(1500);
    assert.equal(stopRequests().length, 0);
  });

  it('does not enforce a stop time that passed before this boot (a restart is not undone)', async () => {
    setGpus(0);
    run({ stopAtMs: Date.now() - 60_000 });
    await waitFor('the not-enforced line', () => output.includes('not enforced'), 5000);
    await pause(1000);
    assert.equal(stopRequests().length, 0);
  });

  it('carries its plan in its first line, so the tree knows without a request', () => {
    const script = autoStopScript({ idleMinutes: 45, stopAtMs: Date.UTC(2026, 11, 2, 20) }, { apiUrl: 'https://console.vast.ai' });
    assert.deepEqual(readAutoStopPlan(`${script}\npip install -r requirements.txt`), {
      idleMinutes: 45,
      thresholdPercent: 5,
      stopAtMs: Date.UTC(2026, 11, 2, 20),
    });
    assert.equal(readAutoStopPlan('pip install x'), undefined);
    assert.ok(script.length < 2400, `the script is ${script.length} characters (Vast allows 4096 for on-start)`);
  });
});
