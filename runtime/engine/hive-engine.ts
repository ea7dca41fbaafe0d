/**
 * The Hive engine: implements the daemon's `HiveEngine` (runtime/daemon/engine.ts) by composing
 * the codec, the core machines, the membership store and the two signers.
 *
 * Inbound custom message: decode (not Hive → pass through untouched; malformed → log, drop) →
 * per-peer framing update (core wire/framing-choice) → freshness and signature checks → the
 * handler for its type (handlers/index.ts) → one machine step → its store writes in ONE
 * transaction → only if that commits, adopt the new state and carry out the effects:
 * `send` (encode in the effect's framing, `sendcustommsg`), `sign` (node key via lightningd
 * `signmessage`, fed back as `signed`), `fetch_facts` (listpeers features + listpeerchannels
 * states, fed back as `peer_facts` with 32 CSPRNG bytes), events (join waiters, membership
 * announcements). Fleet-admin signatures (invites) go to the `Signer` behind a button press.
 *
 * Every step runs synchronously from the current state to the commit, so concurrent inputs never
 * interleave inside a step; effects run afterwards and re-enter as new inputs. Nothing a peer
 * sends can make the engine throw: decoding, checks and machines return values, and each entry
 * point catches and logs anything unexpected.
 */
import { handshakeStep } from '../core/machines/handshake-step.ts';
import {
  initialHandshakeState,
  type HandshakeEffect,
  type HandshakeInput,
  type HandshakeReject,
  type HandshakeState,
  type HandshakeStep,
} from '../core/machines/handshake-types.ts';
import { applyWrites, type StoreWrite } from '../core/machines/membership.ts';
import { recoverSigner } from '../core/crypto/lnsign.ts';
import type { NodeBackend, Signer } from '../core/ports.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isNodeId, toHex, type NodeId } from '../core/types.ts';
import { checkFreshness, checkSignatures, decodeHiveHex, encodeHiveMessage } from '../core/wire/index.ts';
import { framingFor, stepFraming, UNKNOWN_FRAMING, type FramingConfig, type PeerFraming } from '../core/wire/framing-choice.ts';
import type { PayloadInput } from '../core/wire/encode.ts';
import type { MsgType } from '../core/wire/message-types.ts';
import { RpcFailure, type HiveEngine, type LogFn } from '../daemon/engine.ts';
import type { MembershipStore, StoreError } from '../../services/store/index.ts';
import { Approvals } from './approvals.ts';
import { framingConfigOf, MANIFEST_VERSION, type HiveSettings } from './config.ts';
import type { EngineCore } from './engine-core.ts';
import type { EngineEvent, EngineEventSink } from './events.ts';
import { announceMembers } from './handlers/full-sync-members.ts';
import { MESSAGE_HANDLERS, type MessageHandler } from './handlers/index.ts';
import { JoinWaiters } from './join-waiters.ts';
import type { RandomSource } from './random.ts';
import { RPC_COMMANDS } from './rpc/index.ts';

/** JSON-RPC "method not found" (the plugin answers it too for names it does not register). */
const METHOD_NOT_FOUND = -32601;

/** Everything the engine is built from. */
export interface HiveEngineDeps {
  /** The Lightning node (lightning-rpc, or simnet's socket). */
  readonly backend: NodeBackend;
  /** The fleet-admin signer (USB HID signer, its simulator, or the software signer). */
  readonly signer: Signer;
  /** The open membership store; the engine closes it in `close()`. */
  readonly store: MembershipStore;
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
}

/** The engine. Build it with `startHiveEngine` (engine-factory.ts) or directly from deps. */
export class HiveboxEngine implements HiveEngine {
  private hs: HandshakeState;
  private readonly framing = new Map<string, PeerFraming>();
  private readonly framingConfig: FramingConfig;
  private readonly core: EngineCore;
  private closed = false;

  constructor(private readonly deps: HiveEngineDeps) {
    this.framingConfig = framingConfigOf(deps.settings);
    this.hs = initialHandshakeState(
      { our_node_id: deps.our_node_id, our_version: MANIFEST_VERSION, framing: this.framingConfig, accept_clhive_channel_join: deps.settings.accept_clhive_channel_join },
      deps.store.load(),
    );
    const emit = (e: EngineEvent) => this.emit(e);
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
      state: () => this.hs,
      handshake: (input) => this.handshake(input),
      applyMembership: (writes) => this.applyMembership(writes),
      send: (peer_id, type, payload) => this.send(peer_id, type, payload),
      nodeSign: (text, purpose) => this.nodeSign(text, purpose),
      emit,
    };
  }

  /** The current handshake state (membership included); for status views and tests. */
  get state(): HandshakeState {
    return this.hs;
  }

  async onCustomMsg(peerId: string, payloadHex: string): Promise<void> {
    try {
      await this.receive(peerId, payloadHex);
    } catch (e) {
      this.deps.log('error', 'engine_custommsg_failed', { peer_id: peerId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  async onPeerConnected(peerId: string): Promise<void> {
    try {
      const member = this.hs.membership.members.get(peerId as NodeId);
      if (member && peerId !== this.deps.our_node_id) await announceMembers(this.core, [peerId]);
    } catch (e) {
      this.deps.log('error', 'engine_connect_failed', { peer_id: peerId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  async onPeerDisconnected(peerId: string): Promise<void> {
    this.deps.log('debug', 'peer_disconnected', { peer_id: peerId });
  }

  async onTick(): Promise<void> {
    try {
      await this.handshake({ kind: 'tick' });
    } catch (e) {
      this.deps.log('error', 'engine_tick_failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  async rpc(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (!Object.hasOwn(RPC_COMMANDS, method)) throw new RpcFailure(METHOD_NOT_FOUND, `Unknown command '${method}'`);
    return RPC_COMMANDS[method as keyof typeof RPC_COMMANDS](this.core, params);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.deps.store.close();
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
    if (decoded.kind === 'malformed') {
      this.emit({ kind: 'dropped', peer_id: peerId, reason: decoded.error.kind, ...(decoded.type ? { type: decoded.type } : {}), detail: decoded.error.detail });
      return;
    }
    const m = decoded.message;
    const now = this.now();
    this.framing.set(peerId, stepFraming(peerId, this.framing.get(peerId) ?? UNKNOWN_FRAMING, { kind: 'received', framing: m.framing }, now, this.framingConfig).state);
    const fresh = checkFreshness(m.type, m.payload as { timestamp?: unknown }, now);
    if (!fresh.ok) {
      this.emit({ kind: 'dropped', peer_id: peerId, reason: fresh.error.kind, type: m.type, detail: fresh.error.detail });
      return;
    }
    const sig = checkSignatures(m);
    if (sig.present && sig.valid === false) {
      this.emit({ kind: 'dropped', peer_id: peerId, reason: 'bad_signature', type: m.type, ...(sig.signer ? { detail: `recovers to ${sig.signer}` } : {}) });
      return;
    }
    const handler: MessageHandler | null = MESSAGE_HANDLERS[m.type];
    if (handler === null) {
      this.emit({ kind: 'dropped', peer_id: peerId, reason: 'no_handler', type: m.type });
      return;
    }
    this.emit({ kind: 'received', peer_id: peerId, type: m.type, framing: m.framing });
    await handler(this.core, peerId, m);
  }

  // ---- the handshake driver -----------------------------------------------------------------

  private async handshake(input: HandshakeInput): Promise<Result<HandshakeReject | null, StoreError>> {
    const r: HandshakeStep = handshakeStep(this.hs, input, this.now());
    const committed = this.deps.store.commit(r.effects);
    if (!committed.ok) {
      this.deps.log('error', 'store_commit_failed', { input: input.kind, ...committed.error });
      return err(committed.error);
    }
    this.hs = r.state;
    if (r.reject) {
      const { reason, peer_id, msg_type } = r.reject;
      this.emit({ kind: 'rejected', reason, ...(peer_id ? { peer_id } : {}), ...(msg_type ? { type: msg_type } : {}) });
    }
    for (const e of r.effects) await this.carryOut(e);
    return ok(r.reject);
  }

  private async carryOut(e: HandshakeEffect): Promise<void> {
    switch (e.kind) {
      case 'send':
        await this.sendIn(e.peer_id, e.type, e.payload, e.framing);
        return;
      case 'sign': {
        const r = await this.deps.backend.signmessage(e.text);
        this.emit({ kind: 'node_signed', purpose: e.purpose, ok: r.ok });
        const result = r.ok ? { ok: true as const, zbase: r.value.zbase } : { ok: false as const, reason: `signmessage: ${r.error.message}` };
        await this.handshake({ kind: 'signed', request_id: e.request_id, result });
        return;
      }
      case 'fetch_facts': {
        const facts = await this.peerFacts(e.peer_id);
        this.emit({ kind: 'peer_facts', peer_id: e.peer_id, features_hex: facts?.features_hex ?? null, channel_states: facts?.channel_states ?? [] });
        await this.handshake({ kind: 'peer_facts', request_id: e.request_id, peer_id: e.peer_id, facts, nonce_bytes: this.deps.random(32) });
        return;
      }
      case 'persist':
        return;
      case 'log':
        this.deps.log(e.level, e.event, { ...(e.peer_id ? { peer_id: e.peer_id } : {}), ...(e.reason ? { reason: e.reason } : {}), ...e.fields });
        return;
      case 'event':
        return this.onMachineEvent(e);
    }
  }

  private async onMachineEvent(e: Extract<HandshakeEffect, { kind: 'event' }>): Promise<void> {
    switch (e.name) {
      case 'member_admitted': {
        this.emit({ kind: 'member_admitted', peer_id: e.peer_id, via: e.via });
        const others = [...this.hs.membership.members.keys()].filter((id) => id !== this.deps.our_node_id && id !== e.peer_id);
        await announceMembers(this.core, others);
        return;
      }
      case 'joined':
        this.emit({ kind: 'joined', hive_id: e.hive_id, member_id: e.member_id });
        this.core.joins.joined(e.hive_id, e.member_id);
        return;
      case 'join_failed':
        this.emit({ kind: 'join_failed', member_id: e.member_id, reason: e.reason });
        this.core.joins.failed(e.member_id, e.reason);
        return;
    }
  }

  /** listpeers `features` + listpeerchannels states for `peer_id`; null when lightningd cannot say. */
  private async peerFacts(peer_id: string): Promise<{ features_hex: string | null; channel_states: string[] } | null> {
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

  // ---- outbound -----------------------------------------------------------------------------

  private send(peer_id: string, type: MsgType, payload: PayloadInput): Promise<boolean> {
    return this.sendIn(peer_id, type, payload, framingFor(peer_id, this.framing.get(peer_id) ?? UNKNOWN_FRAMING, this.framingConfig));
  }

  private async sendIn(peer_id: string, type: MsgType, payload: PayloadInput, framing: 'spec' | 'clhive'): Promise<boolean> {
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

  private async nodeSign(text: string, purpose: string): Promise<string | null> {
    const r = await this.deps.backend.signmessage(text);
    const good = r.ok && recoverSigner(text, r.value.zbase) === this.deps.our_node_id;
    this.emit({ kind: 'node_signed', purpose, ok: good });
    return good && r.ok ? r.value.zbase : null;
  }

  // ---- state --------------------------------------------------------------------------------

  private applyMembership(writes: readonly StoreWrite[]): Result<void, StoreError> {
    const c = this.deps.store.applyWrites(writes);
    if (!c.ok) return err(c.error);
    this.hs = { ...this.hs, membership: applyWrites(this.hs.membership, writes) };
    return ok(undefined);
  }

  private now(): number {
    return Math.floor(this.deps.now_ms() / 1000);
  }

  private emit(e: EngineEvent): void {
    const level = e.kind === 'dropped' || e.kind === 'rejected' || e.kind === 'send_failed' ? 'warn' : 'info';
    const { kind, ...fields } = e;
    this.deps.log(level, `hive_${kind}`, fields);
    try {
      this.deps.onEvent?.(e);
    } catch {
      // An observer's fault must not disturb the engine.
    }
  }
}
