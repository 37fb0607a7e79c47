import fetch from 'node-fetch';
import { systemClock, type Clock } from '../util/clock';
import { Emitter } from '../util/emitter';
import { sleep } from '../util/sleep';
import type { EndpointClass } from '../vast/endpoints';
import { parsePublicKey } from '../vast/sshPublicKey';
import type { CreateInstanceBody, CreateInstanceResponse, Instance, InstancesPage, InstanceStatus, Offer, User } from '../vast/types';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { BodyTooLargeError, readBoundedText } from './boundedBody';
import { CLIENT_DEFAULTS } from './clientDefaults';
import { VastApiError, isVastApiError } from './errors';
import { buildSearchBody, describeOfferQuery, searchKey, type OfferQuery } from './offerQuery';
import { processBudgets, type BudgetRegistry } from './budgetRegistry';
import { FileLimitMemory } from './fileLimitMemory';
import type { LimitMemoryStore } from './limitMemory';
import type { RateLimitGates } from './rateLimitGates';
import { RequestDeadline } from './requestDeadline';
import { parseInstance, parseInstances, parseOffers, parseSshKeys, parseUser, type FieldDrop } from './wireSchemas';
import { SearchCache, type SearchResult } from './searchCache';
import { Transport, type ApiRequest, type RequestEvent } from './transport';
import { errorMessage } from '../util/errorMessage';

export const DEFAULT_API_URL = CLIENT_DEFAULTS.apiUrl;

export interface VastClientOptions {
  apiKey: string;
  /** Default https://console.vast.ai. Plain http is accepted only for loopback (the simulator). */
  baseUrl?: string;
  clock?: Clock;
  /** Overrides of the per-endpoint minimum intervals (ms); defaults are Vast's published figures. */
  intervalsMs?: Partial<Record<EndpointClass, number>>;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** A wait longer than this is not slept: the request fails saying when to resume (default 2 min). */
  maxWaitMs?: number;
  /** Per attempt (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * Extra spacing on every interval (default 50 ms): Vast measures intervals at arrival, and
   * network jitter can bring two requests sent exactly one interval apart closer together.
   */
  spacingMarginMs?: number;
  /**
   * Share this key's budget and instance poll with the other processes on this machine (VS Code
   * windows, scripts) when the process has cross-process sharing on (dist/core.js and the extension
   * do). Default true; false keeps a budget of its own, decided by the first client of that budget.
   */
  shareBudget?: boolean;
  /** How long identical searches are answered from memory (default 90 s). */
  searchCacheTtlMs?: number;
  backoff?: BackoffPolicy;
  /** Random source for jitter (tests pass a seeded one). */
  random?: () => number;
  userAgent?: string;
  /**
   * Where this client's rate-limit budget comes from (default: the process-wide registry, so every
   * client on the same host and key shares one set of gates). Tests pass their own.
   */
  budgets?: BudgetRegistry;
  /**
   * Where learned limits are remembered between runs. Default: a file in the per-user state
   * directory for real hosts (see FileLimitMemory), nothing for loopback hosts (a local simulator
   * on a fresh port has nothing worth remembering). `null`: remember nothing.
   */
  limitMemory?: LimitMemoryStore | null;
  /** Answers (and downloaded logs) larger than this are abandoned while streaming (default 32 MB). */
  maxBodyBytes?: number;
  /** Pages of one instance list before it counts as endless (default 400, i.e. 10 000 instances). */
  maxPages?: number;
}

export interface CreateInstanceOptions {
  /** Docker image, e.g. "pytorch/pytorch:latest". */
  image: string;
  /** GB, at least 8 (default 10). */
  diskGb?: number;
  label?: string;
  /** Shell script run after Vast's entrypoint. */
  onstart?: string;
  env?: Record<string, string>;
  /** Also start Jupyter (default: SSH only). */
  jupyter?: boolean;
  /** Bid in $/h: makes the instance interruptible. Omit to pay the on-demand price. */
  bidPrice?: number;
}

export interface CreatedInstance {
  instanceId: number;
  /** Lets the container start, stop or destroy itself; treat as a secret. */
  instanceApiKey?: string;
}

/** A key on the account (`GET /api/v0/ssh/`). */
export interface AccountSshKey {
  id: number;
  /** The public key line as Vast stores it. */
  publicKey: string;
  createdAt?: string;
}

/** A key an instance accepts (`GET /api/v0/instances/{id}/ssh/`). */
export interface InstanceSshKey {
  id?: number;
  publicKey: string;
  /** 'account' when it came with the account at creation, 'attached' when attached since (when Vast says). */
  source?: string;
}

export type BatchSearchOutcome = { result: SearchResult; error?: undefined } | { result?: undefined; error: VastApiError };

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Typed access to Vast.ai for everything the product does, safe against its rate limits: every
 * call goes through the endpoint's gate and retry loop (see Transport), searches through the cache.
 */
export class VastClient {
  readonly baseUrl: string;
  /** Per-endpoint throttling state and its change event (the status bar reads this). */
  readonly rateLimits: RateLimitGates;
  private readonly requestEvents = new Emitter<RequestEvent>();
  /** Every attempt, every wait: for the log. */
  readonly onRequest = this.requestEvents.event;
  private readonly staleServed = new Emitter<{ ageMs: number; reason?: string }>();
  /** A search was answered with stale data because Vast could not answer (the status bar shows it). */
  readonly onDidServeStale = this.staleServed.event;
  private readonly fieldDrops = new Emitter<FieldDrop>();
  /** A field (or row) Vast sent in a form the client could not use, once per kind of field: for the log. */
  readonly onDidDropField = this.fieldDrops.event;
  private readonly reportedDrops = new Set<string>();
  private readonly noteDrop = (drop: FieldDrop) => {
    const key = `${drop.kind}.${drop.field}`;
    if (this.reportedDrops.has(key)) return;
    this.reportedDrops.add(key);
    this.fieldDrops.fire(drop);
  };
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly searches: SearchCache;
  readonly requestTimeoutMs: number;
  private readonly membership: { dispose(): void };
  private readonly maxBodyBytes: number;
  private readonly maxPages: number;

  constructor(options: VastClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_API_URL);
    checkApiKey(options.apiKey);
    this.clock = options.clock ?? systemClock;
    const maxWaitMs = options.maxWaitMs ?? 120_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    const memory = options.limitMemory === undefined ? defaultLimitMemory(this.baseUrl) : (options.limitMemory ?? undefined);
    this.rateLimits = (options.budgets ?? processBudgets).budgetFor({
      origin: this.baseUrl,
      apiKey: options.apiKey,
      clock: this.clock,
      maxWaitMs,
      memory,
      shareAcrossProcesses: options.shareBudget,
    });
    this.membership = this.rateLimits.join({ intervalsMs: options.intervalsMs, spacingMarginMs: options.spacingMarginMs ?? 50 });
    this.maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
    this.maxPages = options.maxPages ?? 400;
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey: options.apiKey,
      clock: this.clock,
      gates: this.rateLimits,
      events: this.requestEvents,
      random: options.random ?? Math.random,
      maxRetries: options.maxRetries ?? CLIENT_DEFAULTS.maxRetries,
      maxWaitMs,
      requestTimeoutMs: this.requestTimeoutMs,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      thresholdMargin: 1.05,
      userAgent: options.userAgent ?? 'vast-gpu-explorer',
      maxBodyBytes: this.maxBodyBytes,
    });
    this.searches = new SearchCache(this.clock, options.searchCacheTtlMs ?? CLIENT_DEFAULTS.searchCacheSeconds * 1000);
  }

  /** Offers matching `query`; identical queries within the cache lifetime cost no request. */
  async searchOffers(query: OfferQuery, options: { signal?: AbortSignal; refresh?: boolean } = {}): Promise<SearchResult> {
    const body = buildSearchBody(query);
    const result = await this.searches.get(
      searchKey(body),
      async ({ failFast, signal }) => {
        const response = await this.call<{ offers?: unknown }>({ endpoint: 'search', method: 'POST', path: '/api/v0/bundles/', body, signal, failFast });
        if (!isRecord(response) || !Array.isArray(response.offers)) throw invalidResponse('search offers', 'no "offers" list');
        return parseOffers(response.offers, this.noteDrop);
      },
      options,
    );
    if (result.source === 'stale') this.staleServed.fire({ ageMs: result.ageMs, reason: result.staleReason });
    return result;
  }

  /**
   * Several searches in one call, keyed by the caller's names. They share the search gate (so they
   * are spaced, not refused) and the cache; one failing does not fail the others.
   */
  async batchSearch<K extends string>(queries: Readonly<Record<K, OfferQuery>>, options: { signal?: AbortSignal } = {}): Promise<Record<K, BatchSearchOutcome>> {
    const names = Object.keys(queries) as K[];
    const outcomes = await Promise.all(
      names.map(async (name): Promise<BatchSearchOutcome> => {
        try {
          return { result: await this.searchOffers(queries[name], options) };
        } catch (error) {
          if (options.signal?.aborted) throw error;
          return { error: asVastError(error, `Search "${describeOfferQuery(queries[name])}" failed`) };
        }
      }),
    );
    return Object.fromEntries(names.map((name, i) => [name, outcomes[i]])) as Record<K, BatchSearchOutcome>;
  }

  /**
   * Every instance on the account: all pages of `GET /api/v1/instances/`, one gate slot per page.
   * A server that repeats a page token or never stops paging gets an error, not an endless poll.
   */
  async listInstances(options: { signal?: AbortSignal; statuses?: InstanceStatus[]; ids?: readonly number[] } = {}): Promise<Instance[]> {
    if (options.ids?.length === 0) return [];
    const filters: Record<string, { in: readonly unknown[] }> = {};
    if (options.statuses) filters.actual_status = { in: options.statuses };
    if (options.ids) filters.id = { in: options.ids };
    const instances: Instance[] = [];
    const seenTokens = new Set<string>();
    let token: string | null = null;
    for (let page = 0; page < this.maxPages; page++) {
      const query: Record<string, string> = { limit: '25' };
      if (token !== null) query.after_token = JSON.stringify(token);
      if (Object.keys(filters).length > 0) query.select_filters = JSON.stringify(filters);
      const response = await this.call<Partial<InstancesPage>>({ endpoint: 'instances', method: 'GET', path: '/api/v1/instances/', query, signal: options.signal });
      if (!isRecord(response)) throw invalidResponse('list instances', 'not an object');
      if (response.instances != null && !Array.isArray(response.instances)) throw invalidResponse('list instances', '"instances" is not a list');
      instances.push(...parseInstances(response.instances ?? [], this.noteDrop));
      const next: unknown = response.next_token ?? null;
      if (next === null || next === '') return instances;
      if (typeof next !== 'string' || next.length > 4096) throw invalidResponse('list instances', 'the page token is not a short string');
      if (seenTokens.has(next)) throw invalidResponse('list instances', `page ${page + 1} repeated an earlier page token`);
      seenTokens.add(next);
      token = next;
    }
    throw invalidResponse('list instances', `more than ${this.maxPages} pages`);
  }

  /**
   * Only these instances, in one request per 25 (`select_filters` `{"id": {"in": [...]}}`): what
   * fast polls ask while waits or transitions are pending, instead of the whole list.
   */
  listInstancesById(ids: readonly number[], options: { signal?: AbortSignal } = {}): Promise<Instance[]> {
    return this.listInstances({ ...options, ids });
  }

  /** The deprecated v0 list, for servers that lack v1. */
  async listInstancesLegacy(options: { signal?: AbortSignal } = {}): Promise<Instance[]> {
    const response = await this.call<{ instances?: unknown }>({
      endpoint: 'instancesLegacy',
      method: 'GET',
      path: '/api/v0/instances/',
      query: { owner: 'me' },
      signal: options.signal,
    });
    if (!isRecord(response)) throw invalidResponse('list instances', 'not an object');
    return parseInstances(response.instances ?? [], this.noteDrop);
  }

  /** One instance, or null when it does not exist (any more). */
  async showInstance(id: number, options: { signal?: AbortSignal } = {}): Promise<Instance | null> {
    try {
      // Vast's quirk: a plural key wrapping one object, null for an unknown id.
      const response = await this.call<{ instances?: unknown }>({
        endpoint: 'instance',
        method: 'GET',
        path: `/api/v0/instances/${instanceId(id)}/`,
        query: { owner: 'me' },
        signal: options.signal,
      });
      if (!isRecord(response) || response.instances == null) return null;
      return parseInstance(response.instances, this.noteDrop) ?? null;
    } catch (error) {
      if (isVastApiError(error, 'not-found')) return null;
      throw error;
    }
  }

  /**
   * Rents offer `offerId`. A 429 is retried (Vast did not process it); any failure that leaves the
   * outcome unknown is thrown as 'outcome-unknown' and never resent: look for the label first.
   */
  async createInstance(offerId: number, options: CreateInstanceOptions, signal?: AbortSignal): Promise<CreatedInstance> {
    const body = createBody(options);
    const response = await this.call<Partial<CreateInstanceResponse>>({
      endpoint: 'create',
      method: 'PUT',
      path: `/api/v0/asks/${positiveId(offerId, 'Offer id')}/`,
      body,
      signal,
    });
    if (!isRecord(response) || !Number.isSafeInteger(response.new_contract) || (response.new_contract as number) <= 0) {
      throw new VastApiError('outcome-unknown', 'Vast.ai accepted the create request but did not say which instance it made; check the instance list.', {
        endpoint: 'create',
      });
    }
    const instanceApiKey = typeof response.instance_api_key === 'string' ? response.instance_api_key : undefined;
    return { instanceId: response.new_contract as number, instanceApiKey };
  }

  startInstance(id: number, signal?: AbortSignal): Promise<void> {
    return this.manage(id, { state: 'running' }, signal);
  }

  stopInstance(id: number, signal?: AbortSignal): Promise<void> {
    return this.manage(id, { state: 'stopped' }, signal);
  }

  setLabel(id: number, label: string, signal?: AbortSignal): Promise<void> {
    if (label.length > 1024) throw new VastApiError('invalid-input', `A label can be at most 1024 characters (this one has ${label.length}).`);
    return this.manage(id, { label }, signal);
  }

  async rebootInstance(id: number, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'reboot', method: 'PUT', path: `/api/v0/instances/reboot/${instanceId(id)}/`, body: {}, signal });
  }

  async destroyInstance(id: number, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'destroy', method: 'DELETE', path: `/api/v0/instances/${instanceId(id)}/`, body: {}, signal });
  }

  async currentUser(options: { signal?: AbortSignal } = {}): Promise<User> {
    const response = await this.call<unknown>({ endpoint: 'user', method: 'GET', path: '/api/v0/users/current/', signal: options.signal });
    const user = parseUser(response, this.noteDrop);
    if (!user) throw invalidResponse('current user', 'no user id');
    return user;
  }

  /** The account's SSH keys. Rows without a usable key are skipped (and logged). */
  async listAccountSshKeys(options: { signal?: AbortSignal } = {}): Promise<AccountSshKey[]> {
    const response = await this.call<unknown>({ endpoint: 'sshKeys', method: 'GET', path: '/api/v0/ssh/', signal: options.signal });
    const rows = parseSshKeys(response, this.noteDrop);
    if (!rows) throw invalidResponse('list account SSH keys', 'no list of keys');
    return rows.flatMap((row) => (row.id === undefined ? [] : [{ id: row.id, publicKey: row.publicKey, createdAt: row.createdAt }]));
  }

  /** Adds one public key line to the account; anything else (a private key above all) is refused before sending. */
  async addAccountSshKey(publicKey: string, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'sshKeyAdd', method: 'POST', path: '/api/v0/ssh/', body: { ssh_key: checkedPublicKey(publicKey) }, signal });
  }

  async removeAccountSshKey(keyId: number, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'sshKeyRemove', method: 'DELETE', path: `/api/v0/ssh/${positiveId(keyId, 'SSH key id')}/`, body: {}, signal });
  }

  /** The keys instance `id` accepts. */
  async listInstanceSshKeys(id: number, options: { signal?: AbortSignal } = {}): Promise<InstanceSshKey[]> {
    const response = await this.call<unknown>({ endpoint: 'instanceSshKeys', method: 'GET', path: `/api/v0/instances/${instanceId(id)}/ssh/`, signal: options.signal });
    const rows = parseSshKeys(response, this.noteDrop);
    if (!rows) throw invalidResponse('list instance SSH keys', 'no list of keys');
    return rows.map((row) => ({ id: row.id, publicKey: row.publicKey, source: row.source }));
  }

  /** Lets the key log in to instance `id` from now on (no restart needed on Docker instances). */
  async attachSshKey(id: number, publicKey: string, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'sshKeyAttach', method: 'POST', path: `/api/v0/instances/${instanceId(id)}/ssh/`, body: { ssh_key: checkedPublicKey(publicKey) }, signal });
  }

  /**
   * The container's log (last `tail` lines). Vast answers with a URL that becomes readable a moment
   * later; that URL is fetched without the key, which only ever goes to the API host.
   */
  async instanceLogs(id: number, options: { tail?: number; signal?: AbortSignal } = {}): Promise<string> {
    const response = await this.call<{ result_url?: string }>({
      endpoint: 'logs',
      method: 'PUT',
      path: `/api/v0/instances/request_logs/${instanceId(id)}/`,
      body: { tail: String(options.tail ?? 1000) },
      signal: options.signal,
    });
    if (typeof response.result_url !== 'string') throw invalidResponse('request logs', 'no result_url');
    const resultUrl = checkResultUrl(response.result_url);
    for (let attempt = 0; attempt < 30; attempt++) {
      const result = await this.clock.trackIo(fetchText(this.clock, resultUrl, this.requestTimeoutMs, this.maxBodyBytes, options.signal));
      if (result.status === 200) return result.text;
      await sleep(this.clock, 500, options.signal);
    }
    throw new VastApiError('server', `The log of instance ${id} was not ready after 15 s; try again.`, { endpoint: 'logs' });
  }

  dispose(): void {
    this.requestEvents.dispose();
    this.staleServed.dispose();
    this.fieldDrops.dispose();
    // The gates are shared with every client on this key: leave them, take back our options.
    this.membership.dispose();
  }

  private async manage(id: number, body: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await this.call({ endpoint: 'manage', method: 'PUT', path: `/api/v0/instances/${instanceId(id)}/`, body, signal });
  }

  private call<T>(request: ApiRequest): Promise<T> {
    return this.transport.request<T>(request);
  }
}

function defaultLimitMemory(origin: string): LimitMemoryStore | undefined {
  return LOOPBACK_HOSTS.test(new URL(origin).hostname) ? undefined : new FileLimitMemory();
}

function createBody(options: CreateInstanceOptions): CreateInstanceBody {
  const image = options.image?.trim();
  if (!image) throw new VastApiError('invalid-input', 'An image is required (e.g. "pytorch/pytorch:latest").');
  if (image.length > 1024) throw new VastApiError('invalid-input', 'The image name is longer than 1024 characters.');
  const disk = options.diskGb ?? 10;
  if (!Number.isFinite(disk) || disk < 8) throw new VastApiError('invalid-input', `Disk must be at least 8 GB, got ${disk}.`);
  if (options.label !== undefined && options.label.length > 256) throw new VastApiError('invalid-input', 'A label can be at most 256 characters when creating.');
  if (options.onstart !== undefined && options.onstart.length > 4096) throw new VastApiError('invalid-input', 'The on-start script can be at most 4096 characters.');
  if (options.bidPrice !== undefined && !(options.bidPrice >= 0.001 && options.bidPrice <= 128)) {
    throw new VastApiError('invalid-input', `A bid must be between $0.001 and $128 per hour, got ${options.bidPrice}.`);
  }
  const body: CreateInstanceBody = {
    client_id: 'me',
    image,
    disk,
    runtype: options.jupyter ? 'jupyter_direc ssh_direc ssh_proxy' : 'ssh_direc ssh_proxy',
  };
  if (options.label !== undefined) body.label = options.label;
  if (options.onstart) body.onstart = options.onstart;
  if (options.env && Object.keys(options.env).length > 0) body.env = options.env;
  if (options.bidPrice !== undefined) body.price = options.bidPrice;
  return body;
}

function checkedPublicKey(text: string): string {
  const parsed = parsePublicKey(text);
  if (!parsed.ok) throw new VastApiError('invalid-input', `Not uploaded: ${parsed.reason}.`);
  return parsed.key.line;
}

function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VastApiError('invalid-input', `The API URL "${raw}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname))) {
    throw new VastApiError('invalid-input', `The API URL must use https (plain http only for localhost), got "${url.origin}".`);
  }
  if (url.username || url.password) throw new VastApiError('invalid-input', 'The API URL must not contain credentials.');
  return url.origin;
}

/** Where Vast says the log is: https only (plain http only for loopback, the simulator), no credentials. */
function checkResultUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidResponse('request logs', 'result_url is not a URL');
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname);
  if (url.protocol !== 'https:' && !loopback) throw invalidResponse('request logs', `result_url must be https, got ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw invalidResponse('request logs', 'result_url carries credentials');
  return url.toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkApiKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '') throw new VastApiError('invalid-input', 'An API key is required.');
  if (/\s/.test(key)) throw new VastApiError('invalid-input', 'The API key contains white space; paste it again without spaces or line breaks.');
}

function instanceId(id: number): number {
  return positiveId(id, 'Instance id');
}

function positiveId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new VastApiError('invalid-input', `${what} must be a positive whole number, got ${id}.`);
  return id;
}

function invalidResponse(what: string, detail: string): VastApiError {
  return new VastApiError('invalid-response', `Vast.ai sent an unexpected answer for ${what} (${detail}).`);
}

function asVastError(error: unknown, context: string): VastApiError {
  return isVastApiError(error) ? error : new VastApiError('network', `${context}: ${errorMessage(error)}`, { cause: error });
}

async function fetchText(clock: Clock, url: string, timeoutMs: number, maxBytes: number, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const deadline = new RequestDeadline(clock, timeoutMs, signal);
  try {
    // No redirects: one could lead from https to plain http, or anywhere.
    const response = await fetch(url, { signal: deadline.signal, redirect: 'error' });
    return { status: response.status, text: await readBoundedText(response.body, maxBytes, response.headers.get('content-length')) };
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof BodyTooLargeError) {
      throw new VastApiError('invalid-response', `The instance log is too large to show (${error.message}).`, { endpoint: 'logs' });
    }
    throw new VastApiError('network', `Could not download the instance log: ${errorMessage(error)}.`, { endpoint: 'logs', cause: error });
  } finally {
    deadline.dispose();
  }
}
