// The simulator alone in its own process, on the system clock with Vast's limits (unless the options
// say otherwise). Argument: SimulatorOptions as JSON. Prints {ev: 'ready', url, apiKey}; commands:
// {cmd: 'log'} -> {ev: 'log', entries}; {cmd: 'setStatus', id, status}; {cmd: 'limits', patch}.
import { startSimulator, type SimulatorOptions } from '../../../src/simulator';
import type { InstanceStatus } from '../../../src/vast/types';
import { emit, onCommands } from './childProtocol';

async function main(): Promise<void> {
  const sim = await startSimulator(JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions);
  onCommands(async (command) => {
    if (command.cmd === 'log') emit({ ev: 'log', entries: sim.log.entries() });
    else if (command.cmd === 'setStatus') sim.instances.setStatus(Number(command.id), command.status as InstanceStatus);
    else if (command.cmd === 'limits') sim.limits.set(command.patch as never);
    else if (command.cmd === 'stop') {
      await sim.close();
      process.exit(0);
    }
  });
  emit({ ev: 'ready', url: sim.url, apiKey: sim.apiKey });
}

main().catch((error) => {
  emit({ ev: 'crash', error: String(error) });
  process.exit(1);
});
