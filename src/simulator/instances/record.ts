import type { Offer } from '../../vast/types';
import { storagePerHour } from '../offers/pricing';
import type { Random } from '../random/prng';
import type { StatusEvent } from './timeline';

/** What the CLI asks for when no runtype is given: direct SSH with the proxy as fallback. */
const DEFAULT_RUNTYPE = 'ssh_direc ssh_proxy';

/** A key an instance accepts, and how it got there. */
export interface InstanceSshKey {
  id: number;
  public_key: string;
  /** 'account': on the account when the instance was created; 'attached': attached to it later. */
  source: 'account' | 'attached';
  added_at: string;
}

/** What the simulator stores per instance; the wire object is derived from it at read time. */
export interface InstanceRecord {
  id: number;
  /** Clock ms the simulator started tracking (and billing) it. */
  createdAt: number;
  /** Clock ms reported as `start_date` (a seeded instance may predate the simulator). */
  startDate: number;
  /** The catalogue offer it was rented from, if any. */
  offerId: number | null;
  /** The machine it runs on, as it was offered. */
  hardware: Offer;
  label: string | null;
  image: string;
  runtype: string;
  onstart: string | null;
  args: string[];
  env: Record<string, string>;
  diskGb: number;
  /** Interruptible bid in $/h, when created with `price`. */
  bidPrice: number | null;
  /** $/h billed while running (the offer's `dph_base`, or the bid). */
  gpuPerHour: number;
  /** $/h billed from creation to destroy. */
  storagePerHour: number;
  intended: 'running' | 'stopped';
  timeline: StatusEvent[];
  sshHost: string;
  sshPort: number;
  /** First host port of the machine's direct range, when it has one. */
  directPortStart: number | null;
  jupyterToken: string;
  instanceApiKey: string;
  /** Public keys the instance accepts: the account's at creation, plus those attached since. */
  sshKeys: InstanceSshKey[];
  /** GPU utilisation (%) to report while live instead of the drawn one; null reports none. */
  gpuUtil?: number | null;
  /** This instance's own stream: its durations do not depend on what other instances did. */
  random: Random;
}

export interface NewRecord {
  id: number;
  random: Random;
  hardware: Offer;
  offerId: number | null;
  createdAt: number;
  startDate: number;
  request: {
    image: string;
    diskGb: number;
    label?: string | null;
    runtype?: string;
    onstart?: string | null;
    args?: string[];
    env?: Record<string, string>;
    bidPrice?: number | null;
  };
}

/** A record with its connection details drawn from its own stream; the caller plans its timeline. */
export function createRecord({ id, random, hardware, offerId, createdAt, startDate, request }: NewRecord): InstanceRecord {
  return {
    id,
    createdAt,
    startDate,
    offerId,
    hardware: { ...hardware },
    label: request.label ?? null,
    image: request.image,
    runtype: request.runtype ?? DEFAULT_RUNTYPE,
    onstart: request.onstart ?? null,
    args: request.args ?? [],
    env: request.env ?? {},
    diskGb: request.diskGb,
    bidPrice: request.bidPrice ?? null,
    gpuPerHour: request.bidPrice ?? hardware.dph_base,
    storagePerHour: storagePerHour(hardware.storage_cost, request.diskGb),
    intended: 'running',
    timeline: [],
    sshHost: `ssh${random.int(1, 9)}.vast.ai`,
    sshPort: random.int(10_000, 39_999),
    directPortStart: hardware.direct_port_count > 0 ? random.int(20_000, 40_000) : null,
    jupyterToken: random.hex(64),
    instanceApiKey: random.hex(64),
    sshKeys: [],
    random,
  };
}
