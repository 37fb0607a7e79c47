import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { RequestLogEntry, SimulatorOptions } from '../../../src/simulator';
import type { Line } from './childProtocol';

const ROOT = path.resolve(__dirname, '../../..');

/** A bench child process speaking childProtocol. */
export class BenchProcess {
  private readonly child: ChildProcess;
  private readonly events: Line[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;

  constructor(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as Line);
      } catch {
        return;
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** The next event `ev` after the first `skip` of them (bounded: a stuck process fails the run, not the machine). */
  next(ev: string, timeoutMs = 120_000, skip = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.filter((e) => e.ev === ev)[skip];
        if (found) return done(undefined, found);
        const crash = this.events.find((e) => e.ev === 'crash');
        if (crash) return done(new Error(`a bench process crashed: ${String(crash.error)}`));
        if (this.exited) done(new Error(`a bench process exited before "${ev}"`));
      };
      const timer = setTimeout(() => done(new Error(`no "${ev}" from a bench process within ${timeoutMs / 1000} s`)), timeoutMs);
      const done = (error?: Error, event?: Line) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve(event!);
      };
      this.waiters.add(check);
      check();
    });
  }

  send(command: Line): void {
    if (!this.exited) this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export interface SimulatorProcess {
  url: string;
  apiKey: string;
  process: BenchProcess;
  /** The server's request log so far. */
  log(): Promise<RequestLogEntry[]>;
  setStatus(id: number, status: string): void;
}

/** The simulator in its own process. */
export async function startSimulatorProcess(options: SimulatorOptions): Promise<SimulatorProcess> {
  const child = new BenchProcess('simulatorControlled.ts', [JSON.stringify(options)]);
  const ready = await child.next('ready');
  let asked = 0;
  return {
    url: String(ready.url),
    apiKey: String(ready.apiKey),
    process: child,
    async log() {
      child.send({ cmd: 'log' });
      return (await child.next('log', 60_000, asked++)).entries as RequestLogEntry[];
    },
    setStatus(id, status) {
      child.send({ cmd: 'setStatus', id, status });
    },
  };
}

/** One client program (programs/<name>.ts) in its own process. */
export async function startClientProcess(program: string, args: Line, env: NodeJS.ProcessEnv = {}): Promise<BenchProcess> {
  const child = new BenchProcess('programProcess.ts', [program, JSON.stringify(args)], env);
  await child.next('ready');
  return child;
}

/** Stops a client and returns its report. */
export async function stopClient(client: BenchProcess): Promise<Line> {
  client.send({ cmd: 'stop' });
  const report = await client.next('report', 60_000);
  client.kill();
  return report;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
