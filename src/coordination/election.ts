import fs from 'node:fs';
import net from 'node:net';

export type ElectionResult = { role: 'leader'; server: net.Server } | { role: 'follower'; socket: net.Socket };

/** A takeover lock older than this was left by a process that died mid-takeover. */
const STALE_LOCK_MS = 10_000;
const MAX_ROUNDS = 100;

/**
 * Becomes the leader for `endpoint` (listens on it) or connects to the one there is. A socket file
 * nobody answers on was left by a leader that died (SIGKILL leaves it behind); replacing it happens
 * under a lock directory (mkdir is atomic), so two processes never both listen.
 */
export async function elect(endpoint: string, onConnection: (socket: net.Socket) => void): Promise<ElectionResult> {
  const lock = `${endpoint}.lock`;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const socket = await tryConnect(endpoint);
    if (socket) return { role: 'follower', socket };
    if (process.platform === 'win32') {
      // A named pipe vanishes with its process, and creating one is exclusive.
      const server = await tryListen(endpoint, onConnection);
      if (server) return { role: 'leader', server };
    } else if (takeLock(lock)) {
      try {
        const late = await tryConnect(endpoint);
        if (late) return { role: 'follower', socket: late };
        fs.rmSync(endpoint, { force: true });
        const server = await tryListen(endpoint, onConnection);
        if (server) {
          fs.chmodSync(endpoint, 0o600);
          return { role: 'leader', server };
        }
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 120));
  }
  throw new Error('no leader could be elected (the socket kept changing hands)');
}

/** Resolves with a connected socket, or undefined when nobody listens there (yet, or any more). */
function tryConnect(endpoint: string): Promise<net.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(endpoint);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EAGAIN') resolve(undefined);
      else reject(new Error(`cannot connect to ${endpoint} (${error.code ?? error.message})`));
    });
  });
}

function tryListen(endpoint: string, onConnection: (socket: net.Socket) => void): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(onConnection);
    server.once('error', (error: NodeJS.ErrnoException) => {
      server.close();
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(new Error(`cannot listen on ${endpoint} (${error.code ?? error.message})`));
    });
    server.listen(endpoint, () => {
      server.removeAllListeners('error');
      resolve(server);
    });
  });
}

function takeLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot take the election lock ${lock} (${(error as NodeJS.ErrnoException).code})`);
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
    } catch {
      // Gone already: the next round tries again.
    }
    return false;
  }
}
