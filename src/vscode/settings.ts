import * as vscode from 'vscode';
import { ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { DEFAULT_SETTINGS, SETTING_LIMITS, type ExtensionSettings } from '../ui/settings';

/** Reads `vastai.*`, falling back to the defaults for anything missing or malformed. */
export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration('vastai');
  const number = (key: keyof typeof SETTING_LIMITS, fallback: number) => {
    const value = config.get<number>(key);
    const { min, max } = SETTING_LIMITS[key];
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  };
  const intervals: Partial<Record<EndpointClass, number>> = {};
  const configured = config.get<Record<string, unknown>>('requestIntervals') ?? {};
  for (const endpoint of ENDPOINT_CLASSES) {
    const ms = configured[endpoint];
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) intervals[endpoint] = ms;
  }
  return {
    apiUrl: config.get<string>('apiUrl')?.trim() || DEFAULT_SETTINGS.apiUrl,
    refreshIntervalSeconds: number('refreshInterval', DEFAULT_SETTINGS.refreshIntervalSeconds),
    searchCacheSeconds: number('searchCacheSeconds', DEFAULT_SETTINGS.searchCacheSeconds),
    requestIntervalsMs: intervals,
    maxRetries: number('maxRetries', DEFAULT_SETTINGS.maxRetries),
    defaultImage: config.get<string>('defaultImage')?.trim() || DEFAULT_SETTINGS.defaultImage,
    defaultDiskGb: number('defaultDiskGb', DEFAULT_SETTINGS.defaultDiskGb),
    useSimulator: config.get<boolean>('useSimulator') ?? DEFAULT_SETTINGS.useSimulator,
    sshKeyPath: config.get<string>('sshKeyPath')?.trim() ?? DEFAULT_SETTINGS.sshKeyPath,
    lowCreditHours: number('lowCreditHours', DEFAULT_SETTINGS.lowCreditHours),
    idleGpuPercent: number('idleGpuPercent', DEFAULT_SETTINGS.idleGpuPercent),
    idleMinutes: number('idleMinutes', DEFAULT_SETTINGS.idleMinutes),
  };
}
