import { setMaxListeners } from 'node:events';
import { isVastApiError, VastApiError } from '../api/errors';
import type { OfferQuery } from '../api/offerQuery';
import type { SearchResult } from '../api/searchCache';
import type { CreatedInstance, CreateInstanceOptions } from '../api/vastClient';
import type { Clock } from '../util/clock';
import { sleep } from '../util/sleep';
import type { Instance } from '../vast/types';
import type { InstanceMonitor } from './instanceMonitor';
import { lateCommitWindowMs, lookForLateCommit } from './lateCommit';
import { errorMessage } from '../util/errorMessage';

/** What provisioning needs from the client (`VastClient` has it). */
export interface ProvisioningClient {
  searchOffers(query: OfferQuery, options?: { signal?: AbortSignal; refresh?: boolean }): Promise<SearchResult>;
  createInstance(offerId: number, options: CreateInstanceOptions, signal?: AbortSignal): Promise<CreatedInstance>;
  /** Per attempt: how long after a lost answer a create may still commit (VastClient has it). */
  readonly requestTimeoutMs?: number;
}

export interface ProvisionRequest {
  count: number;
  /** Offers to rent: the best matches of a query (moving on when one is gone), or exact ids (one per slot). */
  offers: { query: OfferQuery } | { offerIds: readonly number[] };
  /** What each instance gets; its `label` is the base of each slot's unique label. */
  instance: CreateInstanceOptions;
  /** Also wait until every created instance runs. */
  waitUntilRunning?: boolean | { timeoutMs?: number };
  signal?: AbortSignal;
  onProgress?: (event: ProvisionProgress) => void;
}

export interface ProvisionProgress {
  slot: number;
  label: string;
  phase: 'creating' | 'created' | 'reconciling' | 'reconciled' | 'resending' | 'offer-gone' | 'failed' | 'running' | 'wait-failed' | 'sweeping';
  message: string;
}

export interface SlotReport {
  slot: number;
  label: string;
  offerId?: number;
  instanceId?: number;
  /** The create's answer was lost; the instance was found by its label. */
  reconciled: boolean;
  /** Create requests sent for this slot. */
  attempts: number;
  error?: string;
  /** Set when waited for: the instance once running. */
  instance?: Instance;
  waitError?: string;
}

export interface ProvisionReport {
  slots: SlotReport[];
  created: number;
  failed: number;
  /** Labels with more than one instance: should never happen; reported, never destroyed automatically. */
  duplicates: Array<{ label: string; instanceIds: number[] }>;
}

export interface ProvisionerDeps {
  client: ProvisioningClient;
  monitor: InstanceMonitor;
  clock: Clock;
  random?: () => number;
  /** Between looks for a lost create (default 5 s). */
  reconcileRecheckMs?: number;
  /**
   * How long after a lost answer to keep looking before concluding the create did not happen and
   * resending (default: the client's request timeout plus two polls, 40 s).
   */
  reconcileWindowMs?: number;
  /** After a lost answer, look for duplicates once more this long after provisioning (default 1 min). */
  finalSweepMs?: number;
  maxAttemptsPerSlot?: number;
}

/**
 * Creates N instances safely. Creates go one after another through the client's create gate (so
 * they are spaced by Vast's create interval, learned or published); each carries a unique label.
 * A create whose answer is lost is reconciled against the instance list (the monitor's one
 * batched call) before anything is resent: never two instances for one slot, none lost.
 */
export async function provisionInstances(deps: ProvisionerDeps, request: ProvisionRequest): Promise<ProvisionReport> {
  const { client, monitor, clock } = deps;
  const random = deps.random ?? Math.random;
  const maxAttempts = deps.maxAttemptsPerSlot ?? 5;
  if (!Number.isInteger(request.count) || request.count < 1 || request.count > 100) {
    throw new VastApiError('invalid-input', `Instance count must be a whole number from 1 to 100, got ${request.count}.`);
  }
  if ('offerIds' in request.offers && request.offers.offerIds.length < request.count) {
    throw new VastApiError('invalid-input', `${request.count} instances need ${request.count} offer ids, got ${request.offers.offerIds.length}.`);
  }
  const offers = 'query' in request.offers ? new OfferPicker(client, request.offers.query, request.count, request.signal) : undefined;
  const labels = uniqueLabels(request.instance.label?.trim() || 'vast', request.count, random);
  const slots: SlotReport[] = labels.map((label, i) => ({ slot: i + 1, label, reconciled: false, attempts: 0 }));
  const recheckMs = deps.reconcileRecheckMs ?? 5000;
  const windowMs = deps.reconcileWindowMs ?? lateCommitWindowMs(client.requestTimeoutMs);
  let lostAnswer = false;
  const progress = (slot: SlotReport, phase: ProvisionProgress['phase'], message: string) =>
    request.onProgress?.({ slot: slot.slot, label: slot.label, phase, message });

  let abortAll: string | undefined;
  for (const slot of slots) {
    if (abortAll) {
      slot.error = abortAll;
      continue;
    }
    let offerId: number | undefined = offers ? undefined : (request.offers as { offerIds: readonly number[] }).offerIds[slot.slot - 1];
    while (slot.instanceId === undefined && !slot.error) {
      if (request.signal?.aborted) {
        slot.error = abortAll = 'Cancelled before this instance was created.';
        break;
      }
      if (offerId === undefined) {
        try {
          offerId = offers ? await offers.next() : undefined;
        } catch (error) {
          // Keep the report of what was already created: it is paid for.
          slot.error = abortAll = `Could not find offers: ${errorMessage(error)}`;
          break;
        }
        if (offerId === undefined) {
          slot.error = 'No matching offer is left to rent.';
          break;
        }
      }
      if (slot.attempts >= maxAttempts) {
        slot.error = `Gave up after ${slot.attempts} create attempts.`;
        break;
      }
      slot.offerId = offerId;
      slot.attempts++;
      progress(slot, 'creating', `Creating ${slot.label} from offer ${offerId}`);
      try {
        const created = await client.createInstance(offerId, { ...request.instance, label: slot.label }, request.signal);
        slot.instanceId = created.instanceId;
        offers?.markUsed(offerId);
        monitor.expectChange();
        progress(slot, 'created', `Created instance ${created.instanceId} (${slot.label})`);
      } catch (error) {
        if (request.signal?.aborted) {
          // The create may still have happened (or commit later): look before reporting.
          lostAnswer = true;
          const found = await lookForLateCommit(monitor, clock, (i) => i.label === slot.label, { since: clock.now(), windowMs, recheckMs }).catch(
            () => undefined,
          );
          if (found) slot.instanceId = found.id;
          else slot.error = abortAll = 'Cancelled before this instance was created.';
          break;
        }
        if (isVastApiError(error, 'outcome-unknown')) {
          lostAnswer = true;
          progress(slot, 'reconciling', `The answer to ${slot.label}'s create was lost; looking for it by label`);
          let found: Instance | undefined;
          try {
            // Only polls that start after the failure count, for as long as the create may still commit.
            found = await lookForLateCommit(monitor, clock, (i) => i.label === slot.label, { since: clock.now(), windowMs, recheckMs, signal: request.signal });
          } catch (reconcileError) {
            slot.error = abortAll = errorMessage(reconcileError);
            break;
          }
          if (found) {
            slot.instanceId = found.id;
            slot.reconciled = true;
            offers?.markUsed(offerId);
            progress(slot, 'reconciled', `Found instance ${found.id} (${slot.label}): it had been created`);
          } else {
            progress(slot, 'resending', `${slot.label} was not created; sending the create again`);
          }
        } else if (isVastApiError(error, 'not-found')) {
          progress(slot, 'offer-gone', `Offer ${offerId} is no longer available`);
          offers?.markGone(offerId);
          if (offers) offerId = undefined;
          else slot.error = `Offer ${offerId} is no longer available.`;
        } else {
          const message = errorMessage(error);
          slot.error = message;
          // The same request would fail the same way for every slot.
          if (isVastApiError(error) && ['auth', 'bad-request', 'invalid-input', 'rate-limited'].includes(error.kind)) abortAll = message;
        }
      }
    }
    if (slot.error) progress(slot, 'failed', `${slot.label}: ${slot.error}`);
  }

  let duplicates = await findDuplicates(monitor, labels).catch(() => []);
  if (lostAnswer && !request.signal?.aborted) {
    // A create resent after a lost answer can still commit late: look once more, a minute on.
    const last = slots[slots.length - 1];
    progress(last, 'sweeping', 'Checking once more, in a minute, that no lost create committed late (no duplicates)');
    try {
      await sleep(clock, deps.finalSweepMs ?? 60_000, request.signal);
      duplicates = await findDuplicates(monitor, labels);
    } catch {
      // Cancelled, or the list could not be read: the first look stands.
    }
  }
  if (request.waitUntilRunning) {
    const timeoutMs = typeof request.waitUntilRunning === 'object' ? request.waitUntilRunning.timeoutMs : undefined;
    await waitForAll(monitor, slots, { timeoutMs, signal: request.signal, onProgress: progress });
  }
  const created = slots.filter((s) => s.instanceId !== undefined).length;
  return { slots, created, failed: slots.length - created, duplicates };
}

/** Hands out the best matching offers in order, each at most once, searching again when they run out. */
class OfferPicker {
  private candidates: number[] = [];
  private readonly excluded = new Set<number>();
  private searches = 0;

  constructor(
    private readonly client: ProvisioningClient,
    private readonly query: OfferQuery,
    private readonly count: number,
    private readonly signal?: AbortSignal,
  ) {}

  async next(): Promise<number | undefined> {
    while (this.candidates.length === 0 && this.searches < 2) {
      // The second search bypasses the cache: the first one's offers were taken or gone.
      const limit = Math.max(this.query.limit ?? 0, this.count * 3);
      const result = await this.client.searchOffers({ ...this.query, limit }, { signal: this.signal, refresh: this.searches > 0 });
      this.searches++;
      this.candidates = result.offers.map((offer) => offer.id).filter((id) => !this.excluded.has(id));
    }
    return this.candidates.shift();
  }

  markUsed(id: number): void {
    this.excluded.add(id);
  }

  markGone(id: number): void {
    this.excluded.add(id);
  }
}

function uniqueLabels(base: string, count: number, random: () => number): string[] {
  const labels = new Set<string>();
  const stem = base.slice(0, 240);
  while (labels.size < count) labels.add(`${stem}-${Math.floor(random() * 36 ** 5).toString(36).padStart(5, '0')}`);
  return [...labels];
}

async function findDuplicates(monitor: InstanceMonitor, labels: string[]): Promise<ProvisionReport['duplicates']> {
  const wanted = new Set(labels);
  const byLabel = new Map<string, number[]>();
  const snapshot = await monitor.refresh();
  for (const instance of snapshot.instances.values()) {
    if (instance.label && wanted.has(instance.label)) byLabel.set(instance.label, [...(byLabel.get(instance.label) ?? []), instance.id]);
  }
  return [...byLabel].filter(([, ids]) => ids.length > 1).map(([label, instanceIds]) => ({ label, instanceIds }));
}

/** How waiting for many instances reports: each status change, and each outcome. */
export interface WaitForAllOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  onStatus?: (slot: SlotReport, status: string) => void;
  onProgress?: (slot: SlotReport, phase: 'running' | 'wait-failed', message: string) => void;
}

/**
 * Waits for every created slot at once (the monitor's one shared poll, never one per instance),
 * recording each running instance (`slot.instance`) or why it never ran (`slot.waitError`).
 */
export async function waitForAll(monitor: InstanceMonitor, slots: readonly SlotReport[], options: WaitForAllOptions = {}): Promise<void> {
  // One listener on the caller's signal, however many waits (Node warns past ten per signal).
  const waits = new AbortController();
  setMaxListeners(0, waits.signal);
  const forward = () => waits.abort(options.signal!.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  try {
    await Promise.all(
      slots
        .filter((slot) => slot.instanceId !== undefined)
        .map(async (slot) => {
          try {
            slot.instance = await monitor.waitUntilRunning(slot.instanceId!, {
              timeoutMs: options.timeoutMs,
              signal: waits.signal,
              onProgress: options.onStatus && ((update) => options.onStatus!(slot, update.status)),
            });
            options.onProgress?.(slot, 'running', `${slot.label} (${slot.instanceId}) is running`);
          } catch (error) {
            slot.waitError = errorMessage(error);
            options.onProgress?.(slot, 'wait-failed', `${slot.label} (${slot.instanceId}): ${slot.waitError}`);
          }
        }),
    );
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}
