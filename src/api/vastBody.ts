/** Reading what Vast sends back: its JSON error shape, or whatever text came instead. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Vast puts the human text in `msg`, sometimes `message` or `detail`. */
export function vastMessage(body: Record<string, unknown>): string | undefined {
  for (const field of ['msg', 'message', 'detail', 'error']) {
    const value = body[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/** A short, single-line description of a non-JSON body (HTML error pages become their title). */
export function describeBody(text: string): string | undefined {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  if (!plain) return undefined;
  return plain.length > 160 ? `${plain.slice(0, 157)}...` : plain;
}
