import { VastClient, type VastClientOptions } from '../../src/api/vastClient';
import type { RequestEvent } from '../../src/api/transport';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { mulberry32 } from '../../src/simulator/random/prng';
import { VirtualClock } from './virtualClock';

export interface ClientHarness {
  clock: VirtualClock;
  sim: Simulator;
  client: VastClient;
  /** Every attempt and wait the client reported. */
  events: RequestEvent[];
  /** Virtual ms since the harness started. */
  elapsed(): number;
  /** Drives virtual time until `work` settles. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Simulator log entries as [ms since start, endpoint, status]. */
  serverLog(): Array<[number, string | undefined, number]>;
  close(): Promise<void>;
}

/** A virtual clock, a simulator on it (Vast's default limits unless overridden) and a client for it. */
export async function startClientHarness(
  options: { simulator?: SimulatorOptions; client?: Partial<VastClientOptions> } = {},
): Promise<ClientHarness> {
  const clock = new VirtualClock();
  const start = clock.now();
  const sim = await startSimulator({ seed: 7, ...options.simulator, clock });
  const client = new VastClient({ apiKey: sim.apiKey, baseUrl: sim.url, clock, random: mulberry32(11), ...options.client });
  const events: RequestEvent[] = [];
  client.onRequest((event) => events.push(event));
  return {
    clock,
    sim,
    client,
    events,
    elapsed: () => clock.now() - start,
    run: (work) => clock.run(work),
    serverLog: () => sim.log.entries().map((e) => [e.at - start, e.endpoint, e.status]),
    async close() {
      client.dispose();
      await sim.close();
      clock.uninstall();
    },
  };
}
