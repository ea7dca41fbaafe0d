/**
 * SwarmTransport: the daemon-side shell around the swarm gate (issue 10 §1–§3). It owns the
 * supervised sidecar (SwarmClient), feeds its events and the fleet's membership into the sans-IO
 * gate (runtime/core/swarm/gate.ts), executes the gate's effects, signs our key binding through
 * the node key, and hands admitted Hive frames to `HiveEngine.onCustomMsg(node_id, payloadHex)`:
 * the same entry point as Lightning `custommsg`, so admission inside the engine is identical
 * whichever way a message came.
 */
import { bindingNeedsRenewal, bindingSignedText, nextBindingFields, type BindingStatement, type SwarmKey, boundKey, initialGate, stepGate, type SwarmEffect, type SwarmDropReason, type SwarmGateInput, type SwarmGateState, type SwarmReject, SWARM_LIMITS, type SwarmLimits, chooseRoute, type HiveRoute, swarmTopic } from '../../runtime/core/swarm/index.ts';
import { fromHex, type NodeId } from '../../runtime/core/types.ts';
import type { BackoffPolicy } from './backoff.ts';
import { SwarmClient, type SwarmClientStatus } from './client.ts';
import type { SidecarEvent } from './sidecar-events.ts';
import type { SidecarTarget } from './sidecar-link.ts';

/** What the daemon reports: `status` is `swarm up` or `degraded: swarm down` (issue 10 §1). */
export interface SwarmStatus {
  readonly state: 'up' | 'down' | 'stopped';
  readonly status: 'swarm up' | 'degraded: swarm down' | 'swarm stopped';
  readonly public_key: SwarmKey | null;
  /** Members currently reachable over the swarm. */
  readonly bound_peers: number;
}

/** A refusal the gate made, for logs and metrics. */
export interface SwarmRejectReport {
  readonly reason: SwarmReject | SwarmDropReason;
  readonly swarm_key?: SwarmKey;
  readonly input: SwarmGateInput['kind'];
}

/** Options; times are milliseconds. */
export interface SwarmTransportOptions {
  readonly hive_id: string;
  readonly node_id: NodeId;
  /** Lightning `signmessage` of `text` with our node key (NodeBackend.signmessage → zbase), null on failure. */
  readonly signText: (text: string) => Promise<string | null>;
  /** Admitted Hive frames go here (the daemon runs its InboundDedup stage in front, see inbound-dedup.ts). */
  readonly engine: { onCustomMsg(peerId: string, payloadHex: string): Promise<void> };
  readonly sidecar: SidecarTarget;
  /** Operator flag: dial members at their learned swarm host over Lightning (NodeBackend.connect). */
  readonly autoconnect_lightning?: boolean;
  readonly connectLightning?: (node_id: NodeId, host: string, port: number) => Promise<unknown>;
  /** Port dialled for learned hosts (BOLT 1 default 9735). */
  readonly lightning_port?: number;
  readonly limits?: SwarmLimits;
  readonly backoff?: BackoffPolicy;
  readonly nowMs?: () => number;
  readonly onStatus?: (status: SwarmStatus) => void;
  /** Our binding statement whenever it changes: put it in GOSSIP as `hivebox_swarm_binding`. */
  readonly onBinding?: (statement: BindingStatement) => void;
  readonly onReject?: (report: SwarmRejectReport) => void;
  /** A member became reachable over the swarm (its binding was admitted on this connection). */
  readonly onPeer?: (peer: { node_id: NodeId; swarm_key: SwarmKey; host: string; port: number }) => void;
  readonly log?: (line: string) => void;
}

/** The swarm fallback transport of one hivebox daemon. */
export class SwarmTransport {
  private gate: SwarmGateState;
  private readonly client: SwarmClient;
  private readonly nowMs: () => number;
  private readonly topic: string;
  private signing = false;
  private deliveries: Promise<void> = Promise.resolve();
  private lastStatus = '';

  constructor(private readonly opts: SwarmTransportOptions) {
    this.nowMs = opts.nowMs ?? Date.now;
    this.topic = swarmTopic(opts.hive_id);
    this.gate = initialGate({
      hive_id: opts.hive_id,
      self_node_id: opts.node_id,
      autoconnect_lightning: opts.autoconnect_lightning ?? false,
      lightning_port: opts.lightning_port ?? 9735,
      limits: opts.limits ?? SWARM_LIMITS,
    });
    this.client = new SwarmClient({
      sidecar: opts.sidecar,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      onEvent: (ev) => this.onEvent(ev),
      onStatus: (st) => this.onClientStatus(st),
      log: (l) => opts.log?.(l),
    });
  }

  /** Start the sidecar and join the hive's topic (re-joined after every restart). */
  start(): void {
    this.client.join(this.topic);
    this.client.start();
  }

  /** Shut the sidecar down and wait for queued deliveries. */
  async stop(): Promise<void> {
    await this.client.stop();
    await this.deliveries;
  }

  /** Current members (tier member or neophyte) and banned node ids; drops connections of anyone else. */
  setMembership(members: readonly NodeId[], banned: readonly NodeId[]): void {
    this.apply({ kind: 'membership', members, banned });
  }

  /**
   * A GOSSIP payload's `hivebox_swarm_binding` value from `sender` (already admitted by the engine).
   * @returns null when stored or already known, else the reject reason.
   */
  learnBinding(value: unknown): SwarmReject | null {
    return this.apply({ kind: 'gossip_binding', statement: value }) ?? null;
  }

  /** CLN `connect`/`disconnect` notifications for a member, so routing prefers Lightning. */
  lightningPeer(nodeId: NodeId, connected: boolean): void {
    this.apply({ kind: 'lightning_peer', node_id: nodeId, connected });
  }

  /**
   * Dial a swarm key directly (hyperswarm `joinPeer`), e.g. a member's key learned from its
   * gossip binding while topic discovery has not found it. The gate admits it like any peer.
   * @returns false while the sidecar is down.
   */
  dial(key: SwarmKey): boolean {
    return this.client.connect(key);
  }

  /** True while `nodeId` has a bound swarm connection (whatever Lightning does). */
  bound(nodeId: NodeId): boolean {
    return boundKey(this.gate, nodeId) !== undefined;
  }

  /** Which way a message to `nodeId` would go now. */
  route(nodeId: NodeId): HiveRoute {
    return chooseRoute(this.gate, nodeId);
  }

  /**
   * Send a Hive message (custommsg payload hex, starting 48495645) to a bound member over the swarm.
   * @returns false when there is no bound connection, the payload is bad, or the sidecar is down.
   */
  send(nodeId: NodeId, payloadHex: string): boolean {
    const bytes = fromHex(payloadHex);
    if (!bytes) return false;
    const out = stepGate(this.gate, { kind: 'send', node_id: nodeId, bytes }, this.nowMs());
    if (out.reject) {
      this.opts.onReject?.({ reason: out.reject, input: 'send' });
      return false;
    }
    return out.effects.every((e) => e.kind === 'send_frame' && this.client.send(e.swarm_key, e.bytes));
  }

  /** Periodic timer (the daemon's tick): binding timeouts and expiry, renewal of our own binding. */
  tick(): void {
    this.apply({ kind: 'tick' });
    this.renewBindingIfDue();
  }

  /** Our current signed binding statement, or null before the first one. */
  get binding(): BindingStatement | null {
    return this.gate.local;
  }

  /** The gate's state (read-only; for status and tests). */
  get state(): SwarmGateState {
    return this.gate;
  }

  /** The sidecar's counters, or null while it is down. */
  stats() {
    return this.client.stats();
  }

  /** pid of the sidecar child (spawn mode). */
  get sidecarPid(): number | undefined {
    return this.client.pid;
  }

  private apply(input: SwarmGateInput): SwarmReject | undefined {
    const out = stepGate(this.gate, input, this.nowMs());
    this.gate = out.state;
    if (out.reject) this.opts.onReject?.({ reason: out.reject, input: input.kind, ...('swarm_key' in input ? { swarm_key: input.swarm_key } : {}) });
    for (const effect of out.effects) {
      if (effect.kind === 'drop' && effect.reason !== out.reject) this.opts.onReject?.({ reason: effect.reason, swarm_key: effect.swarm_key, input: input.kind });
      this.execute(effect);
    }
    this.report();
    return out.reject;
  }

  private execute(effect: SwarmEffect): void {
    switch (effect.kind) {
      case 'send_frame':
        this.client.send(effect.swarm_key, effect.bytes);
        return;
      case 'drop':
        this.client.drop(effect.swarm_key, effect.reason, effect.block_s);
        return;
      case 'deliver': {
        const { node_id, payload_hex } = effect;
        this.deliveries = this.deliveries
          .then(() => this.opts.engine.onCustomMsg(node_id, payload_hex))
          .catch((e: unknown) => this.opts.log?.(`swarm: engine.onCustomMsg threw: ${String(e)}`));
        return;
      }
      case 'peer_bound': {
        const { node_id, swarm_key, host, port } = effect;
        this.opts.onPeer?.({ node_id, swarm_key, host, port });
        return;
      }
      case 'lightning_connect':
        void this.opts.connectLightning?.(effect.node_id, effect.host, effect.port)?.catch((e: unknown) => this.opts.log?.(`swarm: connect ${effect.node_id} failed: ${String(e)}`));
        return;
      case 'publish_binding':
        this.opts.onBinding?.(effect.statement);
        return;
    }
  }

  private onEvent(ev: SidecarEvent): void {
    switch (ev.event) {
      case 'ready':
        this.apply({ kind: 'sidecar_restarted' });
        this.renewBindingIfDue();
        return;
      case 'peer_up':
        this.apply({ kind: 'peer_up', swarm_key: ev.public_key, host: ev.host, port: ev.port });
        return;
      case 'peer_down':
        this.apply({ kind: 'peer_down', swarm_key: ev.public_key });
        return;
      case 'frame':
        this.apply({ kind: 'frame', swarm_key: ev.public_key, bytes: Buffer.from(ev.data, 'base64') });
        return;
      case 'error':
        this.opts.log?.(`swarm sidecar error ${ev.code}: ${ev.message}`);
        return;
      default:
        return;
    }
  }

  private onClientStatus(st: SwarmClientStatus): void {
    if (st.state === 'down') {
      this.opts.log?.(`swarm sidecar down (${st.reason}); restart in ${st.restart_in_ms} ms`);
      this.apply({ kind: 'sidecar_restarted' });
    }
    this.report(st.state === 'stopped');
  }

  /** Sign a new binding when the sidecar's key changed or ours nears expiry. */
  private renewBindingIfDue(): void {
    const key = this.client.publicKey;
    const now_s = Math.floor(this.nowMs() / 1000);
    if (key === null || this.signing || !bindingNeedsRenewal(this.gate.local, key, now_s, this.gate.config.limits)) return;
    this.signing = true;
    const fields = nextBindingFields(this.gate.local, { hive_id: this.opts.hive_id, node_id: this.opts.node_id, swarm_key: key }, now_s, this.gate.config.limits);
    void this.opts
      .signText(bindingSignedText(fields))
      .then((signature) => {
        if (signature === null) this.opts.log?.('swarm: signmessage failed; binding not renewed');
        else if (this.client.publicKey === key) this.apply({ kind: 'local_binding', statement: { ...fields, signature } });
      })
      .finally(() => {
        this.signing = false;
        if (this.client.publicKey !== key) this.renewBindingIfDue();
      });
  }

  private report(stopped = false): void {
    const up = this.client.publicKey !== null;
    let bound_peers = 0;
    for (const conn of this.gate.conns.values()) if (conn.phase === 'bound') bound_peers++;
    const status: SwarmStatus = stopped
      ? { state: 'stopped', status: 'swarm stopped', public_key: null, bound_peers: 0 }
      : { state: up ? 'up' : 'down', status: up ? 'swarm up' : 'degraded: swarm down', public_key: this.client.publicKey, bound_peers };
    const line = JSON.stringify(status);
    if (line === this.lastStatus) return;
    this.lastStatus = line;
    this.opts.onStatus?.(status);
  }
}
