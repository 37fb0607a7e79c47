import type { Instance, InstanceStatus, Offer } from '../../vast/types';
import type { Clock } from '../../util/clock';
import type { OfferCatalogue } from '../offers/catalogue';
import { generateOffer } from '../offers/generateOffer';
import { Random } from '../random/prng';
import { costUntil } from './billing';
import { toWireInstance } from './instanceView';
import {
  bootPlan,
  DEFAULT_LIFECYCLE,
  draw,
  rebootPlan,
  restartPlan,
  seedPlan,
  stopPlan,
  type BootOutcome,
  type LifecycleSettings,
  type PlanContext,
} from './lifecycle';
import { createRecord, type InstanceRecord } from './record';
import { defaultImage, mixedSeeds, type InstanceSeed } from './seeds';
import { defaultMessage } from './statusMessages';
import { replan, statusAt, type StatusEvent } from './timeline';

/** What a validated create request asks for. */
export interface LaunchRequest {
  image: string;
  diskGb: number;
  label: string | null;
  onstart: string | null;
  runtype: string;
  args: string[];
  env: Record<string, string>;
  bidPrice: number | null;
  target: 'running' | 'stopped';
}

/** One step of a scripted timeline: `status` from `afterMs` after now. */
export interface ScheduleStep {
  afterMs: number;
  status: InstanceStatus | null;
  msg?: string | null;
}

/**
 * The account's instances (`sim.instances`). Status is computed from each instance's timeline at
 * read time, so everything follows the injected clock without timers.
 */
export class InstanceStore {
  private readonly records = new Map<number, InstanceRecord>();
  private settings: LifecycleSettings;
  private readonly forced: BootOutcome[] = [];
  private readonly ids: Random;
  private nextId: number;
  private spentOnDestroyed = 0;
  /** The account's keys at this moment: a new instance accepts them (set by the simulator). */
  keysAtCreation: () => Array<{ id: number; public_key: string }> = () => [];
  /** Destroys still to answer "success" while leaving the instance listed (and billed). */
  private lingeringDestroys = 0;

  constructor(
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly offers: OfferCatalogue,
    lifecycle: Partial<LifecycleSettings> = {},
  ) {
    this.settings = { ...DEFAULT_LIFECYCLE, ...lifecycle };
    this.ids = Random.for(seed, 'instance-ids');
    this.nextId = 30_000_000 + this.ids.int(0, 999_999);
  }

  get lifecycle(): Readonly<LifecycleSettings> {
    return this.settings;
  }

  /** Changes durations and the failure rate for plans made from now on. */
  setLifecycle(patch: Partial<LifecycleSettings>): void {
    this.settings = { ...this.settings, ...patch };
  }

  /** The next `count` boots (creates, or starts of stopped instances) end this way, whatever the failure rate. */
  forceOutcome(outcome: BootOutcome, count = 1): void {
    for (let i = 0; i < count; i++) this.forced.push(outcome);
  }

  get size(): number {
    return this.records.size;
  }

  has(id: number): boolean {
    return this.records.has(id);
  }

  /** The wire object as Vast would return it now. */
  get(id: number): Instance | undefined {
    const record = this.records.get(id);
    return record && toWireInstance(record, this.clock.now());
  }

  /** Every instance now, id ascending. */
  list(): Instance[] {
    const now = this.clock.now();
    return [...this.records.values()].sort((a, b) => a.id - b.id).map((record) => toWireInstance(record, now));
  }

  /** The planned timeline (past and scheduled events), for assertions and debugging. */
  timeline(id: number): StatusEvent[] | undefined {
    return this.records.get(id)?.timeline.map((event) => ({ ...event }));
  }

  /** Adds an instance as a scenario describes it (default: a running one on a generated machine). */
  add(seed: InstanceSeed = {}): Instance {
    const record = this.fromSeed(seed);
    return toWireInstance(record, this.clock.now());
  }

  /** Adds `count` instances in mixed states (or these seeds). Scale tests use 500. */
  addMany(countOrSeeds: number | InstanceSeed[]): Instance[] {
    const seeds =
      typeof countOrSeeds === 'number' ? mixedSeeds(Random.for(this.seed, `mix ${this.nextId}`), countOrSeeds) : countOrSeeds;
    return seeds.map((seed) => this.add(seed));
  }

  /** Internal (create route): rents an available offer. The caller has checked availability. */
  launch(offer: Offer, request: LaunchRequest): InstanceRecord {
    const now = this.clock.now();
    const id = this.allocateId();
    const random = Random.for(this.seed, `instance ${id}`);
    const record = createRecord({ id, random, hardware: offer, offerId: offer.id, createdAt: now, startDate: now, request });
    record.timeline = bootPlan(this.context(record), now, this.nextOutcome(record), { target: request.target });
    record.intended = request.target;
    record.sshKeys = this.installedKeys();
    this.offers.setRented(offer.id, true);
    this.records.set(id, record);
    return record;
  }

  /** Internal (logs route): the stored record. */
  recordOf(id: number): InstanceRecord | undefined {
    return this.records.get(id);
  }

  start(id: number): boolean {
    return this.mutate(id, (record, now) => {
      const status = statusAt(record.timeline, now).status;
      const alreadyUp = record.intended === 'running' && status !== 'stopped' && status !== 'exited';
      record.intended = 'running';
      if (alreadyUp) return;
      const plan = restartPlan(this.context(record), now, this.nextOutcome(record));
      record.timeline = replan(record.timeline, now, plan);
    });
  }

  stop(id: number): boolean {
    return this.mutate(id, (record, now) => {
      record.intended = 'stopped';
      if (statusAt(record.timeline, now).status !== 'stopped') {
        record.timeline = replan(record.timeline, now, stopPlan(this.context(record), now));
      }
    });
  }

  reboot(id: number): boolean {
    return this.mutate(id, (record, now) => {
      record.intended = 'running';
      record.timeline = replan(record.timeline, now, rebootPlan(this.context(record), now));
    });
  }

  setLabel(id: number, label: string | null): boolean {
    return this.mutate(id, (record) => {
      record.label = label;
    });
  }

  /**
   * The next `count` destroys answer success but leave the instance listed, running and billed:
   * the known failure where a destroy "succeeds" and the instance keeps billing.
   */
  lingerNextDestroys(count = 1): void {
    this.lingeringDestroys += count;
  }

  /** Removes the instance, keeps what it cost, and puts its offer back on the market. */
  destroy(id: number): boolean {
    const record = this.records.get(id);
    if (!record) return false;
    if (this.lingeringDestroys > 0) {
      this.lingeringDestroys--;
      return true;
    }
    this.spentOnDestroyed += costUntil(record, this.clock.now());
    this.records.delete(id);
    if (record.offerId !== null && this.offers.get(record.offerId)) this.offers.setRented(record.offerId, false);
    return true;
  }

  /**
   * An interruptible instance loses its GPU to a higher bid: `stopped` now, while it still wants to
   * run (Vast stops outbid instances; it does not destroy them).
   */
  outbid(id: number): void {
    const record = this.mustGet(id);
    const now = this.clock.now();
    record.timeline = replan(record.timeline, now, [
      { at: now, status: 'stopped', msg: 'outbid: a higher bid took the GPU; the instance restarts when its bid wins again' },
    ]);
    record.intended = 'running';
  }

  /** GPU utilisation (%) the instance reports while live from now on; undefined goes back to drawn values. */
  setGpuUtil(id: number, percent: number | null | undefined): void {
    this.mustGet(id).gpuUtil = percent;
  }

  /** The instance whose own API key (CONTAINER_API_KEY) this is, if any. */
  findByApiKey(key: string): number | undefined {
    for (const record of this.records.values()) if (record.instanceApiKey === key) return record.id;
    return undefined;
  }

  /** Puts the instance in `status` now (e.g. 'offline', 'unknown') and cancels scheduled changes. */
  setStatus(id: number, status: InstanceStatus | null, msg?: string | null): void {
    this.schedule(id, [{ afterMs: 0, status, msg }]);
  }

  /** Replaces whatever was scheduled with these steps (times relative to now). */
  schedule(id: number, steps: ScheduleStep[]): void {
    const record = this.mustGet(id);
    const now = this.clock.now();
    const events = [...steps]
      .sort((a, b) => a.afterMs - b.afterMs)
      .map((step) => ({
        at: now + step.afterMs,
        status: step.status,
        msg: step.msg !== undefined ? step.msg : defaultMessage(step.status, record.image, record.runtype, record.random),
      }));
    record.timeline = replan(record.timeline, now, events);
    const last = events[events.length - 1]?.status;
    if (last === 'stopped') record.intended = 'stopped';
    if (last === 'running') record.intended = 'running';
  }

  /** Internal (logs route): how long a log upload takes, drawn from the instance's stream. */
  logsReadyDelay(id: number): number {
    return draw(this.mustGet(id).random, this.settings.logsReadyMs);
  }

  /** Dollars spent so far by every instance, destroyed ones included. */
  totalCost(): number {
    const now = this.clock.now();
    let total = this.spentOnDestroyed;
    for (const record of this.records.values()) total += costUntil(record, now);
    return total;
  }

  private fromSeed(seed: InstanceSeed): InstanceRecord {
    const now = this.clock.now();
    const id = seed.id ?? this.allocateId();
    if (this.records.has(id)) throw new RangeError(`instance ${id} already exists`);
    if (id >= this.nextId) this.nextId = id + 1;
    const random = Random.for(this.seed, `instance ${id}`);
    const hardware = this.seedHardware(seed, random, now);
    const status = seed.status === undefined ? 'running' : seed.status;
    const fresh = status === null || status === 'created';
    const startDate = now - (seed.ageMs ?? (fresh ? 0 : random.int(600_000, 48 * 3_600_000)));
    const record = createRecord({
      id,
      random,
      hardware,
      offerId: seed.offerId ?? null,
      createdAt: now,
      startDate,
      request: {
        image: seed.image ?? defaultImage(random),
        diskGb: seed.diskGb ?? 32,
        label: seed.label ?? null,
        runtype: seed.runtype,
      },
    });
    if (seed.bidPrice !== undefined) record.bidPrice = seed.bidPrice;
    if (seed.price !== undefined) record.gpuPerHour = Math.max(0, seed.price - record.storagePerHour);
    if (seed.gpuUtil !== undefined) record.gpuUtil = seed.gpuUtil;
    const outcome = seed.outcome ?? this.drawOutcome(record);
    record.timeline = seedPlan(this.context(record), now, status, outcome, seed.nextInMs);
    if (seed.statusMsg !== undefined) record.timeline[0].msg = seed.statusMsg;
    record.intended = status === 'stopped' ? 'stopped' : 'running';
    record.sshKeys = this.installedKeys();
    this.records.set(id, record);
    return record;
  }

  private seedHardware(seed: InstanceSeed, random: Random, now: number): Offer {
    if (seed.offerId !== undefined) {
      const offer = this.offers.get(seed.offerId);
      if (!offer) throw new RangeError(`no offer ${seed.offerId}`);
      this.offers.setRented(offer.id, true);
      return offer;
    }
    // A machine outside the catalogue: the instance predates this market snapshot.
    const identity = {
      id: random.int(13_000_000, 13_999_999),
      machineId: random.int(10_000, 19_999),
      hostId: random.int(100_000, 999_999),
    };
    return generateOffer(random, identity, now, { gpuName: seed.gpu, numGpus: seed.numGpus });
  }

  private installedKeys(): InstanceRecord['sshKeys'] {
    const at = new Date(this.clock.now()).toISOString();
    return this.keysAtCreation().map((key) => ({ id: key.id, public_key: key.public_key, source: 'account' as const, added_at: at }));
  }

  private context(record: InstanceRecord): PlanContext {
    return { random: record.random, settings: this.settings, image: record.image, runtype: record.runtype };
  }

  private nextOutcome(record: InstanceRecord): BootOutcome {
    return this.forced.shift() ?? this.drawOutcome(record);
  }

  private drawOutcome(record: InstanceRecord): BootOutcome {
    return record.random.chance(this.settings.failureRate) ? 'exited' : 'running';
  }

  private allocateId(): number {
    const id = this.nextId;
    this.nextId += this.ids.int(1, 40);
    return id;
  }

  private mutate(id: number, change: (record: InstanceRecord, now: number) => void): boolean {
    const record = this.records.get(id);
    if (!record) return false;
    change(record, this.clock.now());
    return true;
  }

  private mustGet(id: number): InstanceRecord {
    const record = this.records.get(id);
    if (!record) throw new RangeError(`no instance ${id}`);
    return record;
  }
}
