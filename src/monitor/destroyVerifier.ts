/** Polls after a destroy that may still list the instance before it counts as pending. */
export const PENDING_AFTER_POLLS = 3;

/**
 * Checks that a destroy really happened: the polls after it must stop listing the instance. A
 * destroy that answered success while the instance stays listed (and billed) is a known failure;
 * after a few polls it is marked "destroy pending" and reported once.
 */
export class DestroyVerifier {
  private readonly watched = new Map<number, { at: number; polls: number; pending: boolean }>();

  /** The destroy request for `id` succeeded at `at`. */
  destroyed(id: number, at: number): void {
    this.watched.set(id, { at, polls: 0, pending: false });
  }

  /** Feeds one poll finished at `polledAt`; returns the ids that just became pending. */
  observe(listedIds: Iterable<number>, polledAt: number): number[] {
    const listed = new Set(listedIds);
    const newlyPending: number[] = [];
    for (const [id, entry] of this.watched) {
      if (polledAt <= entry.at) continue; // a poll that may have started before the destroy
      if (!listed.has(id)) {
        this.watched.delete(id);
        continue;
      }
      entry.polls++;
      if (!entry.pending && entry.polls >= PENDING_AFTER_POLLS) {
        entry.pending = true;
        newlyPending.push(id);
      }
    }
    return newlyPending;
  }

  isPending(id: number): boolean {
    return this.watched.get(id)?.pending ?? false;
  }

  /** Still being verified (listed since the destroy, not yet pending). */
  isVerifying(id: number): boolean {
    const entry = this.watched.get(id);
    return entry !== undefined && !entry.pending;
  }
}
