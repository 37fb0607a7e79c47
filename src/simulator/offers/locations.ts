/** Where hosts are: `geolocation` reads "Region, CC"; search filters on the country code. */
export const LOCATIONS: ReadonlyArray<readonly [region: string, country: string, weight: number]> = [
  ['California', 'US', 8],
  ['Texas', 'US', 6],
  ['Virginia', 'US', 4],
  ['Oregon', 'US', 3],
  ['New York', 'US', 3],
  ['Quebec', 'CA', 4],
  ['Ontario', 'CA', 2],
  ['Hesse', 'DE', 3],
  ['Bavaria', 'DE', 2],
  ['Finland', 'FI', 3],
  ['Sweden', 'SE', 3],
  ['Norway', 'NO', 2],
  ['Netherlands', 'NL', 3],
  ['France', 'FR', 2],
  ['Poland', 'PL', 2],
  ['Czechia', 'CZ', 2],
  ['Spain', 'ES', 1],
  ['England', 'GB', 3],
  ['Romania', 'RO', 1],
  ['Japan', 'JP', 2],
  ['South Korea', 'KR', 1],
  ['Taiwan', 'TW', 2],
  ['Singapore', 'SG', 1],
  ['Australia', 'AU', 1],
  ['Brazil', 'BR', 1],
  ['India', 'IN', 1],
];

/** "California, US" → "US". */
export function countryCode(geolocation: string): string {
  const comma = geolocation.lastIndexOf(',');
  return comma < 0 ? geolocation.trim() : geolocation.slice(comma + 1).trim();
}
