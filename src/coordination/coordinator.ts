import type net from 'node:net';
import { Emitter, type Disposable } from '../util/emitter';
import { elect } from './election';
import { budgetFingerprint } from './fingerprint';
import { HandshakeRefused, admitFollower, joinLeader, type PeerInfo } from './handshake';
import { MessageChannel, type Message } from './messageChannel';
import { coordinationDir, endpointPath, ensurePrivateDir } from './runtimeDir';

export type Role = 'leader' | 'follower' | 'standalone';

export interface CoordinatorOptions {
  /** The API host (the budget is per host and key). */
  host: string;
  apiKey: string;
  /** What this process is, for the others' status bars: 'window' or 'script' (default). */
  kind?: string;
  /** Where the sockets live (default: the per-user runtime directory). */
  dir?: string;
  /** One line per problem (this process cannot share, a peer was refused); never carries the key. */
  log?: (line: string) => void;
  /** One line per role change (leading, following, hand-over); never carries the key. */
  trace?: (line: string) => void;
}

/** A participant as the leader sees it: handlers learn who asks and when it goes away. */
export interface Peer {
  readonly id: number;
  readonly info: PeerInfo;
  readonly local: boolean;
  onGone(listener: () => void): Disposable;
}

export interface CallContext {
  peer: Peer;
  /** Aborted when the caller cancels or disconnects. */
  signal: AbortSignal;
}

export type Handler = (params: Record<string, unknown>, context: CallContext) => unknown;

interface PendingCall {
  id: number;
  method: string;
  params: Record<string, unknown>;
  signal?: AbortSignal;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Aborts the local dispatch when this process served it itself. */
  localAbort?: AbortController;
  onAbort?: () => void;
}

class PeerHandle implements Peer {
  private readonly gone = new Emitter<void>();
  readonly calls = new Map<number, AbortController>();
  constructor(
    readonly id: number,
    readonly info: PeerInfo,
    readonly local: boolean,
    readonly channel?: MessageChannel,
  ) {}
  onGone(listener: () => void): Disposable {
    return this.gone.event(listener);
  }
  leave(): void {
    for (const controller of this.calls.values()) controller.abort(new Error('the caller went away'));
    this.calls.clear();
    this.gone.fire();
    this.gone.dispose();
  }
}

/** A call failed at the leader; carries the leader's error fields across. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * One budget's coordination on this machine: the first process for a host+key leads (serves a
 * private socket), the others follow it. Services register handlers on every process; a call runs
 * on whoever leads, the leader's own calls included, so there is one code path. When the leader
 * goes, the followers elect a new one and re-send the calls still unanswered: waits keep waiting,
 * and nothing that was answered is asked again.
 */
export class Coordinator {
  readonly fingerprint: string;
  private currentRole: Role = 'standalone';
  private server?: net.Server;
  private link?: MessageChannel;
  private readonly handlers = new Map<string, Handler>();
  private readonly events = new Map<string, Emitter<Record<string, unknown>>>();
  private readonly peers = new Map<number, PeerHandle>();
  private readonly self: PeerHandle;
  private readonly pending = new Map<number, PendingCall>();
  private readonly queuedNotes: Message[] = [];
  private nextCallId = 1;
  private nextPeerId = 1;
  private electing?: Promise<void>;
  private disposed = false;
  private participantList: PeerInfo[] = [];
  private readonly roleChanged = new Emitter<Role>();
  private readonly participantsChanged = new Emitter<readonly PeerInfo[]>();
  /** Became leader, follower, or standalone. */
  readonly onDidChangeRole = this.roleChanged.event;
  /** The processes sharing this budget changed (this one included). */
  readonly onDidChangeParticipants = this.participantsChanged.event;
  private readonly endpoint: string;

  private constructor(private readonly options: CoordinatorOptions, endpoint: string) {
    this.fingerprint = budgetFingerprint(options.host, options.apiKey);
    this.endpoint = endpoint;
    this.self = new PeerHandle(0, { pid: process.pid, kind: options.kind ?? 'script' }, true);
    this.participantList = [this.self.info];
  }

  /**
   * Joins (or founds) the budget's group. Throws, saying why, when the local channel cannot be set
   * up; the caller then runs standalone and logs that one line.
   */
  static async join(options: CoordinatorOptions): Promise<Coordinator> {
    const dir = coordinationDir(options.dir);
    ensurePrivateDir(dir);
    const coordinator = new Coordinator(options, endpointPath(dir, budgetFingerprint(options.host, options.apiKey)));
    await coordinator.elect();
    return coordinator;
  }

  get role(): Role {
    return this.currentRole;
  }

  /** Every process sharing the budget, this one included (1 when alone). */
  get participants(): readonly PeerInfo[] {
    return this.participantList;
  }

  /** Registers the leader-side implementation of `method` (every process registers; the leader's runs). */
  handle(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Asks the leader (this process, if it leads). Survives hand-over: unanswered calls are re-sent. */
  call<T = unknown>(method: string, params: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const call: PendingCall = { id: this.nextCallId++, method, params, signal, resolve: resolve as (v: unknown) => void, reject };
      if (signal) {
        call.onAbort = () => {
          if (!this.pending.delete(call.id)) return;
          call.localAbort?.abort(signal.reason);
          if (!call.localAbort) this.link?.send({ t: 'cancel', id: call.id });
          reject(signal.reason);
        };
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      this.pending.set(call.id, call);
      this.dispatch(call);
    });
  }

  /** Tells the leader something that needs no answer (a 429, a learned interval). Kept until a leader hears it. */
  notify(method: string, params: Record<string, unknown> = {}): void {
    const message: Message = { t: 'note', m: method, p: params };
    if (this.currentRole !== 'follower') this.runNote(message, this.self);
    else if (this.link && !this.link.isClosed) this.link.send(message);
    else this.queuedNotes.push(message);
  }

  /** Leader only: sends an event to every process, this one included. */
  broadcast(event: string, data: Record<string, unknown>): void {
    if (this.currentRole === 'follower') return;
    const message: Message = { t: 'event', e: event, d: data };
    for (const peer of this.peers.values()) peer.channel?.send(message);
    this.events.get(event)?.fire(data);
  }

  /** Leader only: sends an event to one peer. */
  sendTo(peer: Peer, event: string, data: Record<string, unknown>): void {
    if (peer.local) this.events.get(event)?.fire(data);
    else (peer as PeerHandle).channel?.send({ t: 'event', e: event, d: data });
  }

  onEvent(event: string, listener: (data: Record<string, unknown>) => void): Disposable {
    let emitter = this.events.get(event);
    if (!emitter) this.events.set(event, (emitter = new Emitter()));
    return emitter.event(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const call of this.pending.values()) {
      if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
      call.localAbort?.abort(new Error('coordination closed'));
      call.reject(new Error('The budget coordination was closed.'));
    }
    this.pending.clear();
    this.link?.close();
    for (const peer of this.peers.values()) {
      peer.channel?.close();
      peer.leave();
    }
    this.peers.clear();
    this.self.leave();
    this.server?.close();
    this.roleChanged.dispose();
    this.participantsChanged.dispose();
    for (const emitter of this.events.values()) emitter.dispose();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private trace(line: string): void {
    this.options.trace?.(line);
  }

  private elect(): Promise<void> {
    this.electing ??= this.runElection().finally(() => {
      this.electing = undefined;
    });
    return this.electing;
  }

  private async runElection(): Promise<void> {
    for (let attempt = 0; !this.disposed; attempt++) {
      let result;
      try {
        result = await elect(this.endpoint, (socket) => this.admit(socket));
      } catch (error) {
        return this.goStandalone(error instanceof Error ? error.message : String(error));
      }
      if (this.disposed) {
        if (result.role === 'leader') result.server.close();
        else result.socket.destroy();
        return;
      }
      if (result.role === 'leader') {
        this.server = result.server;
        this.setRole('leader');
        this.trace(`Budget ${this.fingerprint}: this process leads (serves the shared budget and instance poll).`);
        this.publishParticipants();
        this.redispatchAll();
        this.flushNotes();
        return;
      }
      const channel = new MessageChannel(result.socket);
      try {
        await joinLeader(channel, this.options.apiKey, this.fingerprint, this.self.info);
      } catch (error) {
        channel.close();
        if (error instanceof HandshakeRefused) return this.goStandalone(error.message);
        if (attempt >= 20) return this.goStandalone(error instanceof Error ? error.message : String(error));
        continue; // the leader went away mid-handshake: elect again
      }
      this.link = channel;
      channel.onMessage((message) => this.fromLeader(message));
      channel.onClose(() => this.leaderGone(channel));
      this.setRole('follower');
      this.trace(`Budget ${this.fingerprint}: following the leader process.`);
      this.redispatchAll();
      this.flushNotes();
      return;
    }
  }

  private goStandalone(reason: string): void {
    this.log(`Budget ${this.fingerprint}: not shared with other processes (${reason}); this process keeps its own budget.`);
    this.link = undefined;
    this.setRole('standalone');
    this.participantList = [this.self.info];
    this.participantsChanged.fire(this.participantList);
    this.redispatchAll();
    this.flushNotes();
  }

  private setRole(role: Role): void {
    if (role === this.currentRole) return;
    this.currentRole = role;
    this.roleChanged.fire(role);
  }

  private leaderGone(channel: MessageChannel): void {
    if (this.link !== channel || this.disposed) return;
    this.link = undefined;
    this.trace(`Budget ${this.fingerprint}: the leader process went away; electing a new one.`);
    // A short random pause spreads the followers out, so one wins the takeover quickly.
    setTimeout(() => void this.elect(), Math.random() * 200);
  }

  // ---- calls -------------------------------------------------------------------------------

  private dispatch(call: PendingCall): void {
    if (this.currentRole === 'follower') {
      if (this.link && !this.link.isClosed) this.link.send({ t: 'call', id: call.id, m: call.method, p: call.params });
      return; // otherwise it waits for the election, which re-sends it
    }
    call.localAbort = new AbortController();
    this.self.calls.set(call.id, call.localAbort);
    void this.run(call.method, call.params, this.self, call.localAbort.signal).then(
      (value) => this.settle(call.id, { ok: true, value }),
      (error) => this.settle(call.id, { ok: false, error: errorFields(error) }),
    );
  }

  private redispatchAll(): void {
    for (const call of this.pending.values()) {
      if (call.localAbort) continue; // already running here
      this.dispatch(call);
    }
  }

  private settle(id: number, outcome: { ok: true; value: unknown } | { ok: false; error: Record<string, unknown> }): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.self.calls.delete(id);
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
    if (outcome.ok) call.resolve(outcome.value);
    else call.reject(new RemoteError(String(outcome.error.message ?? 'the leader failed'), outcome.error));
  }

  private async run(method: string, params: Record<string, unknown>, peer: PeerHandle, signal: AbortSignal): Promise<unknown> {
    const handler = this.handlers.get(method);
    if (!handler) throw new Error(`the leader does not serve "${method}"`);
    return handler(params, { peer, signal });
  }

  private runNote(message: Message, peer: PeerHandle): void {
    const handler = this.handlers.get(String(message.m));
    if (!handler) return;
    try {
      void Promise.resolve(handler(isRecord(message.p) ? message.p : {}, { peer, signal: new AbortController().signal })).catch(() => undefined);
    } catch {
      // A bad note from a peer must not hurt the leader.
    }
  }

  private flushNotes(): void {
    for (const note of this.queuedNotes.splice(0)) {
      if (this.currentRole === 'follower' && this.link) this.link.send(note);
      else this.runNote(note, this.self);
    }
  }

  private fromLeader(message: Message): void {
    if (message.t === 'result' && typeof message.id === 'number') {
      this.settle(message.id, message.ok === true ? { ok: true, value: message.value } : { ok: false, error: isRecord(message.error) ? message.error : {} });
    } else if (message.t === 'event' && typeof message.e === 'string') {
      if (message.e === 'participants') {
        const list = isRecord(message.d) && Array.isArray(message.d.list) ? message.d.list : [];
        this.participantList = list.filter(isRecord).map((p) => ({ pid: Number(p.pid) || 0, kind: String(p.kind ?? 'script') }));
        this.participantsChanged.fire(this.participantList);
        return;
      }
      this.events.get(message.e)?.fire(isRecord(message.d) ? message.d : {});
    }
  }

  // ---- leader side ---------------------------------------------------------------------------

  private admit(socket: net.Socket): void {
    const channel = new MessageChannel(socket);
    admitFollower(channel, this.options.apiKey, this.fingerprint).then(
      (info) => {
        if (channel.isClosed || this.disposed) return;
        const peer = new PeerHandle(this.nextPeerId++, info, false, channel);
        this.peers.set(peer.id, peer);
        channel.onMessage((message) => this.fromFollower(peer, message));
        channel.onClose(() => {
          this.peers.delete(peer.id);
          peer.leave();
          this.publishParticipants();
        });
        this.publishParticipants();
      },
      (error) => {
        if (error instanceof HandshakeRefused) this.log(`Budget ${this.fingerprint}: ${error.message}.`);
        channel.close();
      },
    );
  }

  private fromFollower(peer: PeerHandle, message: Message): void {
    if (message.t === 'call' && typeof message.id === 'number' && typeof message.m === 'string') {
      const id = message.id;
      const controller = new AbortController();
      peer.calls.set(id, controller);
      void this.run(message.m, isRecord(message.p) ? message.p : {}, peer, controller.signal).then(
        (value) => {
          if (peer.calls.delete(id)) peer.channel?.send({ t: 'result', id, ok: true, value: value ?? null });
        },
        (error) => {
          if (peer.calls.delete(id)) peer.channel?.send({ t: 'result', id, ok: false, error: errorFields(error) });
        },
      );
    } else if (message.t === 'cancel' && typeof message.id === 'number') {
      peer.calls.get(message.id)?.abort(new Error('cancelled by the caller'));
      peer.calls.delete(message.id);
    } else if (message.t === 'note') {
      this.runNote(message, peer);
    }
  }

  private publishParticipants(): void {
    this.participantList = [this.self.info, ...[...this.peers.values()].map((peer) => peer.info)];
    this.participantsChanged.fire(this.participantList);
    const message: Message = { t: 'event', e: 'participants', d: { list: this.participantList } };
    for (const peer of this.peers.values()) peer.channel?.send(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What of an error crosses the channel: its message and the VastApiError fields callers act on. */
function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { message: error.message, name: error.name };
  for (const key of ['kind', 'endpoint', 'status', 'code', 'attempts', 'resumeAt']) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) fields[key] = value;
  }
  return fields;
}
