// A process that joins a budget's coordination, for the multi-process tests: started with one JSON
// argument (see ParticipantConfig), it prints one JSON event per line on stdout and takes JSON
// commands on stdin. Not a test file itself (mocha runs *.test.ts only).
import readline from 'node:readline';
import { processBudgets } from '../../../src/api/budgetRegistry';
import { VastClient } from '../../../src/api/vastClient';
import { Coordinator } from '../../../src/coordination/coordinator';
import { configureCoordination, coordinationOf, shareBudgetsAcrossProcesses } from '../../../src/coordination/processCoordination';
import { InstanceMonitor } from '../../../src/monitor/instanceMonitor';

export interface ParticipantConfig {
  /** 'coordinator': the bare channel; 'client': a VastClient and an InstanceMonitor on it. */
  mode: 'coordinator' | 'client';
  dir: string;
  host: string;
  apiKey: string;
  kind?: string;
  /** Client mode: share the budget (default true). */
  share?: boolean;
  /** Client mode: keep the monitor subscribed (a visible Instances view). */
  subscribe?: boolean;
  /** Client mode: wait until this instance runs. */
  waitFor?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ParticipantConfig;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const log = (line: string) => emit({ ev: 'log', line });

async function main(): Promise<void> {
  const handlers: Record<string, (command: Record<string, unknown>) => Promise<unknown>> = {};
  if (config.mode === 'coordinator') {
    let coordinator: Coordinator;
    try {
      coordinator = await Coordinator.join({ host: config.host, apiKey: config.apiKey, dir: config.dir, kind: config.kind, log, trace: log });
    } catch (error) {
      emit({ ev: 'standalone', reason: String(error) });
      return;
    }
    coordinator.handle('who', () => ({ pid: process.pid }));
    coordinator.onDidChangeRole((role) => emit({ ev: 'role', role }));
    coordinator.onDidChangeParticipants((list) => emit({ ev: 'participants', n: list.length }));
    emit({ ev: 'role', role: coordinator.role });
    handlers.call = (command) => coordinator.call(String(command.method));
  } else {
    configureCoordination({ enabled: config.share !== false, dir: config.dir, kind: config.kind ?? 'script', log });
    shareBudgetsAcrossProcesses(processBudgets);
    // A wider spacing margin than the product's: the simulator shares the busy test process, and
    // its arrival times jitter by more than 50 ms there.
    const client = new VastClient({ apiKey: config.apiKey, baseUrl: config.host, spacingMarginMs: 250 });
    const monitor = new InstanceMonitor(client);
    client.onRequest((event) => {
      if (event.type === 'response') emit({ ev: 'sent', endpoint: event.endpoint, status: event.status });
    });
    const coordination = coordinationOf(client.rateLimits);
    const coordinator = await coordination?.ready;
    if (coordinator) {
      coordinator.onDidChangeRole((role) => emit({ ev: 'role', role }));
      coordinator.onDidChangeParticipants((list) => emit({ ev: 'participants', n: list.length }));
    }
    emit({ ev: 'role', role: coordinator?.role ?? 'off' });
    if (config.subscribe) monitor.subscribe();
    monitor.onDidChangeState((snapshot) => {
      if (!snapshot.polling && snapshot.polledAt) emit({ ev: 'snapshot', polledAt: snapshot.polledAt, count: snapshot.instances.size });
    });
    if (config.waitFor !== undefined) {
      monitor.waitUntilRunning(config.waitFor, { timeoutMs: 180_000 }).then(
        (instance) => emit({ ev: 'waited', id: instance.id, status: instance.actual_status }),
        (error) => emit({ ev: 'wait-failed', error: String(error) }),
      );
    }
    handlers.refresh = async () => (await monitor.refresh()).instances.size;
    handlers.user = async () => (await client.currentUser()).id;
  }
  emit({ ev: 'ready', pid: process.pid });
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const command = JSON.parse(line) as Record<string, unknown>;
    const handler = handlers[String(command.cmd)];
    if (!handler) return emit({ ev: 'error', error: `unknown command ${String(command.cmd)}` });
    handler(command).then(
      (value) => emit({ ev: 'result', cmd: command.cmd, value }),
      (error) => emit({ ev: 'error', cmd: command.cmd, error: String(error) }),
    );
  });
  input.on('close', () => process.exit(0));
}

main().catch((error) => {
  emit({ ev: 'crash', error: String(error) });
  process.exit(1);
});
