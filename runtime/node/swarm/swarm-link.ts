/**
 * The swarm fallback transport inside `hivebox run` (issue 10; services/swarm/README.md), when
 * `[swarm] enabled`. Composition glue between the daemon and `SwarmTransport`:
 *
 * - Start: once the node is in a hive (the view's `hive_id`, re-read on every tick and after
 *   membership events, since a node may found or join a hive after start) a transport is created
 *   for that hive, seeded with the members, banned nodes and the peers lightningd has connected
 *   (`listpeers`), and started; a different or no hive stops it (and starts one for the new hive).
 * - Inbound: admitted swarm frames go to `deliver` — the daemon's event queue, the same serialized
 *   path as the plugin's `custommsg` events — and the engine the daemon drives is wrapped in one
 *   the `InboundDedup` stage, so a message arriving over Lightning and over the swarm is applied once.
 * - Outbound: the engine's NodeBackend is wrapped (`swarmRoutedBackend`): Hive messages go through
 *   `sendHiveMessage` — Lightning when connected, the swarm when bound, else lightningd's failure,
 *   so the outbox retries.
 * - Lightning peers (daemon connect/disconnect), the tick, membership changes (`setMembership`),
 *   our binding (read by the engine for GOSSIP `hivebox_swarm_binding`) and bindings from admitted
 *   GOSSIP (`learnBinding`; a member not bound yet is dialled at its key) all pass through here.
 * - Health: `probe()` is the supervisor's `swarm` component — "swarm down" while the sidecar is.
 *   The daemon keeps working over Lightning meanwhile.
 */
import type { NodeBackend } from '../../core/ports.ts';
import { type BindingStatement, type SwarmKey, type SwarmReject, type HiveRoute, SEEN_SET_DEFAULTS, SeenSet } from '../../core/swarm/index.ts';
import { isNodeId, type NodeId } from '../../core/types.ts';
import type { MembershipState } from '../../core/machines/membership.ts';
import { sidecarTargetOf, type SwarmSettings } from '../../../services/swarm/config.ts';
import { swarmRoutedBackend } from '../../../services/swarm/hive-sender.ts';
import { InboundDedup } from '../../../services/swarm/inbound-dedup.ts';
import { withStages } from '../stages.ts';
import { SwarmTransport, type SwarmStatus, type SwarmTransportOptions } from '../../../services/swarm/transport.ts';
import type { ProbeResult } from '../../../services/systemd/supervisor.ts';
import type { EngineFactory, HiveEngine, LogFn } from '../engine.ts';

/**
 * How long a copy by the other path counts as a duplicate, ms. A sender puts one message on one
 * path (hive-sender.ts); both copies arrive only when a failed Lightning send fell back to the swarm,
 * within seconds. It stays below the outbox's first retry (30 s, runtime/core/machines/outbox.ts),
 * so a retry — by either path — always reaches the engine, which answers it with a fresh MSG_ACK.
 */
export const CROSS_PATH_DEDUP_MS = 20_000;

/** What the link drives of a transport (SwarmTransport; unit tests pass a fake). */
export interface SwarmTransportPort {
  start(): void;
  stop(): Promise<void>;
  setMembership(members: readonly NodeId[], banned: readonly NodeId[]): void;
  learnBinding(value: unknown): SwarmReject | null;
  lightningPeer(nodeId: NodeId, connected: boolean): void;
  dial(key: SwarmKey): boolean;
  bound(nodeId: NodeId): boolean;
  route(nodeId: NodeId): HiveRoute;
  send(nodeId: NodeId, payloadHex: string): boolean;
  tick(): void;
  readonly binding: BindingStatement | null;
}

/** The hive as the swarm needs it: our id, the hive, current members (member + neophyte) and banned nodes. */
export interface SwarmView {
  readonly hive_id: string;
  readonly node_id: NodeId;
  readonly members: readonly NodeId[];
  readonly banned: readonly NodeId[];
}

/** The swarm view of an engine's membership; null outside a hive. Members and bans sorted by id. */
export function swarmViewOf(m: MembershipState): SwarmView | null {
  if (!m.hive) return null;
  return { hive_id: m.hive.hive_id, node_id: m.hive.our_node_id, members: [...m.members.keys()].sort(), banned: [...m.banned.keys()].sort() };
}

/** What the link is attached to once the daemon runs. */
export interface SwarmLinkAttachment {
  /** The daemon's serialized inbound path (`Daemon.deliver`). */
  deliver(peerId: string, payloadHex: string): Promise<void>;
  /** lightningd itself (not the routed wrapper): `signmessage` for our binding, `listpeers`, `connect`. */
  readonly backend: Pick<NodeBackend, 'signmessage' | 'listpeers' | 'connect'>;
  /** The hive now, or null while the node is in none. */
  view(): SwarmView | null;
}

/** Inputs of the link. */
export interface SwarmLinkOptions {
  readonly settings: SwarmSettings;
  readonly log: LogFn;
  /** Clock, unix ms. */
  readonly now_ms: () => number;
  /** Builds the transport; default `new SwarmTransport(opts)`. */
  readonly createTransport?: (opts: SwarmTransportOptions) => SwarmTransportPort;
}

/** A sidecar that has not said `ready` this long after the transport started counts as down, ms (SwarmClient's ready timeout). */
export const SIDECAR_START_GRACE_MS = 15_000;

/** The daemon's side of the swarm (see the file header). */
export class SwarmLink {
  private transport: SwarmTransportPort | null = null;
  private view: SwarmView | null = null;
  private membershipKey = '';
  private attachment: SwarmLinkAttachment | null = null;
  private status: SwarmStatus | null = null;
  private startedAt = 0;
  private everUp = false;
  private syncTail: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly lightning = new Set<NodeId>();
  private duplicateCount = 0;

  constructor(private readonly opts: SwarmLinkOptions) {}

  /** Our current binding statement (for GOSSIP `hivebox_swarm_binding`), null while there is none. */
  get binding(): BindingStatement | null {
    return this.transport?.binding ?? null;
  }

  /** Copies dropped by the inbound de-duplication so far. */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /** The running transport (null outside a hive or before `attach`). */
  get current(): SwarmTransportPort | null {
    return this.transport;
  }

  /**
   * `factory` with its NodeBackend routed through the swarm and its engine carrying the link's
   * stages (de-duplication, Lightning peer tracking, transport tick). Pass the result to `startDaemon`.
   */
  engineFactory(factory: EngineFactory): EngineFactory {
    return async (ctx) => this.withLinkStages(await factory({ ...ctx, backend: swarmRoutedBackend(ctx.backend, () => this.transport) }));
  }

  /** Attach to the running daemon and start the transport if the node is in a hive already. */
  attach(a: SwarmLinkAttachment): Promise<void> {
    this.attachment = a;
    return this.sync();
  }

  /**
   * Re-read the hive view: start, stop or re-target the transport, and hand it the membership when
   * it changed. Calls run one after another. Never throws (faults are logged).
   */
  sync(): Promise<void> {
    this.syncTail = this.syncTail.then(() =>
      this.syncNow().catch((e: unknown) => this.opts.log('error', 'swarm_sync_failed', { error: e instanceof Error ? e.message : String(e) })),
    );
    return this.syncTail;
  }

  /**
   * A GOSSIP the engine admitted carried `statement` (engine event `swarm_binding`): the gate
   * verifies and stores it; a member not bound over the swarm yet is dialled at that key.
   */
  learnBinding(statement: BindingStatement): void {
    const t = this.transport;
    if (!t || statement.node_id === this.view?.node_id) return;
    const reject = t.learnBinding(statement);
    if (reject !== null) {
      this.opts.log('warn', 'swarm_binding_refused', { node_id: statement.node_id, reason: reject });
      return;
    }
    if (!t.bound(statement.node_id) && t.dial(statement.swarm_key)) this.opts.log('debug', 'swarm_dial', { node_id: statement.node_id, swarm_key: statement.swarm_key });
  }

  /**
   * The supervisor's probe of the `swarm` component: up outside a hive, while the sidecar is up, or
   * while a newly started one has not said `ready` within {@link SIDECAR_START_GRACE_MS}; otherwise
   * down with reason "swarm down" (the daemon meanwhile works over Lightning alone).
   */
  async probe(): Promise<ProbeResult> {
    if (this.transport === null || this.status?.state === 'up') return { up: true };
    if (!this.everUp && this.opts.now_ms() - this.startedAt < SIDECAR_START_GRACE_MS) return { up: true };
    return { up: false, reason: 'swarm down' };
  }

  /** Stop the transport (sidecar shut down, queued deliveries handed to the daemon). Call before the daemon stops. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.syncTail;
    await this.close();
  }

  private withLinkStages(engine: HiveEngine): HiveEngine {
    const dedup = new InboundDedup(new SeenSet(SEEN_SET_DEFAULTS.max_entries, CROSS_PATH_DEDUP_MS), this.opts.now_ms, (peerId) => {
      this.duplicateCount++;
      this.opts.log('debug', 'swarm_duplicate_dropped', { peer_id: peerId });
    });
    return withStages(engine, [
      dedup,
      {
        peer: (peerId, connected) => this.lightningPeer(peerId, connected),
        tick: () => {
          this.transport?.tick();
          void this.sync();
        },
      },
    ]);
  }

  private lightningPeer(peerId: string, connected: boolean): void {
    if (!isNodeId(peerId)) return;
    if (connected) this.lightning.add(peerId);
    else this.lightning.delete(peerId);
    this.transport?.lightningPeer(peerId, connected);
  }

  private async syncNow(): Promise<void> {
    const a = this.attachment;
    if (!a || this.stopped) return;
    const view = a.view();
    if (this.transport && view?.hive_id !== this.view?.hive_id) await this.close();
    if (!view) return;
    if (!this.transport) await this.open(a, view);
    this.view = view;
    const key = `${view.members.join(',')}|${view.banned.join(',')}`;
    if (key === this.membershipKey) return;
    this.membershipKey = key;
    this.transport!.setMembership(view.members, view.banned);
  }

  private async open(a: SwarmLinkAttachment, view: SwarmView): Promise<void> {
    const { settings, log } = this.opts;
    const peers = await a.backend.listpeers();
    if (peers.ok) {
      for (const p of peers.value) if (p.connected && isNodeId(p.id)) this.lightning.add(p.id);
    } else {
      log('warn', 'swarm_listpeers_failed', { error: peers.error.message });
    }
    const options: SwarmTransportOptions = {
      hive_id: view.hive_id,
      node_id: view.node_id,
      signText: async (text) => {
        const r = await a.backend.signmessage(text);
        return r.ok ? r.value.zbase : null;
      },
      engine: { onCustomMsg: (peerId, payloadHex) => a.deliver(peerId, payloadHex) },
      sidecar: sidecarTargetOf(settings),
      autoconnect_lightning: settings.autoconnect_lightning,
      connectLightning: (nodeId, host, port) => a.backend.connect(nodeId, host, port),
      lightning_port: settings.lightning_port,
      nowMs: this.opts.now_ms,
      onStatus: (s) => this.onStatus(s),
      onBinding: (st) => log('info', 'swarm_binding_signed', { swarm_key: st.swarm_key, expires_at: st.expires_at }),
      onPeer: (p) => log('info', 'swarm_peer_bound', { ...p }),
      onReject: (r) => log('debug', 'swarm_refused', { ...r }),
      log: (line) => log('info', 'swarm', { message: line }),
    };
    const t = (this.opts.createTransport ?? ((o) => new SwarmTransport(o)))(options);
    for (const id of this.lightning) t.lightningPeer(id, true);
    this.transport = t;
    this.membershipKey = '';
    this.status = null;
    this.everUp = false;
    this.startedAt = this.opts.now_ms();
    t.start();
    log('info', 'swarm_started', { hive_id: view.hive_id, sidecar: options.sidecar.kind === 'socket' ? options.sidecar.path : 'spawn' });
  }

  private onStatus(s: SwarmStatus): void {
    const before = this.status?.status;
    this.status = s;
    if (s.state === 'up') this.everUp = true;
    if (s.status !== before) this.opts.log(s.state === 'down' ? 'warn' : 'info', 'swarm_status', { status: s.status, public_key: s.public_key, bound_peers: s.bound_peers });
  }

  private async close(): Promise<void> {
    const t = this.transport;
    if (!t) return;
    this.transport = null;
    const hive_id = this.view?.hive_id;
    this.view = null;
    this.membershipKey = '';
    this.status = null;
    await t.stop();
    this.opts.log('info', 'swarm_stopped', { hive_id });
  }
}
