import type { Clock } from '../util/clock';
import { Account } from './account/account';
import { KeyRing } from './auth/keyRing';
import { FaultRules, type FaultControl } from './faults/faultControl';
import { LogUploads } from './instances/logUploads';
import { InstanceStore } from './instances/store';
import { RateLimiter, type RateLimitControl } from './limits/rateLimiter';
import { RequestLog } from './log/requestLog';
import { OfferCatalogue } from './offers/catalogue';
import { resolveOptions, type SimulatorOptions } from './options';
import { Random } from './random/prng';
import type { SimState } from './routes/route';
import { listen } from './server/httpServer';
import { AccountSshKeys } from './ssh/accountSshKeys';
import { createRequestHandler } from './server/pipeline';

export interface Simulator {
  /** 'http://127.0.0.1:PORT', no trailing slash. */
  readonly url: string;
  /** The first accepted key. */
  readonly apiKey: string;
  readonly clock: Clock;
  readonly log: RequestLog;
  readonly limits: RateLimitControl;
  readonly faults: FaultControl;
  readonly instances: InstanceStore;
  readonly offers: OfferCatalogue;
  readonly account: Account;
  /** The account's SSH keys (what `GET /api/v0/ssh/` lists). */
  readonly sshKeys: AccountSshKeys;
  /** Makes a key invalid from now on (401), like deleting it on Vast. */
  revokeKey(key: string): void;
  /** Closes the server and destroys open sockets (hung ones too). */
  close(): Promise<void>;
}

/** Starts a Vast.ai look-alike on a real port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const opts = resolveOptions(options);
  const { clock, seed } = opts;
  const offers = new OfferCatalogue(clock, seed, opts.offerCount);
  const instances = new InstanceStore(clock, seed, offers, opts.lifecycle);
  const account = new Account(instances, Random.for(seed, 'account'), opts.credit);
  // Vast installs the account's keys on an instance at creation; keys added later need attaching.
  const sshKeys = new AccountSshKeys(clock, () => account.user().id);
  for (const key of opts.sshKeys) sshKeys.add(key);
  instances.keysAtCreation = () => sshKeys.list();
  if (typeof opts.instances === 'number') instances.addMany(opts.instances);
  else instances.addMany(opts.instances);
  const logUploads = new LogUploads(Random.for(seed, 'log-tokens'));
  const state: SimState = { clock, url: '', offers, instances, account, logUploads, sshKeys };
  const limiter = new RateLimiter(clock, Random.for(seed, 'rate-limits'), opts.rateLimits);
  const faults = new FaultRules(clock);
  const log = new RequestLog();
  const keys = new KeyRing(opts.apiKeys, opts.readOnlyKeys, (key) => instances.findByApiKey(key));
  const server = await listen(createRequestHandler({ clock, keys, limiter, faults, log, state, badKeyStatus: opts.badKeyStatus, retired: new Set(opts.retiredEndpoints), localOnly: opts.localOnly }), opts.host, opts.port);
  state.url = server.url;
  return {
    url: server.url,
    apiKey: opts.apiKeys[0],
    clock,
    log,
    limits: limiter,
    faults,
    instances,
    offers,
    account,
    sshKeys,
    revokeKey: (key) => keys.revoke(key),
    close: () => server.close(),
  };
}
