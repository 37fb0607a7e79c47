import { DEFAULT_TREE_OPTIONS } from './instanceTreeModel';
import { CLIENT_DEFAULTS } from '../api/clientDefaults';
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
  /** A public key file to use for SSH instead of ~/.ssh/id_{ed25519,ecdsa,rsa}.pub ('' = look for those). */
  sshKeyPath: string;
  /** Warn when the credit lasts fewer hours than this at the current $/h (0 = never). */
  lowCreditHours: number;
  /** A GPU under this utilisation (%) counts as idle. */
  idleGpuPercent: number;
  /** Minutes of idle GPU before an instance is marked idle and you are told. */
  idleMinutes: number;
  /** Share each key's rate limits and instance poll with the other VS Code windows and scripts on this machine. */
  shareBudget: boolean;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  apiUrl: CLIENT_DEFAULTS.apiUrl,
  refreshIntervalSeconds: CLIENT_DEFAULTS.refreshIntervalSeconds,
  searchCacheSeconds: CLIENT_DEFAULTS.searchCacheSeconds,
  requestIntervalsMs: {},
  maxRetries: CLIENT_DEFAULTS.maxRetries,
  defaultImage: 'pytorch/pytorch:latest',
  defaultDiskGb: 20,
  useSimulator: false,
  sshKeyPath: '',
  lowCreditHours: 6,
  idleGpuPercent: 5,
  idleMinutes: 30,
  shareBudget: true,
};

/** The numeric settings' bounds (package.json's minimum/maximum say the same; a unit test checks). */
export const SETTING_LIMITS = {
  refreshInterval: { min: 10, max: 3600 },
  searchCacheSeconds: { min: 0, max: 3600 },
  maxRetries: { min: 0, max: 10 },
  defaultDiskGb: { min: 8, max: 2048 },
  lowCreditHours: { min: 0, max: 720 },
  idleGpuPercent: { min: 1, max: 100 },
  idleMinutes: { min: 1, max: 1440 },
} as const;

/** Each `vastai.*` setting's default, by its package.json name. */
export const SETTING_DEFAULTS: Record<string, unknown> = {
  apiUrl: DEFAULT_SETTINGS.apiUrl,
  refreshInterval: DEFAULT_SETTINGS.refreshIntervalSeconds,
  searchCacheSeconds: DEFAULT_SETTINGS.searchCacheSeconds,
  requestIntervals: DEFAULT_SETTINGS.requestIntervalsMs,
  maxRetries: DEFAULT_SETTINGS.maxRetries,
  defaultImage: DEFAULT_SETTINGS.defaultImage,
  defaultDiskGb: DEFAULT_SETTINGS.defaultDiskGb,
  useSimulator: DEFAULT_SETTINGS.useSimulator,
  'instances.groupByState': DEFAULT_TREE_OPTIONS.groupByState,
  'instances.sortBy': DEFAULT_TREE_OPTIONS.sortBy,
  sshKeyPath: DEFAULT_SETTINGS.sshKeyPath,
  lowCreditHours: DEFAULT_SETTINGS.lowCreditHours,
  idleGpuPercent: DEFAULT_SETTINGS.idleGpuPercent,
  idleMinutes: DEFAULT_SETTINGS.idleMinutes,
  shareBudget: DEFAULT_SETTINGS.shareBudget,
};
