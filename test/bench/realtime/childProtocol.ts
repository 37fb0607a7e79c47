// The line protocol every real-time bench process speaks: JSON events on stdout, JSON commands on
// stdin. A process prints {ev: 'ready', ...} once set up; {cmd: 'stop'} makes it print
// {ev: 'report', ...} and exit.
import readline from 'node:readline';

export type Line = Record<string, unknown>;

export function emit(event: Line): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Calls `handler` for each command; the process exits when stdin closes (the bench went away). */
export function onCommands(handler: (command: Line) => Promise<void> | void): void {
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    let command: Line;
    try {
      command = JSON.parse(line) as Line;
    } catch {
      return;
    }
    Promise.resolve(handler(command)).catch((error) => emit({ ev: 'error', error: String(error) }));
  });
  input.on('close', () => process.exit(0));
}
