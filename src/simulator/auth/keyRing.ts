import type { IncomingMessage } from 'node:http';

/** Who a request is, as far as the simulator cares: a non-secret label and whether it may write. */
export interface Identity {
  /** "key1", "key2"... for full keys, "ro1"... for read-only keys. Safe to log. */
  keyId: string;
  readOnly: boolean;
  /**
   * Set for an instance's own key (`instance_api_key`, CONTAINER_API_KEY in the container): it may
   * only start, stop or destroy that one instance.
   */
  instanceId?: number;
}

export type AuthResult =
  | { ok: true; identity: Identity }
  /** `keyId` is "invalid" when a key was sent but is unknown, absent when none was sent. */
  | { ok: false; keyId?: string };

/** The accepted API keys. Keys never leave this class: everything downstream sees only labels. */
export class KeyRing {
  private readonly identities = new Map<string, Identity>();

  constructor(
    fullKeys: readonly string[],
    readOnlyKeys: readonly string[] = [],
    /** The instance whose own API key this is (looked up at each request: destroyed instances' keys stop working). */
    private readonly instanceKey: (key: string) => number | undefined = () => undefined,
  ) {
    fullKeys.forEach((key, i) => this.identities.set(key, { keyId: `key${i + 1}`, readOnly: false }));
    readOnlyKeys.forEach((key, i) => this.identities.set(key, { keyId: `ro${i + 1}`, readOnly: true }));
  }

  /** From now on the key gets 401, as a deleted key or one invalidated by enabling 2FA does. */
  revoke(key: string): void {
    this.identities.delete(key);
  }

  /** `Authorization: Bearer <key>` first; the legacy `?api_key=` query parameter otherwise. */
  authenticate(req: IncomingMessage, query: URLSearchParams): AuthResult {
    const key = bearerKey(req.headers.authorization) ?? query.get('api_key') ?? undefined;
    if (!key) return { ok: false };
    const identity = this.identities.get(key);
    if (identity) return { ok: true, identity };
    const instanceId = this.instanceKey(key);
    if (instanceId !== undefined) return { ok: true, identity: { keyId: `instance${instanceId}`, readOnly: false, instanceId } };
    return { ok: false, keyId: 'invalid' };
  }
}

function bearerKey(header: string | undefined): string | undefined {
  const match = header?.match(/^\s*Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
