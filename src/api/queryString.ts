/** Characters form encoding (URLSearchParams) leaves as they are. */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;

/**
 * What `new URLSearchParams(query).toString()` gives, without building one when nothing needs
 * escaping (ids, "me", "25"); filters and tokens with JSON in them go through URLSearchParams.
 */
export function queryString(query: Record<string, string>): string {
  let joined = '';
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (!FORM_SAFE.test(name) || !FORM_SAFE.test(value)) return new URLSearchParams(query).toString();
    joined += joined ? `&${name}=${value}` : `${name}=${value}`;
  }
  return joined;
}
