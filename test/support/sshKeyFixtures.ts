import { createHash } from 'node:crypto';

/** A well-formed ed25519 public key line (not a usable key: 32 derived bytes), distinct per `name`. */
export function fakePublicKey(name: string, comment = `${name}@laptop`): string {
  const type = Buffer.from('ssh-ed25519');
  const body = createHash('sha256').update(name).digest();
  const blob = Buffer.concat([u32(type.length), type, u32(body.length), body]).toString('base64');
  return `ssh-ed25519 ${blob} ${comment}`;
}

export const FAKE_PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
