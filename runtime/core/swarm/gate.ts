/**
 * The swarm gate: sans-IO state machine that decides which hyperswarm connections speak for
 * which fleet member (issue 10 §2–§3).
 *
 * Every connection starts `awaiting_binding`. Its first frame must be a binding statement for the
 * connection's own Noise key, signed by a current, unbanned member of this hive and not older than
 * the newest statement we hold for that member; anything else drops the connection. After that,
 * Hive frames from it are delivered as `custommsg` payloads of that node_id (per-node rate limit),
 * so the daemon admits them through the same `HiveEngine.onCustomMsg` path as Lightning.
 *
 * `step(state, input, now_ms) -> { state, effects, reject? }`; a rejected input leaves the state
 * unchanged apart from dropping the offending connection (which the `drop` effect tells the
 * shell to close).
 */
import { type NodeId, secondsOf, toHex, type UnixMillis } from '../types.ts';
import { admitStatement, type FleetView, type StatementReject } from './admit-binding.ts';
import { decodeBinding, verifyBinding, type BindingStatement, type SwarmKey } from './binding.ts';
import { encodeBindingFrame, frameKind, parseBindingFrame } from './frame.ts';
import type { SwarmLimits } from './limits.ts';
import { takeToken, type RateBucket } from './rate-bucket.ts';

/** Fixed configuration of one gate. `lightning_port` is where learned hosts are dialled (BOLT 1 default 9735). */
export interface SwarmGateConfig {
  readonly hive_id: string;
  readonly self_node_id: NodeId;
  /** Operator flag: a learned swarm address prompts a Lightning `connect` to that member. */
  readonly autoconnect_lightning: boolean;
  readonly lightning_port: number;
  readonly limits: SwarmLimits;
}

/** One swarm connection as the gate sees it; `host`/`port` are hyperswarm's remote UDP address. */
export type SwarmConn =
  | { readonly phase: 'awaiting_binding'; readonly host: string; readonly port: number; readonly opened_ms: number }
  | { readonly phase: 'bound'; readonly host: string; readonly port: number; readonly opened_ms: number; readonly node_id: NodeId };

/** Gate state. Maps are replaced, never mutated, by `step`. */
export interface SwarmGateState {
  readonly config: SwarmGateConfig;
  /** Our own binding, signed by the shell through `signmessage`; null until then. */
  readonly local: BindingStatement | null;
  readonly members: ReadonlySet<NodeId>;
  readonly banned: ReadonlySet<NodeId>;
  /** Newest admitted statement per member (and kept for banned nodes, so their keys stay refused). */
  readonly bindings: ReadonlyMap<NodeId, BindingStatement>;
  readonly conns: ReadonlyMap<SwarmKey, SwarmConn>;
  readonly buckets: ReadonlyMap<NodeId, RateBucket>;
  /** Members with a live Lightning peer connection (for routing and auto-connect). */
  readonly lightning: ReadonlySet<NodeId>;
}

/**
 * Inputs. `peer_up`/`peer_down`/`frame` come from the sidecar; `sidecar_restarted` when it came
 * back (every connection is gone); `membership` from the engine's member table (members = tier
 * member or neophyte); `gossip_binding` is a GOSSIP payload's `hivebox_swarm_binding` value.
 */
export type SwarmGateInput =
  | { readonly kind: 'local_binding'; readonly statement: BindingStatement }
  | { readonly kind: 'peer_up'; readonly swarm_key: SwarmKey; readonly host: string; readonly port: number }
  | { readonly kind: 'peer_down'; readonly swarm_key: SwarmKey }
  | { readonly kind: 'sidecar_restarted' }
  | { readonly kind: 'frame'; readonly swarm_key: SwarmKey; readonly bytes: Uint8Array }
  | { readonly kind: 'send'; readonly node_id: NodeId; readonly bytes: Uint8Array }
  | { readonly kind: 'membership'; readonly members: readonly NodeId[]; readonly banned: readonly NodeId[] }
  | { readonly kind: 'gossip_binding'; readonly statement: unknown }
  | { readonly kind: 'lightning_peer'; readonly node_id: NodeId; readonly connected: boolean }
  | { readonly kind: 'tick' };

/**
 * Named rejects. Beyond `StatementReject`: `connection_cap` (too many swarm connections),
 * `revoked_key` (key bound to a banned node), `unknown_connection`, `unbound` (first frame is not a
 * binding), `swarm_key_mismatch` (statement names another Noise key: a replayed statement),
 * `node_mismatch` (renewal for another node), `not_hive` (no HIVE magic), `oversize`,
 * `rate_limited`, `no_route` (no bound connection to that node), `bad_local_binding`.
 */
export type SwarmReject =
  | StatementReject
  | 'connection_cap'
  | 'revoked_key'
  | 'unknown_connection'
  | 'unbound'
  | 'swarm_key_mismatch'
  | 'node_mismatch'
  | 'not_hive'
  | 'oversize'
  | 'rate_limited'
  | 'no_route'
  | 'bad_local_binding';

/** Why the gate closes a connection that did nothing wrong in this input: timers and fleet changes. */
export type SwarmDropReason = 'binding_timeout' | 'binding_expired' | 'revoked' | 'superseded';

/**
 * Effects, executed by the shell (services/swarm/transport.ts) in order:
 * `send_frame` → sidecar `send`; `drop` → sidecar `drop` (refuse the key for `block_s` when > 0) and
 * forget the connection; `deliver` → `HiveEngine.onCustomMsg(node_id, payload_hex)`;
 * `peer_bound` → status; `lightning_connect` → NodeBackend `connect(node_id, host, port)`;
 * `publish_binding` → put the statement in our GOSSIP payload as `hivebox_swarm_binding`.
 */
export type SwarmEffect =
  | { readonly kind: 'send_frame'; readonly swarm_key: SwarmKey; readonly bytes: Uint8Array }
  | { readonly kind: 'drop'; readonly swarm_key: SwarmKey; readonly reason: SwarmReject | SwarmDropReason; readonly block_s: number }
  | { readonly kind: 'deliver'; readonly node_id: NodeId; readonly payload_hex: string }
  | { readonly kind: 'peer_bound'; readonly node_id: NodeId; readonly swarm_key: SwarmKey; readonly host: string; readonly port: number }
  | { readonly kind: 'lightning_connect'; readonly node_id: NodeId; readonly host: string; readonly port: number }
  | { readonly kind: 'publish_binding'; readonly statement: BindingStatement };

/** Result of one step. `reject` names why the input was refused (the state is then unchanged except for a dropped connection). */
export interface SwarmGateStep {
  readonly state: SwarmGateState;
  readonly effects: readonly SwarmEffect[];
  readonly reject?: SwarmReject;
}

/** Drops for these reasons do not refuse the key afterwards (a cap or a clock is no fault of the key). */
const NON_BLOCKING: ReadonlySet<SwarmReject | SwarmDropReason> = new Set(['connection_cap', 'binding_timeout', 'binding_expired', 'superseded']);

/** A fresh gate: no members known, no connections, no local binding. */
export function initialGate(config: SwarmGateConfig): SwarmGateState {
  return {
    config,
    local: null,
    members: new Set(),
    banned: new Set(),
    bindings: new Map(),
    conns: new Map(),
    buckets: new Map(),
    lightning: new Set(),
  };
}

/** The swarm key of `nodeId`'s bound connection, if any. */
export function boundKey(state: SwarmGateState, nodeId: NodeId): SwarmKey | undefined {
  for (const [key, conn] of state.conns) if (conn.phase === 'bound' && conn.node_id === nodeId) return key;
  return undefined;
}

function dropEffect(state: SwarmGateState, swarm_key: SwarmKey, reason: SwarmReject | SwarmDropReason): SwarmEffect {
  return { kind: 'drop', swarm_key, reason, block_s: NON_BLOCKING.has(reason) ? 0 : state.config.limits.block_s };
}

function fleetView(state: SwarmGateState): FleetView {
  const { hive_id, self_node_id } = state.config;
  return { hive_id, self_node_id, members: state.members, banned: state.banned, bindings: state.bindings };
}

function withoutConn(state: SwarmGateState, key: SwarmKey): SwarmGateState {
  const conns = new Map(state.conns);
  conns.delete(key);
  return { ...state, conns };
}

function refuse(state: SwarmGateState, key: SwarmKey, reason: SwarmReject): SwarmGateStep {
  return { state: withoutConn(state, key), effects: [dropEffect(state, key, reason)], reject: reason };
}

function reject(state: SwarmGateState, reason: SwarmReject): SwarmGateStep {
  return { state, effects: [], reject: reason };
}

/** Store an admitted newer statement and drop a connection still bound to the node's older key. */
function storeStatement(state: SwarmGateState, st: BindingStatement): SwarmGateStep {
  const bindings = new Map(state.bindings);
  bindings.set(st.node_id, st);
  const old = boundKey(state, st.node_id);
  if (old === undefined || old === st.swarm_key) return { state: { ...state, bindings }, effects: [] };
  return { state: withoutConn({ ...state, bindings }, old), effects: [dropEffect(state, old, 'superseded')] };
}

function onLocalBinding(state: SwarmGateState, st: BindingStatement, now_ms: UnixMillis): SwarmGateStep {
  const decoded = decodeBinding(st);
  const { hive_id, self_node_id, limits } = state.config;
  const verified = decoded.ok ? verifyBinding(decoded.value, hive_id, secondsOf(now_ms), limits) : decoded;
  if (!verified.ok || st.node_id !== self_node_id) return reject(state, 'bad_local_binding');
  const frame = encodeBindingFrame(verified.value);
  const effects: SwarmEffect[] = [...state.conns.keys()].map((swarm_key) => ({ kind: 'send_frame', swarm_key, bytes: frame }));
  effects.push({ kind: 'publish_binding', statement: verified.value });
  return { state: { ...state, local: verified.value }, effects };
}

function onPeerUp(state: SwarmGateState, input: Extract<SwarmGateInput, { kind: 'peer_up' }>, now_ms: UnixMillis): SwarmGateStep {
  const { swarm_key, host, port } = input;
  const others = state.conns.has(swarm_key) ? state.conns.size - 1 : state.conns.size;
  if (others >= state.config.limits.max_connections) return refuse(state, swarm_key, 'connection_cap');
  for (const [nodeId, st] of state.bindings) {
    if (st.swarm_key === swarm_key && state.banned.has(nodeId)) return refuse(state, swarm_key, 'revoked_key');
  }
  const conns = new Map(state.conns);
  conns.set(swarm_key, { phase: 'awaiting_binding', host, port, opened_ms: now_ms });
  const effects: SwarmEffect[] = state.local ? [{ kind: 'send_frame', swarm_key, bytes: encodeBindingFrame(state.local) }] : [];
  return { state: { ...state, conns }, effects };
}

function parseStatementFrame(state: SwarmGateState, bytes: Uint8Array, now_ms: UnixMillis) {
  const parsed = parseBindingFrame(bytes, state.config.limits);
  if (!parsed.ok) return parsed;
  return admitStatement(fleetView(state), parsed.value, secondsOf(now_ms), state.config.limits);
}

function onFirstFrame(state: SwarmGateState, key: SwarmKey, conn: SwarmConn, bytes: Uint8Array, now_ms: UnixMillis): SwarmGateStep {
  if (frameKind(bytes) !== 'binding') return refuse(state, key, 'unbound');
  const admitted = parseStatementFrame(state, bytes, now_ms);
  if (!admitted.ok) return refuse(state, key, admitted.error);
  const st = admitted.value.statement;
  if (st.swarm_key !== key) return refuse(state, key, 'swarm_key_mismatch');
  const stored = storeStatement(state, st);
  const conns = new Map(stored.state.conns);
  conns.set(key, { phase: 'bound', host: conn.host, port: conn.port, opened_ms: conn.opened_ms, node_id: st.node_id });
  const effects: SwarmEffect[] = [...stored.effects, { kind: 'peer_bound', node_id: st.node_id, swarm_key: key, host: conn.host, port: conn.port }];
  if (state.config.autoconnect_lightning && !state.lightning.has(st.node_id)) {
    effects.push({ kind: 'lightning_connect', node_id: st.node_id, host: conn.host, port: state.config.lightning_port });
  }
  return { state: { ...stored.state, conns }, effects };
}

function onRenewal(state: SwarmGateState, key: SwarmKey, nodeId: NodeId, bytes: Uint8Array, now_ms: UnixMillis): SwarmGateStep {
  const admitted = parseStatementFrame(state, bytes, now_ms);
  if (!admitted.ok) return reject(state, admitted.error);
  const { statement, order } = admitted.value;
  if (statement.node_id !== nodeId) return reject(state, 'node_mismatch');
  if (statement.swarm_key !== key) return reject(state, 'swarm_key_mismatch');
  return order === 'same' ? { state, effects: [] } : storeStatement(state, statement);
}

function onHiveFrame(state: SwarmGateState, nodeId: NodeId, bytes: Uint8Array, now_ms: UnixMillis): SwarmGateStep {
  const { frames_per_s, burst_frames } = state.config.limits;
  const taken = takeToken(state.buckets.get(nodeId), now_ms, frames_per_s, burst_frames);
  const buckets = new Map(state.buckets);
  buckets.set(nodeId, taken.bucket);
  if (!taken.allowed) return { state: { ...state, buckets }, effects: [], reject: 'rate_limited' };
  return { state: { ...state, buckets }, effects: [{ kind: 'deliver', node_id: nodeId, payload_hex: toHex(bytes) }] };
}

function onFrame(state: SwarmGateState, key: SwarmKey, bytes: Uint8Array, now_ms: UnixMillis): SwarmGateStep {
  const conn = state.conns.get(key);
  if (!conn) return reject(state, 'unknown_connection');
  if (bytes.length > state.config.limits.max_frame_bytes) return refuse(state, key, 'oversize');
  if (conn.phase === 'awaiting_binding') return onFirstFrame(state, key, conn, bytes, now_ms);
  const kind = frameKind(bytes);
  if (kind === 'binding') return onRenewal(state, key, conn.node_id, bytes, now_ms);
  if (kind !== 'hive') return reject(state, 'not_hive');
  return onHiveFrame(state, conn.node_id, bytes, now_ms);
}

/** Route a Hive frame to `node_id`'s bound connection. */
function onSend(state: SwarmGateState, nodeId: NodeId, bytes: Uint8Array): SwarmGateStep {
  if (bytes.length > state.config.limits.max_frame_bytes) return reject(state, 'oversize');
  if (frameKind(bytes) !== 'hive') return reject(state, 'not_hive');
  const key = boundKey(state, nodeId);
  if (key === undefined) return reject(state, 'no_route');
  return { state, effects: [{ kind: 'send_frame', swarm_key: key, bytes }] };
}

/** A member removed from the fleet is dropped; a banned one is also refused for `block_s`. */
function onMembership(state: SwarmGateState, members: readonly NodeId[], banned: readonly NodeId[]): SwarmGateStep {
  const memberSet = new Set(members);
  const bannedSet = new Set(banned);
  const current = (id: NodeId) => memberSet.has(id) && !bannedSet.has(id);
  const bindings = new Map([...state.bindings].filter(([id]) => memberSet.has(id) || bannedSet.has(id)));
  const buckets = new Map([...state.buckets].filter(([id]) => current(id)));
  const conns = new Map(state.conns);
  const effects: SwarmEffect[] = [];
  for (const [swarm_key, conn] of state.conns) {
    if (conn.phase !== 'bound' || current(conn.node_id)) continue;
    conns.delete(swarm_key);
    effects.push({ kind: 'drop', swarm_key, reason: 'revoked', block_s: bannedSet.has(conn.node_id) ? state.config.limits.block_s : 0 });
  }
  return { state: { ...state, members: memberSet, banned: bannedSet, bindings, buckets, conns }, effects };
}

function onGossipBinding(state: SwarmGateState, value: unknown, now_ms: UnixMillis): SwarmGateStep {
  const admitted = admitStatement(fleetView(state), value, secondsOf(now_ms), state.config.limits);
  if (!admitted.ok) return reject(state, admitted.error);
  return admitted.value.order === 'same' ? { state, effects: [] } : storeStatement(state, admitted.value.statement);
}

function onTick(state: SwarmGateState, now_ms: UnixMillis): SwarmGateStep {
  const now_s = secondsOf(now_ms);
  const conns = new Map(state.conns);
  const effects: SwarmEffect[] = [];
  for (const [key, conn] of state.conns) {
    let reason: SwarmDropReason | null = null;
    if (conn.phase === 'awaiting_binding' && now_ms - conn.opened_ms >= state.config.limits.binding_timeout_ms) reason = 'binding_timeout';
    if (conn.phase === 'bound' && now_s >= (state.bindings.get(conn.node_id)?.expires_at ?? 0)) reason = 'binding_expired';
    if (reason === null) continue;
    conns.delete(key);
    effects.push(dropEffect(state, key, reason));
  }
  return { state: { ...state, conns }, effects };
}

/**
 * Advance the gate by one input at `now_ms` (unix milliseconds; binding times compare in seconds).
 * @returns the next state, the effects to execute in order, and the `SwarmReject` when the input was refused.
 */
export function stepGate(state: SwarmGateState, input: SwarmGateInput, now_ms: UnixMillis): SwarmGateStep {
  switch (input.kind) {
    case 'local_binding':
      return onLocalBinding(state, input.statement, now_ms);
    case 'peer_up':
      return onPeerUp(state, input, now_ms);
    case 'peer_down':
      return { state: withoutConn(state, input.swarm_key), effects: [] };
    case 'sidecar_restarted':
      return { state: { ...state, conns: new Map() }, effects: [] };
    case 'frame':
      return onFrame(state, input.swarm_key, input.bytes, now_ms);
    case 'send':
      return onSend(state, input.node_id, input.bytes);
    case 'membership':
      return onMembership(state, input.members, input.banned);
    case 'gossip_binding':
      return onGossipBinding(state, input.statement, now_ms);
    case 'lightning_peer': {
      const lightning = new Set(state.lightning);
      if (input.connected) lightning.add(input.node_id);
      else lightning.delete(input.node_id);
      return { state: { ...state, lightning }, effects: [] };
    }
    case 'tick':
      return onTick(state, now_ms);
  }
}
