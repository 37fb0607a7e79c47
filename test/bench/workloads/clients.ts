import { VastClient } from '../../../src/api/vastClient';
import { mulberry32 } from '../../../src/simulator/random/prng';
import type { BaselineClient } from '../baselines/baselineClient';
import { CliClient } from '../baselines/cliClient';
import { SeedClient } from '../baselines/seedClient';
import type { ScenarioContext } from '../harness/scenario';

/** Our client as the extension builds it: defaults everywhere, a seeded jitter source. */
export function ourClient(ctx: ScenarioContext): VastClient {
  return new VastClient({ apiKey: ctx.sim.apiKey, baseUrl: ctx.sim.url, clock: ctx.clock, random: mulberry32(11) });
}

export function baselineClient(name: 'seed' | 'cli', ctx: ScenarioContext): BaselineClient {
  const options = { clock: ctx.clock, baseUrl: ctx.sim.url, apiKey: ctx.sim.apiKey, signal: ctx.signal, onSleep: ctx.noteSleep };
  return name === 'seed' ? new SeedClient(options) : new CliClient(options);
}
