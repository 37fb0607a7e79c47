import fetch from 'node-fetch';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator';
import { VirtualClock } from '../../support/virtualClock';

export interface Reply {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  /** The body parsed as JSON (throws on non-JSON). */
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** Key to send as Bearer; null sends none. Default: the simulator's key. */
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Harness {
  clock: VirtualClock;
  sim: Simulator;
  /** One request over real HTTP, tracked on the virtual clock and driven until it settles. */
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** The same request, not driven: for requests that wait on the clock (slow, hang). */
  send(method: string, path: string, options?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

/** Rate limits are off unless a test asks for them, so tests can call freely. */
export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ ...options, clock, rateLimits: { enabled: false, ...options.rateLimits } });
  const send = (method: string, path: string, opts: CallOptions = {}): Promise<Reply> => {
    const key = opts.key === undefined ? sim.apiKey : opts.key;
    const headers: Record<string, string> = { ...opts.headers };
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const work = fetch(`${sim.url}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      signal: opts.signal as never,
    }).then(async (response) => {
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text,
        get json() {
          return JSON.parse(text);
        },
      };
    });
    return clock.trackIo(work);
  };
  return {
    clock,
    sim,
    send,
    call: (method, path, opts) => clock.run(send(method, path, opts)),
    async close() {
      await sim.close();
      clock.uninstall();
    },
  };
}

/** `?name=<json>&...` the way the CLI sends v1 list parameters: JSON-encoded, then URL-quoted. */
export function listQuery(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([name, value]) => `${name}=${encodeURIComponent(JSON.stringify(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
