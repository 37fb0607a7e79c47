import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { ParticipantConfig } from './participant';

export type ParticipantEvent = { ev: string } & Record<string, unknown>;

const SCRIPT = path.join(__dirname, 'participant.ts');
const ROOT = path.resolve(__dirname, '../../..');

/**
 * A participant in its own process. Waits are bounded by generous timeouts (other work loads this
 * machine; nothing here asserts a speed).
 */
export class ParticipantProcess {
  readonly events: ParticipantEvent[] = [];
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();
  exited = false;

  constructor(config: ParticipantConfig, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(config)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ParticipantEvent);
      } catch {
        this.events.push({ ev: 'stdout', line });
      }
      for (const listener of [...this.listeners]) listener();
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const listener of [...this.listeners]) listener();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first event (already seen or still to come, from index `since` on) matching `test`. */
  waitFor(test: (event: ParticipantEvent) => boolean, what: string, timeoutMs = 120_000, since = 0): Promise<ParticipantEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(since).find(test);
        if (found) return finish(undefined, found);
        if (this.exited) finish(new Error(`the participant exited before ${what}; events: ${JSON.stringify(this.events)}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events)}`)), timeoutMs);
      const finish = (error?: Error, event?: ParticipantEvent) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve(event!);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Whether an event matching `test` came (from index `since` on). */
  saw(test: (event: ParticipantEvent) => boolean, since = 0): boolean {
    return this.events.slice(since).some(test);
  }

  /** The latest event of a kind, if any. */
  last(ev: string): ParticipantEvent | undefined {
    return [...this.events].reverse().find((event) => event.ev === ev);
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

/**
 * The first of `participants` to show an event matching `test`. Never rejects for the others (a
 * losing waitFor left pending would reject later, when the process is killed).
 */
export function firstTo(participants: ParticipantProcess[], test: (event: ParticipantEvent) => boolean, what: string, timeoutMs = 120_000): Promise<ParticipantProcess> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const found = participants.find((p) => p.saw(test));
      if (found) {
        clearInterval(timer);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(participants.map((p) => p.events))}`));
      }
    }, 50);
  });
}
