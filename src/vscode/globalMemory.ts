import type * as vscode from 'vscode';
import type { FlowMemory } from '../ui/flowContext';

const RECENT_IMAGES = 'vastai.recentImages';
const LAST_OFFER_FILTERS = 'vastai.lastOfferFilters';

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
}
