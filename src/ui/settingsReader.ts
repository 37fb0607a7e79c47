import { ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { DEFAULT_SETTINGS, SETTING_LIMITS, type ExtensionSettings } from './settings';

/** What VS Code's `WorkspaceConfiguration.inspect` returns for one setting (the part used here). */
export interface SettingInspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export interface SettingsSource {
  inspect<T>(key: string): SettingInspection<T> | undefined;
}

/**
 * Reads `vastai.*` from the user's own settings only. A repository's `.vscode/settings.json` must
 * not choose where the API key goes (`apiUrl`), how hard the API is hit (`requestIntervals` 0,
 * `maxRetries`, `refreshInterval`, `searchCacheSeconds`) or what gets rented and run
 * (`defaultImage`, `defaultDiskGb`). package.json scopes them "application" so VS Code ignores
 * workspace values; reading `globalValue` here holds even where a host does not.
 */
export function readSettingsFrom(source: SettingsSource): ExtensionSettings {
  const user = <T>(key: string): T | undefined => {
    const inspection = source.inspect<T>(key);
    return inspection?.globalValue ?? inspection?.defaultValue;
  };
  const number = (key: keyof typeof SETTING_LIMITS, fallback: number) => {
    const value = user<unknown>(key);
    const { min, max } = SETTING_LIMITS[key];
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  };
  const text = (key: string, fallback: string) => {
    const value = user<unknown>(key);
    return (typeof value === 'string' && value.trim()) || fallback;
  };
  const intervals: Partial<Record<EndpointClass, number>> = {};
  const configured = user<unknown>('requestIntervals');
  if (typeof configured === 'object' && configured !== null) {
    for (const endpoint of ENDPOINT_CLASSES) {
      const ms = (configured as Record<string, unknown>)[endpoint];
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) intervals[endpoint] = ms;
    }
  }
  const simulator = user<unknown>('useSimulator');
  const share = user<unknown>('shareBudget');
  return {
    apiUrl: text('apiUrl', DEFAULT_SETTINGS.apiUrl),
    refreshIntervalSeconds: number('refreshInterval', DEFAULT_SETTINGS.refreshIntervalSeconds),
    searchCacheSeconds: number('searchCacheSeconds', DEFAULT_SETTINGS.searchCacheSeconds),
    requestIntervalsMs: intervals,
    maxRetries: number('maxRetries', DEFAULT_SETTINGS.maxRetries),
    defaultImage: text('defaultImage', DEFAULT_SETTINGS.defaultImage),
    defaultDiskGb: number('defaultDiskGb', DEFAULT_SETTINGS.defaultDiskGb),
    useSimulator: typeof simulator === 'boolean' ? simulator : DEFAULT_SETTINGS.useSimulator,
    sshKeyPath: text('sshKeyPath', DEFAULT_SETTINGS.sshKeyPath),
    lowCreditHours: number('lowCreditHours', DEFAULT_SETTINGS.lowCreditHours),
    idleGpuPercent: number('idleGpuPercent', DEFAULT_SETTINGS.idleGpuPercent),
    idleMinutes: number('idleMinutes', DEFAULT_SETTINGS.idleMinutes),
    shareBudget: typeof share === 'boolean' ? share : DEFAULT_SETTINGS.shareBudget,
  };
}

/** Whether `apiUrl` is Vast.ai's own API host (the only one the Vast CLI's key is offered for). */
export function isDefaultApiHost(apiUrl: string): boolean {
  try {
    return new URL(apiUrl).origin === new URL(DEFAULT_SETTINGS.apiUrl).origin;
  } catch {
    return false;
  }
}

/** "console.vast.ai", or the configured origin: for prompts that send or store a key. */
export function apiHostLabel(apiUrl: string): string {
  try {
    return new URL(apiUrl).host || apiUrl;
  } catch {
    return apiUrl;
  }
}
