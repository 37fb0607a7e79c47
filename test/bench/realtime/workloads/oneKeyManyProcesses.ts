import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestLogEntry } from '../../../../src/simulator';
import { sleep, startClientProcess, startSimulatorProcess, stopClient } from '../processHarness';
import type { RealtimeResult, RealtimeRow, RealtimeWorkload } from '../realtimeWorkload';

const WAITED_ID = 4242;
/** Measured after every process is up, so slow starts on a busy machine do not count. */
const WINDOW_MS = 75_000;

interface Run {
  processes: number;
  share: boolean;
  lists: number;
  rateLimited: number;
}

/**
 * 1, 3 and 5 processes on one key, each a window at rest: a subscribed monitor (visible view) and a
 * pending wait. List requests in a fixed window after all are up, 429s over the whole run, both from
 * the simulator's log; the ratio is to one process. Three processes with sharing off show what
 * coordination saves.
 */
export const oneKeyManyProcesses: RealtimeWorkload = {
  id: 'R1',
  title: 'one key, N processes (each: visible view + pending wait)',
  async run(say) {
    const runs: Run[] = [];
    for (const [processes, share] of [[1, true], [3, true], [5, true], [3, false]] as Array<[number, boolean]>) {
      runs.push(await runOnce(processes, share));
      const last = runs[runs.length - 1];
      say(`  ${processes} process${processes > 1 ? 'es' : ''}${share ? '' : ' (sharing off)'}: ${last.lists} list requests, ${last.rateLimited} 429s`);
    }
    const base = runs[0].lists || 1;
    const rows: RealtimeRow[] = runs.map((run) => {
      const ratio = run.lists / base;
      const target = run.share && run.processes > 1;
      return {
        label: `${run.processes} process${run.processes > 1 ? 'es' : ''}${run.share ? '' : ', sharing off'}`,
        figures: [
          { name: 'list requests', value: String(run.lists) },
          { name: 'ratio to 1', value: `${ratio.toFixed(2)}x`, ...(target ? { goal: '<= 1.2x', met: ratio <= 1.2 } : {}) },
          { name: '429s', value: String(run.rateLimited), ...(run.share ? { goal: '0', met: run.rateLimited === 0 } : {}) },
        ],
      };
    });
    const result: RealtimeResult = {
      rows,
      notes: [
        `list requests: GET /api/v1/instances/ in a ${WINDOW_MS / 1000} s window once every process is up; 429s: the whole run; both from the simulator's log.`,
        'Each process: a VastClient from dist/core.js, an InstanceMonitor subscribed, one waitUntilRunning on an instance that stays "loading".',
      ],
    };
    return result;
  },
};

async function runOnce(processes: number, share: boolean): Promise<Run> {
  const sim = await startSimulatorProcess({
    seed: 11,
    instances: [{ id: WAITED_ID, label: 'booting', status: 'loading', nextInMs: 24 * 3600_000, outcome: 'running' }, { label: 'train' }, { label: 'serve' }],
  });
  // A private socket directory per run: the bench never joins a real window's group.
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'vast-bench-'));
  const env = { XDG_RUNTIME_DIR: runtime, VAST_SHARE_BUDGET: share ? '1' : '0' };
  try {
    const clients = await Promise.all(
      Array.from({ length: processes }, () => startClientProcess('monitorAndWait', { url: sim.url, apiKey: sim.apiKey, waitFor: WAITED_ID }, env)),
    );
    const from = (await sim.log()).length;
    await sleep(WINDOW_MS);
    const entries = await sim.log();
    await Promise.all(clients.map((client) => stopClient(client)));
    const inWindow = entries.slice(from);
    return {
      processes,
      share,
      lists: inWindow.filter((entry: RequestLogEntry) => entry.endpoint === 'instances').length,
      rateLimited: entries.filter((entry) => entry.status === 429).length,
    };
  } finally {
    sim.process.send({ cmd: 'stop' });
    setTimeout(() => sim.process.kill(), 2000).unref();
    fs.rmSync(runtime, { recursive: true, force: true });
  }
}
