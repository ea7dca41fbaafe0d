/**
 * The Hive engine: implements the daemon's `HiveEngine` (runtime/node/engine.ts) by driving the
 * node's one sans-IO step, `hiveStep` (runtime/core/fleet/hive-node.ts: the handshake machines and
 * the fleet machines over one membership), against the node store, lightningd and the fleet signer.
 *
 * Inbound custom message: decode (not Hive → pass through untouched; malformed → log, drop) →
 * `hiveStep` (handshake types to the handshake machines; the rest through the fleet's admission
 * gate: size, type, freshness, signature, membership) → ALL the step's writes in ONE store
 * transaction → only if that commits, adopt the new state and carry out the effects, each kind
 * through its entry in `EFFECTS` (a table that must name every effect kind): `send` (encode in
 * the effect's framing, `sendcustommsg`), `sign` (node key via lightningd `signmessage`, fed back
 * as `signed`), `admin_sign` (fleet signer, button press), `fetch_facts` / `fetch_member_channels`
 * (listpeers / listpeerchannels, fed back with 32 CSPRNG bytes where a nonce is needed),
 * `setchannel`, events (join waiters, status refresh) and logs.
 *
 * Every step runs synchronously from the current state to the commit, so concurrent inputs never
 * interleave inside a step; effects run afterwards and re-enter as new inputs. Nothing a peer sends
 * can make the engine throw: decoding and machines return values, and each entry point catches and
 * logs anything unexpected. The tick also drains operator decisions (`hivebox approve|reject`) from
 * the store inbox and refreshes what the fleet machines read from the node (local status, public
 * capacities) every `status_interval_s` and after each membership change (every 2 s while a kept
 * GOSSIP waits for its channels); when the members' public channels changed it feeds
 * `facts_changed`, so kept GOSSIP is judged again (core/machines/pending-gossip.ts). Every 10 s it
 * hands each member's channels to the fleet machines (0-fee on channels opened after admission, a
 * fee changed by hand put back) and dials members that are not connected (member-links.ts).
 */
import type { PublicGraphSource } from '../planner/planner-inputs.ts';
import { fleetConfig, hiveNodeState, hiveStep, type HiveNodeEffect, type HiveNodeInput, type HiveNodeState, type HiveNodeStep, publicCapacityIndex, initialFleetState, type FleetCommand, type FleetReject, type NodeFacts } from '../../core/fleet/index.ts';
import { initialHandshakeState, type HandshakeReject } from '../../core/machines/handshake-types.ts';
import { applyWrites, persist, type StoreWrite } from '../../core/machines/membership.ts';
import type { NodeBackend, NodeChannel, Signer } from '../../core/ports.ts';
import type { BindingStatement } from '../../core/swarm/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { isNodeId, toHex, type NodeId } from '../../core/types.ts';
import { memberChannelsOf, membersToDial } from './member-links.ts';
import { UnhandledTypes } from './unhandled-types.ts';
import { decodeHiveHex, encodeHiveMessage, type MsgType, type PayloadInput } from '../../core/wire/index.ts';
import { RpcFailure, type HiveEngine, type LogFn } from '../engine.ts';
import { StepDriver, type EffectTable } from '../driver.ts';
import type { FleetStore } from '../../../services/store/fleet-store.ts';
import { openPlannerStore, type PlannerStore } from '../../../services/store/planner-store.ts';
import type { StoreError } from '../../../services/store/index.ts';
import { Approvals } from './approvals.ts';
import { framingConfigOf, MANIFEST_VERSION, type HiveSettings } from './config.ts';
import type { EngineCore } from './engine-core.ts';
import type { EngineEvent, EngineEventSink } from '../events.ts';
import { JoinWaiters } from './join-waiters.ts';
import { localStatus } from './local-status.ts';
import { PlannerLoop } from '../planner/planner-loop.ts';
import { ChannelMonitor } from './channel-monitor.ts';
import { DEFAULT_PLANNER_SETTINGS, type PlannerSettings } from '../planner/planner-settings.ts';
import type { RandomSource } from '../random.ts';
import { RPC_COMMANDS } from './rpc/index.ts';

/** JSON-RPC "method not found" (the plugin answers it too for names it does not register). */
const METHOD_NOT_FOUND = -32601;

/** Everything the engine is built from. */
export interface HiveEngineDeps {
  /** The Lightning node (lightning-rpc, or simnet's socket). */
  readonly backend: NodeBackend;
  /** The fleet-admin signer (USB HID signer, its simulator, or the software signer). */
  readonly signer: Signer;
  /** The open node store (membership and fleet tables); the engine closes it in `close()`. */
  readonly store: FleetStore;
  readonly settings: HiveSettings;
  /** This node's id (getinfo `id`). */
  readonly our_node_id: NodeId;
  /** Our init features hex (getinfo `our_features.init`), '' when unknown. */
  readonly our_features_hex: string;
  /** Clock, unix ms. */
  readonly now_ms: () => number;
  readonly random: RandomSource;
  readonly log: LogFn;
  /** Observer of engine events (demo output, tests). */
  readonly onEvent?: EngineEventSink;
  /** The planner's store (the node store file; default: in memory) and `[planner]` settings (default: defaults). */
  readonly planner?: { readonly store: PlannerStore; readonly settings: PlannerSettings; readonly publicGraph?: PublicGraphSource };
  /**
   * Our current swarm binding statement (issue 10 §2; runtime/node/swarm/swarm-link.ts), or null while
   * there is none. The GOSSIP we send carries it as `hivebox_swarm_binding`. Absent: swarm off.
   */
  readonly swarmBinding?: () => BindingStatement | null;
}

/** The effect table: every effect kind the node step can return names its handler here. */
const EFFECTS: EffectTable<HiveNodeEffect, HiveboxEngine, Promise<void>> = {
  persist: async () => {},
  persist_fleet: async () => {},
  send: async (engine, e) => {
    await engine.sendMessage(e.peer_id, e.type, engine.withSwarmBinding(e.type, e.payload), e.framing);
  },
  sign: async (engine, e) => {
    const r = await engine.deps.backend.signmessage(e.text);
    engine.emit({ kind: 'node_signed', purpose: e.purpose, ok: r.ok });
    await engine.input({ kind: 'signed', request_id: e.request_id, result: r.ok ? { ok: true, zbase: r.value.zbase } : { ok: false, reason: `signmessage: ${r.error.message}` } });
  },
  admin_sign: async (engine, e) => {
    const r = await engine.core.approvals.sign(e.text, 'revoke', e.summary);
    await engine.input({ kind: 'signed', request_id: e.request_id, result: r.ok ? { ok: true, zbase: r.value.zbase } : { ok: false, reason: r.error.kind } });
  },
  fetch_facts: async (engine, e) => {
    const facts = await engine.peerFacts(e.peer_id);
    engine.emit({ kind: 'peer_facts', peer_id: e.peer_id, features_hex: facts?.features_hex ?? null, channel_states: facts?.channel_states ?? [] });
    await engine.input({ kind: 'peer_facts', request_id: e.request_id, peer_id: e.peer_id, facts, nonce_bytes: engine.deps.random(32) });
  },
  fetch_member_channels: async (engine, e) => {
    const r = await engine.deps.backend.listpeerchannels(e.peer_id);
    if (!r.ok) {
      engine.deps.log('warn', 'member_channels_unavailable', { peer_id: e.peer_id, error: r.error.message });
      return;
    }
    await engine.input({ kind: 'member_channels', peer_id: e.peer_id, channels: memberChannelsOf(r.value, e.peer_id) });
  },
  setchannel: async (engine, e) => {
    const r = await engine.deps.backend.setchannel({ id: e.scid, feebase: e.feebase_msat, feeppm: e.feeppm });
    engine.deps.log(r.ok ? 'info' : 'warn', 'setchannel', { peer_id: e.peer_id, scid: e.scid, feebase_msat: e.feebase_msat, feeppm: e.feeppm, ...(r.ok ? {} : { error: r.error.message }) });
  },
  ban_peer_apply: async (engine, e) => {
    engine.ignored.set(e.node_id, { ban_id: e.ban_id, reason: e.reason, reporter_id: e.reporter_id });
    engine.emit({ kind: 'fleet_event', name: 'peer_ignored', fields: { node_id: e.node_id, reason: e.reason, reporter_id: e.reporter_id } });
  },
  execute_intent: (engine, e) => engine.planner.executeIntent(e),
  event: (engine, e) => engine.onMachineEvent(e),
  log: async (engine, e) => {
    engine.deps.log(e.level, e.event, { ...(e.peer_id ? { peer_id: e.peer_id } : {}), ...(e.reason ? { reason: e.reason } : {}), ...e.fields });
  },
};

/** Seconds between graph re-reads while a kept GOSSIP waits for its channels to be announced. */
const PENDING_REFRESH_S = 2;
/** Seconds between checks of the members' channels (0-fee) and connections (re-dial). */
const MEMBER_LINKS_CHECK_S = 10;
/** Seconds between two dials of the same unreachable member. */
const MEMBER_REDIAL_S = 60;

/** The engine. Build it with `hiveEngineFactory` (engine-factory.ts) or directly from deps. */
export class HiveboxEngine implements HiveEngine {
  /** The engine surface the `hive-*` commands use. */
  readonly core: EngineCore;
  /** The planner loop (runtime/node/planner/planner-loop.ts), ticked after the fleet. */
  readonly planner: PlannerLoop;
  /** Channel health and liquidity alerts (spec 004), read on the tick. */
  readonly channels: ChannelMonitor;
  private readonly plannerStore: PlannerStore;
  /** External peers on the fleet's global ignore list (HIVE_BAN_PEER), by node id; loaded from the store's `peer_bans`. */
  readonly ignored = new Map<string, { ban_id: string; reason: string; reporter_id: string }>();
  /** step → one store transaction → adopt → EFFECTS (runtime/node/driver.ts). */
  private readonly driver: StepDriver<HiveNodeState, HiveNodeEffect, HandshakeReject | FleetReject, StoreError, HiveboxEngine, Promise<void>>;
  private facts: NodeFacts = publicCapacityIndex([]);
  private refreshedAt: number | null = null;
  private linksCheckedAt: number | null = null;
  /** Hive types peers send that we do not implement (unhandled-types.ts). */
  private readonly unhandled = new UnhandledTypes();
  /** Unix seconds of the last dial per member (member-links.ts). */
  private readonly dialedAt = new Map<string, number>();
  /** The members' public channels at the last refresh (a change re-checks kept GOSSIP). */
  private graphKey = '';
  private refreshTail: Promise<void> = Promise.resolve();
  private closed = false;
  /** Open `command()` calls: each collects the local refusals of the chain it started. */
  private readonly collectors = new Set<(HandshakeReject | FleetReject)[]>();

  constructor(readonly deps: HiveEngineDeps) {
    const config = fleetConfig({
      our_node_id: deps.our_node_id,
      max_members: deps.settings.max_members,
      anti_entropy_interval_s: deps.settings.anti_entropy_interval_s,
      auto_vouch: deps.settings.auto_vouch,
      probation_s: deps.settings.probation_days * 86_400,
    });
    if (!config.ok) throw new Error(`fleet config: ${config.error.field} ${config.error.reason}`);
    const loaded = deps.store.load();
    const handshake = initialHandshakeState(
      { our_node_id: deps.our_node_id, our_version: MANIFEST_VERSION, framing: framingConfigOf(deps.settings), accept_clhive_channel_join: deps.settings.accept_clhive_channel_join, max_members: deps.settings.max_members },
      loaded.membership,
    );
    this.driver = new StepDriver(hiveNodeState(handshake, initialFleetState(config.value, loaded.membership, loaded.tables)), (effects) => deps.store.commit(effects), EFFECTS, this as HiveboxEngine);
    for (const b of loaded.tables.peer_bans.values()) this.ignored.set(b.peer_id, { ban_id: b.ban_id, reason: b.reason, reporter_id: b.reporter_id });
    const emit = (e: EngineEvent) => this.emit(e);
    this.plannerStore = deps.planner?.store ?? plannerMemoryStore();
    this.planner = new PlannerLoop(
      {
        backend: deps.backend,
        our_node_id: deps.our_node_id,
        random: deps.random,
        log: deps.log,
        now: () => this.now(),
        state: () => this.hive,
        step: (input) => this.input(input),
        emit,
        configureFleet: (patch) => this.configureFleet(patch),
        ...(deps.planner?.publicGraph ? { publicGraph: deps.planner.publicGraph } : {}),
      },
      this.plannerStore,
      deps.planner?.settings ?? DEFAULT_PLANNER_SETTINGS,
    );
    this.channels = new ChannelMonitor({
      backend: deps.backend,
      log: deps.log,
      now: () => this.now(),
      emit,
      thresholds: () => {
        const c = this.planner.config();
        return { low_below: c.health_low_ratio_below, high_above: c.health_high_ratio_above, window_s: this.planner.settings.health_window_s };
      },
    });
    this.core = {
      our_node_id: deps.our_node_id,
      our_features_hex: deps.our_features_hex,
      settings: deps.settings,
      backend: deps.backend,
      approvals: new Approvals(deps.signer, deps.settings.approval_timeout_s, deps.now_ms, emit),
      joins: new JoinWaiters(),
      log: deps.log,
      random: deps.random,
      now: () => this.now(),
      state: () => this.hive,
      step: (input) => this.input(input),
      command: (cmd) => this.command(cmd),
      applyMembership: (writes) => this.applyMembership(writes),
      ignoredPeers: () => this.ignoredPeers(),
      unhandledTypes: () => this.unhandled.view(),
      emit,
      planner: this.planner,
      channels: this.channels,
    };
  }

  /** The node's state (handshake and fleet over one membership); for status views and tests. */
  get state(): HiveNodeState {
    return this.driver.state;
  }

  private get hive(): HiveNodeState {
    return this.driver.state;
  }

  async onCustomMsg(peerId: string, payloadHex: string): Promise<void> {
    await this.guarded('engine_custommsg_failed', () => this.receive(peerId, payloadHex));
  }

  async onPeerConnected(peerId: string): Promise<void> {
    await this.guarded('engine_connect_failed', () => this.input({ kind: 'peer_connected', peer_id: peerId }));
  }

  async onPeerDisconnected(peerId: string): Promise<void> {
    await this.guarded('engine_disconnect_failed', () => this.input({ kind: 'peer_disconnected', peer_id: peerId }));
  }

  async onTick(): Promise<void> {
    await this.guarded('engine_tick_failed', async () => {
      for (const d of this.deps.store.takeDecisions()) await this.input({ kind: 'operator_decision', action_id: d.action_id, decision: d.decision, reason: d.reason });
      const since = this.refreshedAt === null ? Infinity : this.now() - this.refreshedAt;
      // A GOSSIP waiting for its channels to reach our lightningd's graph is re-checked every
      // PENDING_REFRESH_S instead of every status interval.
      const waiting = [...this.hive.fleet.pending_gossip.values()].some((p) => p.reason === 'capacity_unverified');
      const due = since >= this.deps.settings.status_interval_s || (waiting && since >= PENDING_REFRESH_S);
      if (due) await this.refreshNodeView();
      if (this.linksCheckedAt === null || this.now() - this.linksCheckedAt >= MEMBER_LINKS_CHECK_S) await this.checkMemberLinks();
      await this.input({ kind: 'tick', entropy: this.deps.random(16) });
    });
    await this.guarded('planner_tick_failed', () => this.planner.tick());
    await this.guarded('channel_health_failed', () => this.channels.tick());
  }

  /** True when `peerId` is a member of this node's hive (the daemon's inbound budgets use the member class). */
  isMember(peerId: string): boolean {
    return this.core.state().fleet.membership.members.has(peerId as NodeId);
  }

  /** The members' node ids (the daemon pushes them to the plugin with the inbound budgets). */
  memberIds(): readonly string[] {
    return [...this.core.state().fleet.membership.members.keys()];
  }

  /** External peers on the fleet's global ignore list (kept in the store's `peer_bans`, so they survive restarts). */
  ignoredPeers(): readonly string[] {
    return [...this.ignored.keys()];
  }

  async rpc(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (!Object.hasOwn(RPC_COMMANDS, method)) throw new RpcFailure(METHOD_NOT_FOUND, `Unknown command '${method}'`);
    return RPC_COMMANDS[method as keyof typeof RPC_COMMANDS](this.core, params);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.refreshTail;
    this.deps.store.close();
    this.plannerStore.close();
  }

  // ---- inbound ------------------------------------------------------------------------------

  private async receive(peerId: string, payloadHex: string): Promise<void> {
    if (!isNodeId(peerId)) {
      this.deps.log('warn', 'custommsg_bad_peer_id', { peer_id: peerId.slice(0, 80) });
      return;
    }
    const decoded = decodeHiveHex(payloadHex);
    if (decoded.kind === 'not_hive') {
      this.deps.log('debug', 'custommsg_passthrough', { peer_id: peerId, reason: decoded.reason });
      return;
    }
    if (decoded.kind === 'malformed' && decoded.error.kind === 'unknown_type') {
      this.noteUnhandled('unknown_type', peerId, decoded.error.detail);
      return;
    }
    if (decoded.kind === 'malformed') {
      this.emit({ kind: 'dropped', peer_id: peerId, reason: decoded.error.kind, ...(decoded.type ? { type: decoded.type } : {}), detail: decoded.error.detail });
      return;
    }
    this.emit({ kind: 'received', peer_id: peerId, type: decoded.message.type, framing: decoded.message.framing });
    const r = await this.input({ kind: 'message', peer_id: peerId, message: decoded });
    const m = decoded.message;
    if (r.ok && r.value === null && m.type === 'GOSSIP' && m.payload.hivebox_swarm_binding !== undefined) {
      this.emit({ kind: 'swarm_binding', sender_id: m.payload.sender_id, statement: m.payload.hivebox_swarm_binding });
    }
  }

  // ---- the driver ---------------------------------------------------------------------------

  /**
   * Run one input: step, commit, adopt, carry out (see the file header).
   * @returns the step's reject (null when accepted), or the store error (then nothing changed).
   * @throws RangeError only for driver misuse (see handshakeStep).
   */
  async input(input: HiveNodeInput): Promise<Result<HandshakeReject | FleetReject | null, StoreError>> {
    return this.apply(hiveStep(this.hive, input, this.now(), this.facts), input.kind, []);
  }

  /** Run an operator command; returns the first local refusal of its whole chain (engine-core.ts). */
  async command(cmd: FleetCommand): Promise<Result<HandshakeReject | FleetReject | null, StoreError>> {
    const seen: (HandshakeReject | FleetReject)[] = [];
    this.collectors.add(seen);
    try {
      const r = await this.input({ kind: 'command', command: cmd });
      return r.ok ? ok(r.value ?? seen[0] ?? null) : r;
    } finally {
      this.collectors.delete(seen);
    }
  }

  private async apply(r: HiveNodeStep, what: string, extra: readonly StoreWrite[]): Promise<Result<HandshakeReject | FleetReject | null, StoreError>> {
    const before = this.hive;
    const adopted = this.driver.adopt(r, persist(...extra));
    if (!adopted.ok) {
      this.deps.log('error', 'store_commit_failed', { input: what, ...adopted.error });
      return err(adopted.error);
    }
    this.bindingsOfKeptGossip(before, r.effects);
    if (r.reject?.reason === 'unhandled_type') this.noteUnhandled(r.reject.msg_type ?? 'unknown_type', r.reject.peer_id ?? '');
    else if (r.reject) {
      const { reason, peer_id, msg_type, fields } = r.reject;
      if (!peer_id) for (const seen of this.collectors) seen.push(r.reject);
      this.emit({ kind: 'rejected', reason, ...(peer_id ? { peer_id } : {}), ...(msg_type ? { type: msg_type } : {}), ...(fields ? { fields } : {}) });
    }
    await this.driver.carryOut(r.effects);
    return ok(r.reject);
  }

  /** A kept GOSSIP taken on a re-check reports its swarm binding, as one taken on arrival does. */
  private bindingsOfKeptGossip(before: HiveNodeState, effects: readonly HiveNodeEffect[]): void {
    for (const e of effects) {
      if (e.kind !== 'log' || e.event !== 'pending_gossip_accepted') continue;
      const kept = before.fleet.pending_gossip.get(String(e.fields?.sender_id) as NodeId)?.outcome;
      const m = kept?.kind === 'message' && kept.message.type === 'GOSSIP' ? kept.message : null;
      if (m?.type === 'GOSSIP' && m.payload.hivebox_swarm_binding !== undefined) this.emit({ kind: 'swarm_binding', sender_id: m.payload.sender_id, statement: m.payload.hivebox_swarm_binding });
    }
  }

  /** Count a message of a type we do not implement; log it once per type and peer, at debug level. */
  private noteUnhandled(type: string, peer_id: string, detail?: string): void {
    if (this.unhandled.note(type, peer_id)) this.deps.log('debug', 'hive_unhandled_type', { type, peer_id, ...(detail ? { detail } : {}), note: 'counted in hive-status; logged once per type and peer' });
  }

  /** Membership writes made outside the machines (genesis): committed with the fleet's reaction to them. */
  private async applyMembership(writes: readonly StoreWrite[]): Promise<Result<void, StoreError>> {
    const membership = applyWrites(this.hive.fleet.membership, writes);
    const r = await this.apply(hiveStep(this.hive, { kind: 'membership', membership }, this.now(), this.facts), 'membership', writes);
    if (!r.ok) return r;
    await this.refreshNodeView();
    return ok(undefined);
  }

  /** Handshake and fleet events. */
  async onMachineEvent(e: Extract<HiveNodeEffect, { kind: 'event' }>): Promise<void> {
    if ('fields' in e) {
      this.emit({ kind: 'fleet_event', name: e.name, fields: e.fields });
      return;
    }
    switch (e.name) {
      case 'member_admitted':
        this.emit({ kind: 'member_admitted', peer_id: e.peer_id, via: e.via });
        await this.refreshNodeView();
        return;
      case 'joined':
        this.emit({ kind: 'joined', hive_id: e.hive_id, member_id: e.member_id });
        this.core.joins.joined(e.hive_id, e.member_id);
        await this.refreshNodeView();
        return;
      case 'join_failed':
        this.emit({ kind: 'join_failed', member_id: e.member_id, reason: e.reason, ...(e.detail ? { detail: e.detail } : {}) });
        this.core.joins.failed(e.member_id, e.reason, e.detail);
        return;
    }
  }

  /** listpeers `features` + listpeerchannels states for `peer_id`; null when lightningd cannot say. */
  async peerFacts(peer_id: string): Promise<{ features_hex: string | null; channel_states: string[] } | null> {
    const [peers, channels] = await Promise.all([this.deps.backend.listpeers(peer_id), this.deps.backend.listpeerchannels(peer_id)]);
    if (!peers.ok || !channels.ok) {
      this.deps.log('warn', 'peer_facts_unavailable', { peer_id, error: (!peers.ok ? peers.error : !channels.ok ? channels.error : null)?.message });
      return null;
    }
    const peer = peers.value.find((p) => p.id === peer_id);
    return {
      features_hex: peer?.connected ? (peer.features ?? null) : null,
      channel_states: channels.value.filter((c) => c.peer_id === peer_id).map((c) => c.state),
    };
  }

  /**
   * Re-read what the fleet machines judge against: the members' public channels (listchannels
   * per member → public capacity index) and our own status (getinfo + listpeerchannels →
   * `local_status`). Refreshes run one after another, each reading the membership as it is when
   * it starts, so a refresh asked for after a membership change always sees the change.
   */
  private refreshNodeView(): Promise<void> {
    this.refreshTail = this.refreshTail.then(() => this.guarded('node_view_refresh_failed', () => this.readNodeView()));
    return this.refreshTail;
  }

  private async readNodeView(): Promise<void> {
    this.refreshedAt = this.now();
    const membership = this.hive.fleet.membership;
    if (!membership.hive || this.closed) return;
    const lists = await Promise.all([...membership.members.keys()].map((id) => this.deps.backend.listchannels({ source: id })));
    const channels: NodeChannel[] = lists.flatMap((l) => (l.ok ? l.value : []));
    this.facts = publicCapacityIndex(channels);
    const graphKey = channels
      .filter((ch) => ch.public)
      .map((ch) => `${ch.short_channel_id}:${ch.amount_msat}`)
      .sort()
      .join(',');
    if (graphKey !== this.graphKey) {
      this.graphKey = graphKey;
      if (this.hive.fleet.pending_gossip.size > 0) await this.input({ kind: 'facts_changed' });
    }
    const [info, own] = await Promise.all([this.deps.backend.getinfo(), this.deps.backend.listpeerchannels()]);
    if (!info.ok || !own.ok) {
      this.deps.log('warn', 'local_status_unavailable', { error: (!info.ok ? info.error : !own.ok ? own.error : null)?.message });
      return;
    }
    await this.input({ kind: 'local_status', status: localStatus(info.value, own.value, new Set(membership.members.keys())) });
  }

  /**
   * Every member's channels to the fleet machines (0-fee on channels opened after admission, a fee
   * changed by hand put back), and a dial of each member that is not connected (member-links.ts).
   */
  private async checkMemberLinks(): Promise<void> {
    this.linksCheckedAt = this.now();
    const fleet = this.hive.fleet;
    const us = this.deps.our_node_id;
    if (!fleet.membership.hive || !fleet.membership.members.has(us as NodeId)) return;
    const [channels, peers] = await Promise.all([this.deps.backend.listpeerchannels(), this.deps.backend.listpeers()]);
    if (channels.ok) {
      for (const id of fleet.membership.members.keys()) {
        const mine = id === us ? [] : memberChannelsOf(channels.value, id);
        if (mine.length > 0) await this.input({ kind: 'member_channels', peer_id: id, channels: mine });
      }
    }
    if (!peers.ok) return;
    const connected = new Set(peers.value.filter((p) => p.connected).map((p) => p.id));
    const members = [...fleet.membership.members.values()].map((m) => ({ node_id: m.node_id, addresses: m.addresses.length ? m.addresses : (fleet.tables.states.get(m.node_id)?.addresses ?? []) }));
    for (const t of membersToDial(members, us, connected, this.dialedAt, this.now(), MEMBER_REDIAL_S)) {
      this.dialedAt.set(t.node_id, this.now());
      const r = await this.deps.backend.connect(t.node_id, t.host, t.port);
      this.deps.log(r.ok ? 'info' : 'debug', 'member_redial', { peer_id: t.node_id, host: t.host, port: t.port, ...(r.ok ? {} : { error: r.error.message }) });
    }
  }

  // ---- outbound -----------------------------------------------------------------------------

  /**
   * `payload` with our swarm binding as `hivebox_swarm_binding` when it is our own GOSSIP and a
   * binding exists (issue 10 §2). Added after signing: the GOSSIP signing string does not cover it.
   */
  withSwarmBinding(type: MsgType, payload: PayloadInput): PayloadInput {
    const st = type === 'GOSSIP' && payload.sender_id === this.deps.our_node_id ? (this.deps.swarmBinding?.() ?? null) : null;
    if (st === null) return payload;
    const { hive_id, node_id, swarm_key, issued_at, expires_at, signature } = st;
    return { ...payload, hivebox_swarm_binding: { hive_id, node_id, swarm_key, issued_at, expires_at, signature } };
  }

  /** Encode and `sendcustommsg`; false when it could not be encoded or lightningd refused it. */
  async sendMessage(peer_id: string, type: Parameters<typeof encodeHiveMessage>[0], payload: Parameters<typeof encodeHiveMessage>[1], framing: 'spec' | 'clhive'): Promise<boolean> {
    const bytes = encodeHiveMessage(type, payload, framing);
    if (!bytes.ok) {
      this.deps.log('error', 'encode_failed', { peer_id, type, ...bytes.error });
      return false;
    }
    this.emit({ kind: 'sent', peer_id, type, framing });
    const r = await this.deps.backend.sendcustommsg(peer_id, toHex(bytes.value));
    if (!r.ok) this.emit({ kind: 'send_failed', peer_id, type, error: r.error.message });
    return r.ok;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private async guarded(event: string, body: () => Promise<unknown>): Promise<void> {
    try {
      await body();
    } catch (e) {
      this.deps.log('error', event, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Align the fleet machines' planner settings with the planner loop's (not persisted: the loop re-applies them at start). */
  private configureFleet(patch: { readonly planner_enable_expansions: boolean; readonly planner_interval_s: number }): void {
    const config = fleetConfig({ ...this.hive.fleet.config, ...patch });
    if (!config.ok) {
      this.deps.log('error', 'fleet_config_refused', { field: config.error.field, reason: config.error.reason });
      return;
    }
    this.driver.reconfigure((s) => ({ ...s, fleet: { ...s.fleet, config: config.value } }));
  }

  private now(): number {
    return Math.floor(this.deps.now_ms() / 1000);
  }

  /** Report an event: the daemon log, then the observer (whose faults are ignored). */
  emit(e: EngineEvent): void {
    // A non-member's undecodable message is noise anyone can send at will: debug, not a warning per message.
    const foreignJunk = e.kind === 'dropped' && !this.isMember(e.peer_id);
    const level = foreignJunk || e.kind === 'swarm_binding' || e.kind === 'received' ? 'debug' : e.kind === 'dropped' || e.kind === 'rejected' || e.kind === 'send_failed' ? 'warn' : 'info';
    const { kind, ...fields } = e;
    this.deps.log(level, `hive_${kind}`, fields);
    try {
      this.deps.onEvent?.(e);
    } catch {
      // An observer's fault must not disturb the engine.
    }
  }
}

/** A throwaway planner store for engines built without one (tests that need no planner durability). */
function plannerMemoryStore(): PlannerStore {
  const s = openPlannerStore(':memory:', 0);
  if (!s.ok) throw new Error(`cannot open an in-memory planner store: ${s.error.kind}`);
  return s.value;
}
