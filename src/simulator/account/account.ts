import type { User } from '../../vast/types';
import type { InstanceStore } from '../instances/store';
import { round } from '../offers/pricing';
import type { Random } from '../random/prng';

/**
 * The account behind the keys (`sim.account`). Credit falls as instances accrue cost on the clock;
 * nothing happens when it reaches zero (Vast would stop instances; not simulated).
 */
export class Account {
  private startingCredit: number;
  private readonly id: number;

  constructor(
    private readonly instances: InstanceStore,
    random: Random,
    credit: number,
  ) {
    this.id = random.int(100_000, 999_999);
    this.startingCredit = credit;
  }

  get credit(): number {
    return this.startingCredit - this.instances.totalCost();
  }

  /** Sets the current credit (what has been spent so far stays spent). */
  setCredit(credit: number): void {
    this.startingCredit = credit + this.instances.totalCost();
  }

  user(): User {
    return {
      id: this.id,
      username: `sim-user-${this.id}`,
      email: `sim-user-${this.id}@example.com`,
      fullname: 'Simulated User',
      credit: round(this.credit, 6),
      balance: 0,
      balance_threshold: 0,
      balance_threshold_enabled: false,
      billing_creditonly: false,
      has_billing: true,
      can_pay: true,
      email_verified: true,
      key_id: this.id * 10 + 1,
      ssh_key: null,
    };
  }
}
