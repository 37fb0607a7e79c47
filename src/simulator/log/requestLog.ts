import type { EndpointClass } from '../../vast/endpoints';
import type { FaultKind } from '../faults/faultRule';
import type { LimitReason } from '../limits/rateLimiter';

/** One request as the simulator answered (or dropped) it. Never holds the key or the query string. */
export interface RequestLogEntry {
  /** Clock time (ms) at which the answer was written or the request dropped. */
  at: number;
  method: string;
  /** Path only: no query string, so a legacy `?api_key=` never reaches the log. */
  path: string;
  endpoint?: EndpointClass;
  /** HTTP status, or 0 when no answer was sent (reset, lost response, hung until closed). */
  status: number;
  fault?: FaultKind;
  /** Why the rate limiter refused it, when it did. */
  limited?: LimitReason;
  /** Non-secret label of the key used ("key1", "ro1", "invalid"); absent when no key was sent. */
  keyId?: string;
  /** The columns a `select_filters` query parameter filtered on (e.g. ["id"]), when it had one. */
  filteredBy?: string[];
}

export type RequestLogFilter =
  | Partial<Pick<RequestLogEntry, 'method' | 'path' | 'endpoint' | 'status' | 'fault' | 'limited' | 'keyId'>>
  | ((entry: RequestLogEntry) => boolean);

export class RequestLog {
  private readonly items: RequestLogEntry[] = [];
  private readonly listeners = new Set<(entry: RequestLogEntry) => void>();

  /** Entries in arrival-of-answer order, optionally filtered (fields compared for equality). */
  entries(filter?: RequestLogFilter): RequestLogEntry[] {
    if (!filter) return [...this.items];
    const test = typeof filter === 'function' ? filter : (entry: RequestLogEntry) => fieldsMatch(entry, filter);
    return this.items.filter(test);
  }

  count(filter?: RequestLogFilter): number {
    return this.entries(filter).length;
  }

  last(): RequestLogEntry | undefined {
    return this.items[this.items.length - 1];
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Called for every new entry (the CLI prints them); returns an unsubscribe function. */
  onEntry(listener: (entry: RequestLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Internal: the pipeline records synchronously, before the answer leaves, so awaiting clients see it. */
  record(entry: RequestLogEntry): void {
    const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as RequestLogEntry;
    this.items.push(clean);
    for (const listener of this.listeners) listener(clean);
  }
}

function fieldsMatch(entry: RequestLogEntry, wanted: Partial<RequestLogEntry>): boolean {
  return Object.entries(wanted).every(([key, value]) => entry[key as keyof RequestLogEntry] === value);
}
