// One client process of a real-time workload. Arguments: the program name (a file in programs/) and
// its JSON arguments. The program uses the built product (dist/core.js), as a user's script does.
import path from 'node:path';
import { emit, onCommands, type Line } from './childProtocol';

/** What a program gets: the product's plain-Node entry and a way to report. */
export type Core = typeof import('../../../src/core');
export interface ProgramContext {
  core: Core;
  args: Line;
  emit: (event: Line) => void;
}
/** Sets up, then returns what to report when the bench says stop. */
export type Program = (context: ProgramContext) => Promise<() => Promise<Line> | Line>;

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(path.resolve(__dirname, '../../../dist/core.js')) as Core;
  const program = ((await import(`./programs/${name}`)) as { default: Program }).default;
  const report = await program({ core, args: JSON.parse(json ?? '{}') as Line, emit });
  onCommands(async (command) => {
    if (command.cmd !== 'stop') return;
    emit({ ev: 'report', ...(await report()) });
    process.exit(0);
  });
  emit({ ev: 'ready', pid: process.pid });
}

main().catch((error) => {
  emit({ ev: 'crash', error: String(error) });
  process.exit(1);
});
