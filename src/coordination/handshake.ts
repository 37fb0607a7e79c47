import { randomBytes } from 'node:crypto';
import { keyProof, proofMatches } from './fingerprint';
import type { Message, MessageChannel } from './messageChannel';

export const PROTOCOL_VERSION = 1;
const HANDSHAKE_TIMEOUT_MS = 5000;

/** Who is on the other end, as it describes itself (for "shared with 2 other windows"). */
export interface PeerInfo {
  pid: number;
  /** 'window' for a VS Code window, 'script' for anything else using dist/core.js. */
  kind: string;
}

/** The follower could not prove the key, or the leader could not. */
export class HandshakeRefused extends Error {}

/**
 * Leader side. Both sides send a fresh nonce and prove the key with an HMAC over both, so neither a
 * process without the key nor a replayed transcript gets in. The key itself never crosses.
 */
export async function admitFollower(channel: MessageChannel, apiKey: string, fingerprint: string): Promise<PeerInfo> {
  const leaderNonce = randomBytes(32).toString('hex');
  channel.send({ t: 'hello', v: PROTOCOL_VERSION, fp: fingerprint, nonce: leaderNonce });
  const auth = await nextMessage(channel, 'auth');
  const followerNonce = typeof auth.nonce === 'string' && /^[0-9a-f]{64}$/.test(auth.nonce) ? auth.nonce : undefined;
  if (!followerNonce || !proofMatches(keyProof(apiKey, 'follower', fingerprint, leaderNonce, followerNonce), auth.proof)) {
    channel.send({ t: 'refused', reason: 'could not prove the key' });
    channel.close();
    throw new HandshakeRefused('a process that could not prove the key was refused');
  }
  channel.send({ t: 'welcome', proof: keyProof(apiKey, 'leader', fingerprint, leaderNonce, followerNonce) });
  return {
    pid: typeof auth.pid === 'number' ? auth.pid : 0,
    kind: typeof auth.kind === 'string' && auth.kind.length <= 20 ? auth.kind : 'script',
  };
}

/** Follower side: answers the leader's challenge and checks that the leader holds the key too. */
export async function joinLeader(channel: MessageChannel, apiKey: string, fingerprint: string, self: PeerInfo): Promise<void> {
  const hello = await nextMessage(channel, 'hello');
  if (hello.v !== PROTOCOL_VERSION) throw new HandshakeRefused(`the leader speaks protocol ${String(hello.v)}, not ${PROTOCOL_VERSION}`);
  if (typeof hello.nonce !== 'string' || !/^[0-9a-f]{64}$/.test(hello.nonce)) throw new HandshakeRefused('the leader sent no valid challenge');
  const followerNonce = randomBytes(32).toString('hex');
  channel.send({ t: 'auth', nonce: followerNonce, proof: keyProof(apiKey, 'follower', fingerprint, hello.nonce, followerNonce), ...self });
  const answer = await nextMessage(channel, 'welcome', 'refused');
  if (answer.t === 'refused') throw new HandshakeRefused('the leader refused this process (it could not prove the key)');
  if (!proofMatches(keyProof(apiKey, 'leader', fingerprint, hello.nonce, followerNonce), answer.proof)) {
    channel.close();
    throw new HandshakeRefused('the process serving the socket could not prove it holds the key');
  }
}

function nextMessage(channel: MessageChannel, ...types: string[]): Promise<Message> {
  return new Promise<Message>((resolve, reject) => {
    if (channel.isClosed) return reject(new Error('the channel closed during the handshake'));
    const timer = setTimeout(() => done(new Error('the handshake timed out')), HANDSHAKE_TIMEOUT_MS);
    const onMessage = channel.onMessage((message) => {
      if (types.includes(message.t)) done(undefined, message);
      else done(new HandshakeRefused(`unexpected "${message.t}" during the handshake`));
    });
    const onClose = channel.onClose(() => done(new Error('the channel closed during the handshake')));
    function done(error?: Error, message?: Message): void {
      clearTimeout(timer);
      onMessage.dispose();
      onClose.dispose();
      if (error) reject(error);
      else resolve(message!);
    }
  });
}
