/**
 * A deterministic in-process fleet of N Hivebox nodes on a fake clock with seeded randomness
 * (style-anchors.md "tests/sim"; LDK `create_network`, libp2p `transport-memory`). Each node has
 * its own node key, its own SQLite store file (WAL) in a temp dir and a `FleetState`; each node is
 * driven by the daemon's own driver (runtime/node/driver.ts `StepDriver`, as the Hive engine uses
 * it): `hiveStep` → commit all persist effects in one store transaction → adopt → carry out the
 * rest through an effect table, here `SIM_EFFECTS` over in-memory ports (the message queue, the
 * simulated signer and channels) instead of lightningd.
 *
 * What stands in for what (CLN v26.06):
 * - `send`: `encodeHiveMessage` → bytes queued with a seeded 20–120 ms latency (in order per
 *   link, as over one BOLT 8 connection) → the receiver's
 *   step gets the raw bytes (the real codec both ways), as `sendcustommsg` → BOLT 8 → `custommsg`;
 *   a cut link or a down node drops the bytes, like a failed `sendcustommsg`.
 * - `sign`: lightningd `signmessage` with the node key; `admin_sign`: the fleet admin signer
 *   (software key, button approved unless `adminApproves` is false).
 * - `fetch_facts`: `listpeers` features (all optional bits) and `listpeerchannels` states of the peer.
 * - `fetch_member_channels` / `setchannel`: `listpeerchannels` / `setchannel` over the node's
 *   channel fee table (initial policy 1000 msat + 100 ppm).
 * - `execute_intent`: `fundchannel` succeeding; `ban_peer_apply`: the plugin's refuse-list.
 * - `NodeFacts`: `listchannels` of the simulated graph (tests/sim/network.ts).
 * Signature results are fed back after the current step's effects (lightningd answers later).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { fleetConfig, type FleetConfig } from '../../runtime/core/fleet/config.ts';
import { currentFleetHash } from '../../runtime/core/machines/gossip.ts';
import { currentMembershipHash } from '../../runtime/core/machines/state-sync.ts';
import { publicCapacityIndex } from '../../runtime/core/fleet/public-capacity.ts';
import { hiveNodeState, hiveStep, type HiveNodeEffect, type HiveNodeInput, type HiveNodeState, type HiveNodeStep } from '../../runtime/core/fleet/hive-node.ts';
import { initialFleetState } from '../../runtime/core/fleet/state.ts';
import type { FleetState, LocalStatus, NodeFacts } from '../../runtime/core/fleet/types.ts';
import { initialHandshakeState } from '../../runtime/core/machines/handshake-types.ts';
import type { StoreWrite, Tier } from '../../runtime/core/machines/membership.ts';
import { DEFAULT_FRAMING_CONFIG } from '../../runtime/core/wire/framing-choice.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import type { MsgType } from '../../runtime/core/wire/message-types.ts';
import { openFleetStore, type FleetStore } from '../../services/store/fleet-store.ts';
import { ALL_FEATURES_HEX } from '../handshake/pair.ts';
import { ADMIN_ID, ADMIN_SK, HIVE_ID } from '../ticket/fixtures.ts';
import { buildNetwork, type SimKey, type SimNetwork } from './network.ts';
import { SeededRng } from './rng.ts';
import { selectCrypto } from '../../services/secp256k1/select.ts';
import type { StoreError } from '../../services/store/index.ts';
import { StepDriver, type EffectTable } from '../../runtime/node/driver.ts';

// The simulated nodes check signatures with what a daemon selects at start-up (libsecp256k1 where installed).
selectCrypto();

/** Sim start time (unix s). */
export const SIM_T0 = 1_760_000_000;

/** Options of a simulated fleet. */
export interface SimOptions {
  readonly seed?: number;
  /** Tier per node index (default: all `member`). */
  readonly tiers?: readonly Tier[];
  readonly config?: Partial<FleetConfig>;
  /** One-way latency range in ms. */
  readonly latency_ms?: readonly [number, number];
  /** Nodes that are not in the hive at all (index list): outsiders for attack tests. */
  readonly outsiders?: readonly number[];
  /** Public channels to outside nodes per member, [min, max] (default [2, 2]; realistic: [50, 150]). */
  readonly externals?: readonly [number, number];
}

/** The simulated node's effect table: lightningd and the fleet signer as in-memory ports of the sim. */
const SIM_EFFECTS: EffectTable<HiveNodeEffect, SimNode, void> = {
  send: (node, e) => node.sim.transmit(node, e),
  sign: (node, e) => node.sim.answer(node, { kind: 'signed', request_id: e.request_id, result: { ok: true, zbase: signMessage(e.text, node.key.sk) } }),
  admin_sign: (node, e) => {
    const approved = node.adminApproves && e.admin_pubkey === ADMIN_ID;
    const result = approved ? { ok: true as const, zbase: signMessage(e.text, ADMIN_SK) } : { ok: false as const, reason: 'ApprovalRejected' };
    node.sim.answer(node, { kind: 'signed', request_id: e.request_id, result });
  },
  fetch_member_channels: (node, e) => {
    const channels = node.sim.net.links
      .filter((l) => (l.a === node.node_id && l.b === e.peer_id) || (l.b === node.node_id && l.a === e.peer_id))
      .map((l) => ({ scid: l.scid, fee_base_msat: node.fees.get(l.scid)?.base ?? 1000, fee_ppm: node.fees.get(l.scid)?.ppm ?? 100 }));
    node.sim.answer(node, { kind: 'member_channels', peer_id: e.peer_id, channels });
  },
  fetch_facts: (node, e) => {
    const peer = node.sim.byId.get(e.peer_id);
    const channel = node.sim.net.links.some((l) => (l.a === node.node_id && l.b === e.peer_id) || (l.b === node.node_id && l.a === e.peer_id));
    const facts = peer?.up ? { features_hex: ALL_FEATURES_HEX, channel_states: channel ? ['CHANNELD_NORMAL'] : [] } : null;
    node.sim.answer(node, { kind: 'peer_facts', request_id: e.request_id, peer_id: e.peer_id, facts, nonce_bytes: node.sim.rng.bytes(32) });
  },
  setchannel: (node, e) => void node.fees.set(e.scid, { base: e.feebase_msat, ppm: e.feeppm }),
  ban_peer_apply: (node, e) => void node.ignored.add(e.node_id),
  execute_intent: (node, e) => {
    node.executed.push(e);
    node.sim.answer(node, { kind: 'intent_result', intent_id: e.intent_id, ok: true });
  },
  event: (node, e) => void node.events.push(e),
  log: (node, e) => void node.logs.push(e),
  persist: () => {},
  persist_fleet: () => {},
};

/** One simulated node. */
export class SimNode {
  /** The daemon's driver over this node's state, store and `SIM_EFFECTS`. */
  driver!: StepDriver<HiveNodeState, HiveNodeEffect, NonNullable<HiveNodeStep['reject']>, StoreError, SimNode, void>;
  store!: FleetStore;
  up = true;
  adminApproves = true;
  readonly rejects: NonNullable<HiveNodeStep['reject']>[] = [];
  readonly events: Extract<HiveNodeEffect, { kind: 'event' }>[] = [];
  readonly logs: Extract<HiveNodeEffect, { kind: 'log' }>[] = [];
  /** scid → the policy `setchannel` last set. */
  readonly fees = new Map<string, { base: number; ppm: number }>();
  readonly ignored = new Set<string>();
  readonly executed: Extract<HiveNodeEffect, { kind: 'execute_intent' }>[] = [];
  status: LocalStatus;

  constructor(
    readonly sim: FleetSim,
    readonly index: number,
    readonly key: SimKey,
    readonly dbPath: string,
    readonly config: FleetConfig,
    status: LocalStatus,
  ) {
    this.status = status;
  }

  get node_id(): NodeId {
    return this.key.node_id;
  }

  /** The node's state (handshake and fleet), as the driver last adopted it. */
  get hive(): HiveNodeState {
    return this.driver.state;
  }

  /** The fleet engine's state. */
  get state(): FleetState {
    return this.hive.fleet;
  }

  /** (Re)open the store and load both machines' state from it, as the daemon does at start-up. */
  open(now: number): void {
    const s = openFleetStore(this.dbPath, now);
    if (!s.ok) throw new Error(JSON.stringify(s.error));
    this.store = s.value;
    const loaded = this.store.load();
    const fleet = initialFleetState(this.config, loaded.membership, loaded.tables);
    const handshake = initialHandshakeState({ our_node_id: this.node_id, our_version: 'hivebox v0.1.0', accept_clhive_channel_join: false, framing: DEFAULT_FRAMING_CONFIG, max_members: this.config.max_members }, loaded.membership);
    this.driver = new StepDriver(hiveNodeState(handshake, fleet), (effects) => this.store.commit(effects), SIM_EFFECTS, this as SimNode);
  }
}

interface InFlight {
  readonly at_ms: number;
  readonly seq: number;
  readonly from: SimNode;
  readonly to: SimNode;
  readonly bytes: Uint8Array;
}

/** Message counters. */
export interface SimStats {
  sent: number;
  delivered: number;
  dropped: number;
  bytes: number;
  readonly byType: Map<string, number>;
}

/** N nodes, the message queue between them, the clock and the randomness. */
export class FleetSim {
  readonly nodes: SimNode[] = [];
  readonly byId = new Map<string, SimNode>();
  readonly facts: NodeFacts;
  readonly rng: SeededRng;
  readonly stats: SimStats = { sent: 0, delivered: 0, dropped: 0, bytes: 0, byType: new Map() };
  now_ms = SIM_T0 * 1000;
  private queue: InFlight[] = [];
  private seq = 0;
  private readonly work: [SimNode, HiveNodeInput][] = [];
  private draining = false;
  private readonly cuts = new Set<string>();
  /**
   * One-shot rules on the next message `from` sends `to` of `type`: lost (`delay_ms` null) or held
   * `delay_ms` longer (the link behind it waits); the first message a rule matches uses it up.
   */
  private readonly nextRules: { readonly from: SimNode; readonly to: SimNode; readonly type: MsgType; readonly delay_ms: number | null }[] = [];
  /** Last delivery time per directed link: a BOLT 8 connection delivers in order (TCP). */
  private readonly linkClock = new Map<string, number>();
  private readonly dir: string;

  private constructor(
    readonly net: SimNetwork,
    readonly opts: SimOptions,
  ) {
    this.rng = new SeededRng((opts.seed ?? 1) * 7919);
    this.facts = publicCapacityIndex(net.channels);
    this.dir = mkdtempSync(join(tmpdir(), 'hivebox-sim-'));
  }

  /** A fleet of `n` nodes whose stores already hold the hive and its members (as after the joins). */
  static create(n: number, opts: SimOptions = {}): FleetSim {
    const sim = new FleetSim(buildNetwork(n, opts.seed ?? 1, opts.externals), opts);
    const outsiders = new Set(opts.outsiders ?? []);
    const inHive = sim.net.keys.filter((_, i) => !outsiders.has(i));
    sim.net.keys.forEach((key, i) => {
      const cfg = fleetConfig({ our_node_id: key.node_id, ...opts.config });
      if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
      const node = new SimNode(sim, i, key, join(sim.dir, `node-${i}.sqlite`), cfg.value, sim.statusFor(key.node_id));
      node.open(sim.now);
      sim.nodes.push(node);
      if (!outsiders.has(i)) sim.seedMembership(node, inHive);
      sim.byId.set(key.node_id, node);
    });
    return sim;
  }

  /** Write the hive, the admin key and `members` into `node`'s store (as after its join) and reload. */
  seedMembership(node: SimNode, members: readonly SimKey[]): void {
    const tierOf = (k: SimKey) => this.opts.tiers?.[this.net.keys.indexOf(k)] ?? 'member';
    const writes: StoreWrite[] = [
      { op: 'put_hive', hive: { hive_id: HIVE_ID, created_at: SIM_T0, our_node_id: node.node_id, our_role: tierOf(node.key) } },
      { op: 'put_trusted_admin', admin: { admin_pubkey: ADMIN_ID, added_at: SIM_T0 } },
      ...members.map((k): StoreWrite => ({ op: 'put_member', member: { node_id: k.node_id, tier: tierOf(k), joined_at: SIM_T0, addresses: [] } })),
    ];
    if (!node.store.membership.applyWrites(writes).ok) throw new Error('seed failed');
    node.store.close();
    node.open(this.now);
  }

  /** Unix seconds. */
  get now(): number {
    return Math.floor(this.now_ms / 1000);
  }

  /** The status a node reports: its member channels, its external peers, cl-hive's fixed fee policy. */
  statusFor(id: NodeId): LocalStatus {
    const capacity = this.net.links.filter((l) => l.a === id || l.b === id).reduce((s, l) => s + l.capacity_sats, 0);
    return {
      capacity_sats: capacity,
      available_sats: Math.floor(capacity / 2),
      fee_policy: { base_fee: 0, fee_rate: 0, min_htlc: 0, max_htlc: 0, cltv_delta: 40 },
      topology: [...(this.net.externals.get(id) ?? [])],
      addresses: [`10.0.${this.net.keys.findIndex((k) => k.node_id === id)}.1:9735`],
      capabilities: [],
    };
  }

  /** Run one input through `node` like the daemon does, then everything that follows (not deliveries). */
  input(node: SimNode, input: HiveNodeInput): void {
    this.work.push([node, input]);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.work.length) {
        const [n, i] = this.work.shift()!;
        this.step(n, i);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Report `node`'s status (optionally changed) to its fleet engine. */
  publish(node: SimNode, patch: Partial<LocalStatus> = {}): void {
    node.status = { ...node.status, ...patch };
    this.input(node, { kind: 'local_status', status: node.status });
  }

  /** Every up node reports its status. */
  publishAll(): void {
    for (const n of this.nodes) if (n.up) this.publish(n);
  }

  private step(node: SimNode, input: HiveNodeInput): void {
    if (!node.up) return;
    const r = hiveStep(node.hive, input, this.now, this.facts);
    const adopted = node.driver.adopt(r);
    if (!adopted.ok) throw new Error(`store commit failed on node ${node.index}: ${JSON.stringify(adopted.error)}`);
    if (adopted.value) node.rejects.push(adopted.value);
    node.driver.carryOut(r.effects);
  }

  /** A node's port answers (lightningd, the signer): the input runs after the current step's effects, as lightningd answers later. */
  answer(node: SimNode, input: HiveNodeInput): void {
    this.work.push([node, input]);
  }

  /** `sendcustommsg`: encode, then queue the bytes with a seeded latency, in order per link; a cut link or a down node drops them. */
  transmit(node: SimNode, e: Extract<HiveNodeEffect, { kind: 'send' }>): void {
    const enc = encodeHiveMessage(e.type, e.payload, e.framing);
    if (!enc.ok) throw new Error(`node ${node.index} built an invalid ${e.type}: ${JSON.stringify(enc.error)}`);
    const to = this.byId.get(e.peer_id);
    this.stats.sent++;
    this.stats.byType.set(e.type, (this.stats.byType.get(e.type) ?? 0) + 1);
    this.stats.bytes += enc.value.length;
    const reachable = to !== undefined && to.up && !this.isCut(node, to);
    const rule = reachable ? this.takeRule(node, to, e.type) : null;
    if (!reachable || rule?.delay_ms === null) {
      this.stats.dropped++;
      return;
    }
    const [lo, hi] = this.opts.latency_ms ?? [20, 120];
    const link = `${node.index}|${to.index}`;
    const at_ms = Math.max(this.now_ms + this.rng.int(lo, hi) + (rule?.delay_ms ?? 0), this.linkClock.get(link) ?? 0);
    this.linkClock.set(link, at_ms);
    this.enqueue({ at_ms, seq: this.seq++, from: node, to, bytes: enc.value });
  }

  /** Insert keeping the queue ordered by (at_ms, seq). */
  private enqueue(m: InFlight): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid]!;
      if (q.at_ms < m.at_ms || (q.at_ms === m.at_ms && q.seq < m.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, m);
  }

  /** Deliver queued messages due by `until_ms` (default: everything), in time order. */
  deliver(until_ms = Number.POSITIVE_INFINITY): void {
    while (this.queue.length && this.queue[0]!.at_ms <= until_ms) {
      const m = this.queue.shift()!;
      this.now_ms = Math.max(this.now_ms, m.at_ms);
      if (!m.to.up || this.isCut(m.from, m.to)) {
        this.stats.dropped++;
        continue;
      }
      this.stats.delivered++;
      this.input(m.to, { kind: 'message', peer_id: m.from.node_id, message: m.bytes });
    }
  }

  /**
   * Deliver queued messages one by one until `done()` holds or nothing is left.
   * @returns the sim time (ms) when `done()` first held, or null.
   */
  deliverUntil(done: () => boolean): number | null {
    while (!done()) {
      const next = this.queue[0];
      if (!next) return null;
      this.deliver(next.at_ms);
    }
    return this.now_ms;
  }

  /** Let `seconds` pass: deliver messages as they come due and tick every up node every `tick_s`. */
  advance(seconds: number, tick_s = 5): void {
    const end = this.now_ms + seconds * 1000;
    while (this.now_ms < end) {
      const next = Math.min(end, this.now_ms + tick_s * 1000);
      this.deliver(next);
      this.now_ms = next;
      for (const n of this.nodes) if (n.up) this.input(n, { kind: 'tick', entropy: this.rng.bytes(16) });
    }
    this.deliver(this.now_ms);
  }

  /**
   * Deliver messages as they come due and tick every up node every `tick_s`, until nothing is in
   * flight (the fleet is quiet).
   * @returns the simulated ms that took (the last delivery's time minus the start).
   * @throws Error when a message is still due after `deadline_s` simulated seconds.
   */
  settle(deadline_s: number, tick_s = 5): number {
    const start_ms = this.now_ms;
    let tick_ms = start_ms + tick_s * 1000;
    while (this.queue.length) {
      const due_ms = this.queue[0]!.at_ms;
      if (due_ms > start_ms + deadline_s * 1000) throw new Error(`not quiet after ${deadline_s} simulated s: ${this.queue.length} messages in flight`);
      if (due_ms < tick_ms) {
        this.deliver(due_ms);
        continue;
      }
      this.now_ms = tick_ms;
      tick_ms += tick_s * 1000;
      for (const n of this.nodes) if (n.up) this.input(n, { kind: 'tick', entropy: this.rng.bytes(16) });
    }
    return this.now_ms - start_ms;
  }

  /** Messages still in flight. */
  get inFlight(): number {
    return this.queue.length;
  }

  /** Raw bytes from `from` (possibly crafted) to `to`, delivered now. */
  inject(from: SimNode | { node_id: NodeId }, to: SimNode, bytes: Uint8Array): void {
    this.input(to, { kind: 'message', peer_id: from.node_id, message: bytes });
  }

  /** Lose the next message `from` sends `to` of `type` (a dropped custom message, once). */
  loseNext(from: SimNode, to: SimNode, type: MsgType): void {
    this.nextRules.push({ from, to, type, delay_ms: null });
  }

  /** Hold the next message `from` sends `to` of `type` for `ms` more (a slow link; later ones on it queue behind). */
  delayNext(from: SimNode, to: SimNode, type: MsgType, ms: number): void {
    this.nextRules.push({ from, to, type, delay_ms: ms });
  }

  /** The first rule for this message, removed; null when none matches. */
  private takeRule(from: SimNode, to: SimNode, type: MsgType): (typeof this.nextRules)[number] | null {
    const i = this.nextRules.findIndex((r) => r.from === from && r.to === to && r.type === type);
    return i < 0 ? null : this.nextRules.splice(i, 1)[0]!;
  }

  private isCut(a: SimNode, b: SimNode): boolean {
    return this.cuts.has(`${a.index}|${b.index}`);
  }

  /** Cut every link between the two groups (both directions). */
  partition(left: readonly SimNode[], right: readonly SimNode[]): void {
    for (const a of left) for (const b of right) this.cuts.add(`${a.index}|${b.index}`).add(`${b.index}|${a.index}`);
  }

  /** Restore every cut link; both ends get the `connect` notification. */
  heal(): void {
    const pairs = [...this.cuts].map((k) => k.split('|').map(Number) as [number, number]);
    this.cuts.clear();
    for (const [a, b] of pairs) this.input(this.nodes[a]!, { kind: 'peer_connected', peer_id: this.nodes[b]!.node_id });
  }

  /** Stop a node (its in-flight messages to it are dropped on arrival). */
  stop(node: SimNode): void {
    node.up = false;
    node.store.close();
  }

  /** Start a stopped node from its store file, as after a reboot; peers see it connect. */
  restart(node: SimNode): void {
    node.open(this.now);
    node.up = true;
    for (const p of this.nodes) {
      if (p === node || !p.up) continue;
      this.input(p, { kind: 'peer_connected', peer_id: node.node_id });
      this.input(node, { kind: 'peer_connected', peer_id: p.node_id });
    }
  }

  /** True when every up node in the hive holds the same fleet hash and membership hash. */
  converged(nodes: readonly SimNode[] = this.nodes.filter((n) => n.up && n.state.membership.members.has(n.node_id))): boolean {
    const fleet = new Set(nodes.map((n) => currentFleetHash(n.state)));
    const members = new Set(nodes.map((n) => currentMembershipHash(n.state)));
    return fleet.size === 1 && members.size === 1;
  }

  /** Close every store and delete the temp dir. */
  close(): void {
    for (const n of this.nodes) if (n.up) n.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
