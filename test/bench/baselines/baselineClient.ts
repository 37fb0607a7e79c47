import type { Clock } from '../../../src/util/clock';
import { sleep } from '../../../src/util/sleep';
import type { Instance, InstancesPage, Offer, SearchBody } from '../../../src/vast/types';
import type { HttpRequest } from './exchange';

export interface BaselineOptions {
  clock: Clock;
  baseUrl: string;
  apiKey: string;
  /** Aborted when the bench's virtual-time cap is reached: every sleep and request stops. */
  signal: AbortSignal;
  /** Told about every deliberate sleep (so a run cut off by the cap can say what it was doing). */
  onSleep?: (ms: number, reason: string) => void;
}

/** What a baseline's request layer throws when it gives up: the operation failed. */
export class BaselineError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The Vast calls a user script makes, the same for both baselines; each subclass supplies its own
 * request algorithm (spacing, retries) and its wait cadence. No cache, no coalescing, no gates.
 */
export abstract class BaselineClient {
  abstract readonly name: string;

  constructor(protected readonly options: BaselineOptions) {}

  /** One API call through the client's own retry logic; throws BaselineError when it gives up. */
  protected abstract request<T>(request: HttpRequest): Promise<T>;

  /** Delays between polls of one instance while waiting for it. */
  protected abstract pollDelays(): Iterator<number>;

  async search(body: SearchBody): Promise<Offer[]> {
    const response = await this.request<{ offers?: Offer[] }>({ method: 'POST', path: '/api/v0/bundles/', body });
    if (!Array.isArray(response.offers)) throw new BaselineError('search: no offers list');
    return response.offers;
  }

  /** All pages of the v1 list, one after another (the CLI does not sleep between pages). */
  async listInstances(): Promise<Instance[]> {
    const all: Instance[] = [];
    let token: string | null = null;
    do {
      const query: Record<string, string> = { limit: '25' };
      if (token !== null) query.after_token = JSON.stringify(token);
      const page: Partial<InstancesPage> = await this.request<Partial<InstancesPage>>({ method: 'GET', path: '/api/v1/instances/', query });
      all.push(...(page.instances ?? []));
      token = page.next_token ?? null;
    } while (token !== null);
    return all;
  }

  async showInstance(id: number): Promise<Instance | null> {
    const response = await this.request<{ instances?: Instance | null }>({ method: 'GET', path: `/api/v0/instances/${id}/`, query: { owner: 'me' } });
    return response.instances ?? null;
  }

  /** `PUT /asks/{id}/` with the body the CLI sends; returns the new instance id. */
  async createInstance(offerId: number, options: { image: string; label: string }): Promise<number> {
    const body = { client_id: 'me', image: options.image, disk: 10, label: options.label, runtype: 'ssh_direc ssh_proxy' };
    const response = await this.request<{ new_contract?: number }>({ method: 'PUT', path: `/api/v0/asks/${offerId}/`, body });
    if (typeof response.new_contract !== 'number') throw new BaselineError('create: no new_contract');
    return response.new_contract;
  }

  /**
   * Polls `show instance` for one instance until it runs. Like the docs' loop it has no error
   * handling of its own: an error the request layer did not absorb ends the wait (failed).
   */
  async waitUntilRunning(id: number): Promise<Instance> {
    const delays = this.pollDelays();
    for (;;) {
      const instance = await this.showInstance(id);
      if (instance?.actual_status === 'running') return instance;
      if (instance === null || instance.actual_status === 'exited' || instance.actual_status === 'offline') {
        throw new BaselineError(`instance ${id} will not run (${instance?.actual_status ?? 'gone'})`);
      }
      await this.sleep(delays.next().value as number, 'poll interval');
    }
  }

  protected sleep(ms: number, reason: string): Promise<void> {
    this.options.onSleep?.(ms, reason);
    return sleep(this.options.clock, ms, this.options.signal);
  }

  protected parse<T>(text: string, what: string): T {
    try {
      return (text.trim() === '' ? {} : JSON.parse(text)) as T;
    } catch {
      throw new BaselineError(`${what}: answer is not JSON`);
    }
  }
}
