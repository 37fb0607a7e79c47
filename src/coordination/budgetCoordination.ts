import type { RateLimitGates } from '../api/rateLimitGates';
import type { GateReport, SendPermits } from '../api/sendPermits';
import { Emitter, type Disposable } from '../util/emitter';
import { ENDPOINT_CLASSES, type EndpointClass } from '../vast/endpoints';
import { Coordinator, type CoordinatorOptions, type Role } from './coordinator';
import type { PeerInfo } from './handshake';
import { PollHub } from './pollHub';
import { SharedInstanceSource, type PollingSource } from './sharedInstanceSource';

const PERMIT = 'budget.permit';
const REPORT = 'budget.report';
const LEARNED = 'budget.learned';
const SENT = 'budget.sent';
const SENT_AT = 'budget.sentAt';

/**
 * One budget (host + key) shared with the other processes on this machine. As the gates'
 * SendPermits: a follower's gate takes each send slot from the leader's gate for the same endpoint
 * (so the machine keeps one spacing and one cooldown per endpoint), and what any gate learns (a
 * 429's cooldown, a raised interval) reaches every process. The leader's own gates are the budget:
 * they grant at once. Also hosts the machine's instance poll (PollHub).
 */
export class BudgetCoordination implements SendPermits, Disposable {
  /** Resolves with the coordinator once joined, or undefined when this process runs standalone. */
  readonly ready: Promise<Coordinator | undefined>;
  private coordinator?: Coordinator;
  private hub?: PollHub;
  private readonly lastSentAt = new Map<EndpointClass, number>();
  private readonly disposables: Disposable[] = [];
  private readonly participantsChanged = new Emitter<readonly PeerInfo[]>();
  private disposed = false;
  /** The processes sharing the budget changed. */
  readonly onDidChangeParticipants = this.participantsChanged.event;

  constructor(
    private readonly budget: RateLimitGates,
    options: CoordinatorOptions,
  ) {
    this.ready = Coordinator.join(options).then(
      (coordinator) => {
        if (this.disposed) {
          coordinator.dispose();
          return undefined;
        }
        this.attach(coordinator);
        return coordinator;
      },
      (error) => {
        options.log?.(`Rate-limit budget not shared with other processes: ${error instanceof Error ? error.message : String(error)}.`);
        return undefined;
      },
    );
    this.disposables.push(budget.usePermits(this));
  }

  get role(): Role {
    return this.coordinator?.role ?? 'standalone';
  }

  /** Every process on this budget, this one included (1 when alone). */
  get participants(): readonly PeerInfo[] {
    return this.coordinator?.participants ?? [];
  }

  async permit(endpoint: EndpointClass, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const coordinator = this.coordinator ?? (await this.ready);
    signal.throwIfAborted();
    if (!coordinator || coordinator.role === 'standalone') return;
    if (coordinator.role === 'leader') {
      // The followers keep when each endpoint was last used, for a hand-over (see holdAfterTakeover).
      if (coordinator.participants.length > 1) coordinator.broadcast(SENT, { endpoint, at: Date.now() });
      return;
    }
    try {
      await coordinator.call(PERMIT, { endpoint }, signal);
      // The request leaves now; the leader spaces its next grant from this moment, not from the grant.
      coordinator.notify(SENT_AT, { endpoint, at: Date.now() });
    } catch (error) {
      if (signal.aborted) throw error;
      // The leader could not grant (it is going away, or broken): the local gate's spacing stands.
    }
  }

  report(endpoint: EndpointClass, report: GateReport): void {
    const coordinator = this.coordinator;
    if (!coordinator || coordinator.role === 'standalone') return;
    if (coordinator.role === 'follower') coordinator.notify(REPORT, { endpoint, report: report as unknown as Record<string, unknown> });
    else coordinator.broadcast(LEARNED, { endpoint, report: report as unknown as Record<string, unknown> });
  }

  /** The monitor's source for this budget: the machine-wide poll (its own client's polls until joined). */
  instanceSource(direct: PollingSource): SharedInstanceSource {
    return new SharedInstanceSource(
      this.ready.then((coordinator) => (coordinator && this.hub ? { coordinator, hub: this.hub } : undefined)),
      direct,
    );
  }

  dispose(): void {
    this.disposed = true;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.coordinator?.dispose();
    this.participantsChanged.dispose();
  }

  private attach(coordinator: Coordinator): void {
    this.coordinator = coordinator;
    this.hub = new PollHub(coordinator);
    coordinator.handle(PERMIT, async (params, { signal }) => {
      const endpoint = endpointOf(params.endpoint);
      // The follower's gate already sat out any cooldown it was willing to; the leader's queue orders the rest.
      const release = await this.budget.get(endpoint).acquire({ signal, maxWaitMs: Number.MAX_SAFE_INTEGER });
      release();
      return {};
    });
    coordinator.handle(SENT_AT, (params) => {
      const endpoint = endpointOf(params.endpoint);
      const at = typeof params.at === 'number' && Number.isFinite(params.at) ? Math.min(params.at, Date.now()) : Date.now();
      this.budget.get(endpoint).noteSentElsewhere(at);
      coordinator.broadcast(SENT, { endpoint, at });
    });
    coordinator.handle(REPORT, (params) => {
      const endpoint = endpointOf(params.endpoint);
      const report = params.report as GateReport | undefined;
      if (report) this.adopt(endpoint, report);
      coordinator.broadcast(LEARNED, { endpoint, report: params.report as Record<string, unknown> });
    });
    this.disposables.push(
      coordinator.onEvent(LEARNED, (data) => {
        if (coordinator.role !== 'follower') return; // the leader adopted it when it was reported
        if (isEndpoint(data.endpoint) && data.report) this.adopt(data.endpoint, data.report as unknown as GateReport);
      }),
      coordinator.onEvent(SENT, (data) => {
        if (isEndpoint(data.endpoint) && typeof data.at === 'number') this.lastSentAt.set(data.endpoint, data.at);
      }),
      coordinator.onDidChangeRole((role) => {
        if (role === 'leader') this.holdAfterTakeover();
      }),
      coordinator.onDidChangeParticipants((list) => this.participantsChanged.fire(list)),
    );
    this.participantsChanged.fire(coordinator.participants);
  }

  /** Applies what another process learned; gates take only what is stricter than what they have. */
  private adopt(endpoint: EndpointClass, report: GateReport): void {
    const gate = this.budget.get(endpoint);
    if (report.kind === 'rate-limited' && typeof report.cooldownUntil === 'number') {
      gate.adoptCooldown(report.cooldownUntil, String(report.reason ?? '429 in another process'));
    } else if (report.kind === 'interval' && report.learned && typeof report.learned.ms === 'number' && typeof report.learned.at === 'number') {
      gate.adoptLearned(report.learned);
    }
  }

  /**
   * The old leader may have granted a slot moments before it went: this process's gates have not
   * seen that send, so each endpoint used within its interval waits out the rest of it first.
   */
  private holdAfterTakeover(): void {
    const now = Date.now();
    for (const [endpoint, at] of this.lastSentAt) {
      const gate = this.budget.get(endpoint);
      const until = at + gate.interval;
      if (until > now) gate.adoptCooldown(until, 'hand-over to this process');
    }
  }
}

function isEndpoint(value: unknown): value is EndpointClass {
  return typeof value === 'string' && (ENDPOINT_CLASSES as readonly string[]).includes(value);
}

function endpointOf(value: unknown): EndpointClass {
  if (!isEndpoint(value)) throw new Error(`unknown endpoint ${String(value)}`);
  return value;
}
