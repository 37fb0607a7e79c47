import type { EndpointClass } from '../vast/endpoints';

/** The extension's settings (`vastai.*`), as the core and the flows use them. */
export interface ExtensionSettings {
  /** Vast.ai API host; https only, except loopback. */
  apiUrl: string;
  /** Seconds between instance list polls while the view is visible. */
  refreshIntervalSeconds: number;
  /** Seconds identical searches are answered from memory. */
  searchCacheSeconds: number;
  /** Overrides of the per-endpoint minimum intervals, ms. */
  requestIntervalsMs: Partial<Record<EndpointClass, number>>;
  maxRetries: number;
  /** Docker image offered first when creating an instance. */
  defaultImage: string;
  defaultDiskGb: number;
  /** Use the built-in simulator instead of Vast.ai. */
  useSimulator: boolean;
  /** Share each key's rate limits and instance poll with the other VS Code windows and scripts on this machine. */
  shareBudget: boolean;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  apiUrl: 'https://console.vast.ai',
  refreshIntervalSeconds: 30,
  searchCacheSeconds: 90,
  requestIntervalsMs: {},
  maxRetries: 6,
  defaultImage: 'pytorch/pytorch:latest',
  defaultDiskGb: 20,
  useSimulator: false,
  shareBudget: true,
};
