/**
 * A deterministic in-process fleet for handshake tests (h11 `ConnectionPair`, LDK
 * `create_network`): each node has a node key, a real SQLite membership store, a HandshakeState
 * and the BOLT 9 features it advertises. Each node runs the daemon's driver (runtime/node/driver.ts
 * `StepDriver`): `handshakeStep`, its persist effects in one store transaction, adopt, and the other
 * effects through `PAIR_EFFECTS` over in-memory ports —
 * messages go through the real codec (encodeHiveMessage → bytes → decodeHiveMessage), `sign`
 * is lightningd's `signmessage` with the node key, `fetch_facts` answers with the peer's
 * features and channel states as CLN's listpeers/listpeerchannels would.
 */
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { genesis } from '../../runtime/core/machines/genesis.ts';
import { handshakeStep } from '../../runtime/core/machines/handshake-step.ts';
import { initialHandshakeState, type HandshakeConfig, type HandshakeEffect, type HandshakeInput, type HandshakeMsgType, type HandshakeReject, type HandshakeState } from '../../runtime/core/machines/handshake-types.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import { decodeHiveMessage, type HiveMessage } from '../../runtime/core/wire/decode.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import { DEFAULT_FRAMING_CONFIG } from '../../runtime/core/wire/framing-choice.ts';
import type { Framing } from '../../runtime/core/wire/framing.ts';
import { openMembershipStore, type MembershipStore, type StoreError } from '../../services/store/index.ts';
import { StepDriver, type EffectTable } from '../../runtime/node/driver.ts';
import { ADMIN_ID, HIVE_ID, T0, nodeIdOf, secretKey } from '../ticket/fixtures.ts';

/** BOLT 9 features hex with the optional bits of splice (63), dual-fund (29), anchors (23), onion messages (39). */
export const ALL_FEATURES_HEX = ((1n << 63n) | (1n << 29n) | (1n << 23n) | (1n << 39n)).toString(16).padStart(16, '0');
/** Only anchors (23). */
export const ANCHORS_ONLY_HEX = (1n << 23n).toString(16).padStart(6, '0');

/** What a node's effects act on: the fleet's message queue, the node key, the peers' facts. */
const PAIR_EFFECTS: EffectTable<HandshakeEffect, SimNode, void> = {
  send: (node, e) => node.fleet.post(node, e.peer_id, Fleet.encode(e.type, e.payload as Record<string, unknown>, e.framing)),
  sign: (node, e) => {
    if (node.autoSign) node.fleet.answer(node, { kind: 'signed', request_id: e.request_id, result: { ok: true, zbase: signMessage(e.text, node.sk) } });
  },
  fetch_facts: (node, e) => node.fleet.answerFacts(node, e.request_id, e.peer_id),
  persist: () => {},
  log: () => {},
  event: () => {},
};

/** One simulated node. */
export class SimNode {
  readonly node_id: NodeId;
  /** The driver over this node's state, store and `PAIR_EFFECTS`. */
  driver: StepDriver<HandshakeState, HandshakeEffect, HandshakeReject, StoreError, SimNode, void>;
  /** Every reject this node's machine returned, in order. */
  readonly rejects: HandshakeReject[] = [];
  /** Every effect this node's machine returned (after a successful commit), in order. */
  readonly effects: HandshakeEffect[] = [];
  /** Channel states per peer, as listpeerchannels reports them. */
  readonly channels = new Map<string, string[]>();

  constructor(
    readonly fleet: Fleet,
    readonly sk: Uint8Array,
    readonly store: MembershipStore,
    config: Partial<HandshakeConfig>,
    /** What this node advertises in its BOLT 1 init (what peers see in listpeers `features`). */
    public features_hex: string,
    /** A cl-hive node silently ignores spec framing (clhive-protocol.md §1.3). */
    readonly ignoresSpecFraming = false,
    /** When false, `sign` effects are left for the test to answer (to play a faulty node). */
    readonly autoSign = true,
  ) {
    this.node_id = nodeIdOf(sk);
    this.driver = this.driverOver(
      initialHandshakeState({ our_node_id: this.node_id, our_version: 'hivebox v0.1.0', accept_clhive_channel_join: false, framing: DEFAULT_FRAMING_CONFIG, max_members: 50, ...config }, store.load()),
    );
  }

  /** The machine's state, as the driver last adopted it. */
  get state(): HandshakeState {
    return this.driver.state;
  }

  /** A restart: a new driver over `state` (tests reload it from the store). */
  set state(state: HandshakeState) {
    this.driver = this.driverOver(state);
  }

  private driverOver(state: HandshakeState): StepDriver<HandshakeState, HandshakeEffect, HandshakeReject, StoreError, SimNode, void> {
    return new StepDriver(state, (effects) => this.store.commit(effects), PAIR_EFFECTS, this as SimNode);
  }
}

/** Nodes plus the message queue between them. */
export class Fleet {
  readonly nodes = new Map<string, SimNode>();
  private readonly queue: { from: SimNode; to: string; bytes: Uint8Array }[] = [];
  private nonceCounter = 0;
  private readonly losses: { from: string; type: string }[] = [];
  now = T0;

  /** A node with secret key `key` (or filled with that byte) and a store at `dbPath` (default `:memory:`). */
  add(
    key: number | Uint8Array,
    opts: { config?: Partial<HandshakeConfig>; features_hex?: string; clhive?: boolean; dbPath?: string; manualSign?: boolean } = {},
  ): SimNode {
    const store = openMembershipStore(opts.dbPath ?? ':memory:', this.now);
    if (!store.ok) throw new Error(JSON.stringify(store.error));
    const node = new SimNode(this, typeof key === 'number' ? secretKey(key) : key, store.value, opts.config ?? {}, opts.features_hex ?? ALL_FEATURES_HEX, opts.clhive ?? false, !opts.manualSign);
    this.nodes.set(node.node_id, node);
    return node;
  }

  /** A new fleet whose first node (`key`) has founded the test hive. */
  static withMember(key: number, opts: Parameters<Fleet['add']>[1] = {}): { fleet: Fleet; member: SimNode } {
    const fleet = new Fleet();
    const member = fleet.add(key, opts);
    fleet.genesis(member);
    return { fleet, member };
  }

  /** Found the test hive on `node` with the fixture admin key trusted. */
  genesis(node: SimNode): void {
    const g = genesis(node.state.membership, { our_node_id: node.node_id, admin_pubkey: ADMIN_ID, hive_id: HIVE_ID }, this.now, new Uint8Array(8));
    if (!g.ok) throw new Error(JSON.stringify(g.error));
    const c = node.driver.adopt({ state: { ...node.state, membership: g.value.state }, effects: g.value.effects });
    if (!c.ok) throw new Error(JSON.stringify(c.error));
  }

  /** Run one input through `node` like the driver does, then deliver everything that follows. */
  input(node: SimNode, input: HandshakeInput): void {
    this.step(node, input);
    this.pump();
  }

  /** Lose the next message of `type` that `from` sends (once), as a dropped custom message. */
  loseNext(from: SimNode, type: string): void {
    this.losses.push({ from: from.node_id, type });
  }

  /** Deliver raw custom-message bytes from `from` to `to` (an attacker may craft them). */
  deliverBytes(from: SimNode, to: SimNode, bytes: Uint8Array): void {
    this.queue.push({ from, to: to.node_id, bytes });
    this.pump();
  }

  /** Deliver an already decoded message (bypassing the codec, to test the machine's own checks). */
  deliverMessage(from: SimNode, to: SimNode, message: HiveMessage): void {
    this.input(to, { kind: 'message', peer_id: from.node_id, message });
  }

  /** Advance the clock and tick every node. */
  tick(seconds: number): void {
    this.now += seconds;
    for (const n of this.nodes.values()) this.step(n, { kind: 'tick' });
    this.pump();
  }

  /** Encode a payload as `from` would send it. */
  static encode(type: HandshakeMsgType, payload: Record<string, unknown>, framing: Framing): Uint8Array {
    const e = encodeHiveMessage(type, payload as never, framing);
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    return e.value;
  }

  private step(node: SimNode, input: HandshakeInput): void {
    const r = handshakeStep(node.state, input, this.now);
    const c = node.driver.adopt(r);
    if (!c.ok) throw new Error(JSON.stringify(c.error));
    if (c.value) node.rejects.push(c.value);
    node.effects.push(...r.effects);
    node.driver.carryOut(r.effects);
  }

  /** `sendcustommsg`: the bytes wait in the queue until the next pump. */
  post(from: SimNode, to: string, bytes: Uint8Array): void {
    this.queue.push({ from, to, bytes });
  }

  /** lightningd's answer to a node's request (`signmessage`), run at once. */
  answer(node: SimNode, input: HandshakeInput): void {
    this.step(node, input);
  }

  /** `listpeers` features and `listpeerchannels` states of `peer_id`, as lightningd reports them to `node`. */
  answerFacts(node: SimNode, request_id: string, peer_id: string): void {
    const peer = this.nodes.get(peer_id);
    const nonce_bytes = new Uint8Array(32);
    new DataView(nonce_bytes.buffer).setUint32(28, ++this.nonceCounter);
    const facts = peer ? { features_hex: peer.features_hex, channel_states: node.channels.get(peer_id) ?? [] } : null;
    this.step(node, { kind: 'peer_facts', request_id, peer_id, facts, nonce_bytes });
  }

  private pump(): void {
    while (this.queue.length) {
      const { from, to, bytes } = this.queue.shift()!;
      const dest = this.nodes.get(to);
      if (!dest) continue;
      const decoded = decodeHiveMessage(bytes);
      if (decoded.kind !== 'message') continue;
      const lost = this.losses.findIndex((l) => l.from === from.node_id && l.type === decoded.message.type);
      if (lost >= 0) {
        this.losses.splice(lost, 1);
        continue;
      }
      if (dest.ignoresSpecFraming && decoded.message.framing === 'spec') continue;
      this.step(dest, { kind: 'message', peer_id: from.node_id, message: decoded.message });
    }
  }
}
