import type { Offer } from '../../vast/types';
import type { Clock } from '../../util/clock';
import { Random } from '../random/prng';
import { generateOffer, type OfferShape } from './generateOffer';
import { parseSearchBody, runSearch } from './offerSearch';

/**
 * The offers on the market (`sim.offers`). Generated once from the seed; ids are stable per seed and
 * ascend with gaps like Vast's. Creating an instance marks its offer rented; destroying frees it.
 */
export class OfferCatalogue {
  private readonly offers = new Map<number, Offer>();
  private readonly random: Random;
  private nextId: number;
  private nextMachineId: number;
  private hostId = 0;
  private machinesLeftOnHost = 0;

  constructor(
    private readonly clock: Clock,
    seed: number,
    count: number,
  ) {
    this.random = Random.for(seed, 'offers');
    this.nextId = 14_000_000 + this.random.int(0, 999_999);
    this.nextMachineId = 20_000 + this.random.int(0, 9_999);
    for (let i = 0; i < count; i++) this.add();
  }

  get size(): number {
    return this.offers.size;
  }

  /** Every offer as stored (on-demand prices with the default storage), id ascending. */
  all(): Offer[] {
    return [...this.offers.values()].map((offer) => ({ ...offer }));
  }

  get(id: number): Offer | undefined {
    const offer = this.offers.get(id);
    return offer && { ...offer };
  }

  /** Whether a create on this offer would succeed. */
  isAvailable(id: number): boolean {
    const offer = this.offers.get(id);
    return !!offer && offer.rentable && !offer.rented;
  }

  /**
   * Adds an offer for a scenario ("one cheap unrented 4090 in Finland"): a generated machine of that
   * GPU/count, then `overrides` on top. Returns it with its new id.
   */
  add(overrides: Partial<Offer> & OfferShape = {}): Offer {
    const { gpuName, numGpus, ...fields } = overrides;
    const id = this.nextId;
    this.nextId += this.random.int(1, 9000);
    const identity = { id, machineId: this.nextMachineId++, hostId: this.nextHost() };
    const offer = generateOffer(this.random, identity, this.clock.now(), {
      gpuName: gpuName ?? fields.gpu_name,
      numGpus: numGpus ?? fields.num_gpus,
    });
    const stored = { ...offer, ...fields, id, ask_contract_id: id };
    this.offers.set(id, stored);
    return { ...stored };
  }

  update(id: number, patch: Partial<Offer>): Offer | undefined {
    const offer = this.offers.get(id);
    if (!offer) return undefined;
    Object.assign(offer, patch, { id, ask_contract_id: id });
    return { ...offer };
  }

  setRented(id: number, rented: boolean): void {
    this.update(id, { rented });
  }

  remove(id: number): boolean {
    return this.offers.delete(id);
  }

  /** Runs a `POST /bundles/` body; throws ApiError(400) on a body Vast would refuse. */
  search(body: unknown): Offer[] {
    return runSearch([...this.offers.values()], parseSearchBody(body), this.clock.now());
  }

  /** Hosts own several machines, as on Vast. */
  private nextHost(): number {
    if (this.machinesLeftOnHost <= 0) {
      this.hostId = 100_000 + this.random.int(0, 899_999);
      this.machinesLeftOnHost = this.random.int(1, 5);
    }
    this.machinesLeftOnHost--;
    return this.hostId;
  }
}
