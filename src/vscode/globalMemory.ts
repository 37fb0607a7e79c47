import type * as vscode from 'vscode';
import type { FlowMemory } from '../ui/flowContext';

const RECENT_IMAGES = 'vastai.recentImages';
const LAST_OFFER_FILTERS = 'vastai.lastOfferFilters';
const KEPT_IDLE = 'vastai.keptIdleInstances';

/** Recent choices, kept in globalState (never anything secret). */
export class GlobalMemory implements FlowMemory {
  constructor(private readonly state: vscode.Memento) {}

  recentImages(): string[] {
    return this.state.get<string[]>(RECENT_IMAGES, []);
  }

  async rememberImage(image: string): Promise<void> {
    const images = [image, ...this.recentImages().filter((i) => i !== image)].slice(0, 8);
    await this.state.update(RECENT_IMAGES, images);
  }

  lastOfferFilters(): unknown {
    return this.state.get<unknown>(LAST_OFFER_FILTERS);
  }

  async rememberOfferFilters(filters: object): Promise<void> {
    await this.state.update(LAST_OFFER_FILTERS, filters);
  }

  keptIdle(): number[] {
    const kept = this.state.get<unknown>(KEPT_IDLE, []);
    return Array.isArray(kept) ? kept.filter((id): id is number => typeof id === 'number') : [];
  }

  async keepIdle(id: number): Promise<void> {
    // The most recent 200 are plenty: ids of destroyed instances never come back.
    await this.state.update(KEPT_IDLE, [id, ...this.keptIdle().filter((kept) => kept !== id)].slice(0, 200));
  }
}
