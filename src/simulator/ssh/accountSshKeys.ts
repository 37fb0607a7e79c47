import type { Clock } from '../../util/clock';
import { parsePublicKey, sameKey } from '../../vast/sshPublicKey';
import { ApiError } from '../server/apiError';

/** One key as `GET /api/v0/ssh/` lists it. */
export interface SshKeyRecord {
  id: number;
  user_id: number;
  public_key: string;
  created_at: string;
}

/**
 * The account's SSH keys (`sim.sshKeys`). Instances created later get a copy of the list; removing
 * a key here does not take it off instances that already have it (as on Vast).
 */
export class AccountSshKeys {
  private readonly keys = new Map<number, SshKeyRecord>();
  private nextId = 41_000;

  constructor(
    private readonly clock: Clock,
    private readonly userId: () => number,
  ) {}

  list(): SshKeyRecord[] {
    return [...this.keys.values()].map((key) => ({ ...key }));
  }

  /** Stores a public key line; 400 for anything else, the existing record for a duplicate. */
  add(text: unknown): SshKeyRecord {
    const parsed = parsePublicKey(text);
    if (!parsed.ok) throw new ApiError(400, 'invalid_args', `ssh_key: ${parsed.reason}`);
    const existing = [...this.keys.values()].find((key) => {
      const other = parsePublicKey(key.public_key);
      return other.ok && sameKey(other.key, parsed.key);
    });
    if (existing) return { ...existing };
    const record: SshKeyRecord = {
      id: this.nextId++,
      user_id: this.userId(),
      public_key: parsed.key.line,
      created_at: new Date(this.clock.now()).toISOString(),
    };
    this.keys.set(record.id, record);
    return { ...record };
  }

  remove(id: number): boolean {
    return this.keys.delete(id);
  }
}
