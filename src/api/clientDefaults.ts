/**
 * What the client and the monitor use when not told otherwise. The extension's settings default to
 * the same values (src/ui/settings.ts builds on these; a unit test holds package.json to them).
 */
export const CLIENT_DEFAULTS = {
  apiUrl: 'https://console.vast.ai',
  maxRetries: 6,
  searchCacheSeconds: 90,
  refreshIntervalSeconds: 30,
} as const;
