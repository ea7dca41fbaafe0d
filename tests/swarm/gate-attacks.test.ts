/**
 * Attacks on the swarm gate (issue 10 §2–§3): each test tries one, asserts the named reject, that
 * the offending connection is dropped (and refused for block_s where the key itself is at fault)
 * and that nothing else in the state changed.
 */
import { describe, expect, test } from 'bun:test';
import { encodeBindingFrame } from '../../runtime/core/swarm/frame.ts';
import { boundKey, type SwarmGateState } from '../../runtime/core/swarm/gate.ts';
import { SWARM_LIMITS } from '../../runtime/core/swarm/limits.ts';
import { utf8 } from '../../runtime/core/types.ts';
import { NOW_S, statement, swarmKey } from './fleet-keys.ts';
import { A, B, bindingFrameOf, C, GateDriver, hiveFrame, R, X } from './gate-driver.ts';

const BLOCK = SWARM_LIMITS.block_s;

/** The state after `g` lost connection `key`, for comparing with a refusal's state. */
function withoutConn(state: SwarmGateState, key: string): SwarmGateState {
  const conns = new Map(state.conns);
  conns.delete(key as never);
  return { ...state, conns };
}

/** Open a connection from `key`, then send `bytes` first; assert the drop and an otherwise unchanged state. */
function firstFrameRefused(g: GateDriver, key: ReturnType<typeof swarmKey>, bytes: Uint8Array, reason: string, block_s = BLOCK): void {
  g.up(key);
  const before = g.state;
  const out = g.frame(key, bytes);
  expect(out.reject).toBe(reason as never);
  expect(out.effects).toEqual([{ kind: 'drop', swarm_key: key, reason: reason as never, block_s }]);
  expect(out.state).toEqual(withoutConn(before, key));
}

describe('first-frame admission', () => {
  test('unbound key: a Hive frame before any binding → unbound, dropped', () => {
    firstFrameRefused(new GateDriver(), swarmKey(9), hiveFrame(), 'unbound');
  });

  test('replayed statement: B\'s genuine binding presented from another Noise key → swarm_key_mismatch', () => {
    firstFrameRefused(new GateDriver(), swarmKey(9), bindingFrameOf(B), 'swarm_key_mismatch');
  });

  test('different hive id → wrong_hive', () => {
    const other = statement(B, { hive_id: 'hive_other' });
    firstFrameRefused(new GateDriver(), B.swarm_key, encodeBindingFrame(other), 'wrong_hive');
  });

  test('a node outside the fleet with a valid signature → not_member', () => {
    firstFrameRefused(new GateDriver(), X.swarm_key, bindingFrameOf(X), 'not_member');
  });

  test('a banned node with a fresh key and valid signature → banned', () => {
    firstFrameRefused(new GateDriver(), R.swarm_key, bindingFrameOf(R), 'banned');
  });

  test('statement signed by someone else for B → bad_signature', () => {
    firstFrameRefused(new GateDriver(), B.swarm_key, encodeBindingFrame(statement(B, {}, X.sk)), 'bad_signature');
  });

  test('expired statement → expired', () => {
    const old = statement(B, { issued_at: NOW_S - 8 * 86_400, expires_at: NOW_S - 1 });
    firstFrameRefused(new GateDriver(), B.swarm_key, encodeBindingFrame(old), 'expired');
  });

  test('statement claiming our own node id → self_binding', () => {
    firstFrameRefused(new GateDriver(), swarmKey(50), encodeBindingFrame(statement(A, { swarm_key: swarmKey(50) })), 'self_binding');
  });

  test('garbage after the binding magic, or an oversized binding frame → malformed_binding', () => {
    firstFrameRefused(new GateDriver(), B.swarm_key, utf8('HSWB{not json'), 'malformed_binding');
    const big = new Uint8Array(SWARM_LIMITS.max_binding_frame_bytes + 1).fill(0x20);
    big.set(utf8('HSWB'), 0);
    firstFrameRefused(new GateDriver(), C.swarm_key, big, 'malformed_binding');
  });

  test('older statement than the one we hold (learned by gossip) → stale_binding', () => {
    const g = new GateDriver();
    const newer = statement(B, { swarm_key: swarmKey(150), issued_at: NOW_S + 10 });
    expect(g.step({ kind: 'gossip_binding', statement: newer }).reject).toBeUndefined();
    firstFrameRefused(g, B.swarm_key, bindingFrameOf(B), 'stale_binding');
  });

  test('a connection that never binds is dropped at binding_timeout (not blocked)', () => {
    const g = new GateDriver();
    g.up(swarmKey(9));
    g.now_ms += SWARM_LIMITS.binding_timeout_ms - 1;
    expect(g.step({ kind: 'tick' }).effects).toEqual([]);
    g.now_ms += 1;
    expect(g.step({ kind: 'tick' }).effects).toEqual([{ kind: 'drop', swarm_key: swarmKey(9), reason: 'binding_timeout', block_s: 0 }]);
    expect(g.state.conns.size).toBe(0);
  });
});

describe('revocation and bans', () => {
  test('a bound member that is banned is dropped and refused; its key is then refused at peer_up → revoked_key', () => {
    const g = new GateDriver();
    g.bind(C);
    const out = g.step({ kind: 'membership', members: [A.node_id, B.node_id], banned: [R.node_id, C.node_id] });
    expect(out.effects).toEqual([{ kind: 'drop', swarm_key: C.swarm_key, reason: 'revoked', block_s: BLOCK }]);
    const before = g.state;
    const again = g.up(C.swarm_key);
    expect(again.reject).toBe('revoked_key');
    expect(again.effects).toEqual([{ kind: 'drop', swarm_key: C.swarm_key, reason: 'revoked_key', block_s: BLOCK }]);
    expect(again.state).toEqual(before);
  });

  test('a member that left is dropped (not blocked) and its binding forgotten', () => {
    const g = new GateDriver();
    g.bind(C);
    const out = g.step({ kind: 'membership', members: [A.node_id, B.node_id], banned: [] });
    expect(out.effects).toEqual([{ kind: 'drop', swarm_key: C.swarm_key, reason: 'revoked', block_s: 0 }]);
    expect(g.state.bindings.has(C.node_id)).toBe(false);
  });

  test('gossip bindings of non-members and banned nodes are refused and not stored', () => {
    const g = new GateDriver();
    const before = g.state;
    expect(g.step({ kind: 'gossip_binding', statement: statement(X) }).reject).toBe('not_member');
    expect(g.step({ kind: 'gossip_binding', statement: statement(R) }).reject).toBe('banned');
    expect(g.step({ kind: 'gossip_binding', statement: { junk: 1 } }).reject).toBe('malformed_binding');
    expect(g.state).toBe(before);
  });
});

describe('after binding', () => {
  test('renewal naming another node → node_mismatch; naming another key → swarm_key_mismatch; state unchanged', () => {
    const g = new GateDriver();
    g.bind(B);
    const before = g.state;
    expect(g.frame(B.swarm_key, bindingFrameOf(C)).reject).toBe('node_mismatch');
    const otherKey = statement(B, { swarm_key: swarmKey(99), issued_at: NOW_S + 1 });
    expect(g.frame(B.swarm_key, bindingFrameOf(otherKey)).reject).toBe('swarm_key_mismatch');
    expect(g.frame(B.swarm_key, bindingFrameOf(statement(B, { issued_at: NOW_S - 1 }))).reject).toBe('stale_binding');
    expect(g.state).toBe(before);
  });

  test('frames without the HIVE magic → not_hive, nothing delivered', () => {
    const g = new GateDriver();
    g.bind(B);
    const before = g.state;
    const out = g.frame(B.swarm_key, utf8('LNDX{"type":1}'));
    expect(out).toEqual({ state: before, effects: [], reject: 'not_hive' });
  });

  test('flood: past the per-peer burst frames are rate_limited, and refill at frames_per_s', () => {
    const g = new GateDriver({ limits: { burst_frames: 5, frames_per_s: 2 } });
    g.bind(B);
    const frame = hiveFrame();
    for (let i = 0; i < 5; i++) expect(g.frame(B.swarm_key, frame).reject).toBeUndefined();
    const limited = g.frame(B.swarm_key, frame);
    expect(limited.reject).toBe('rate_limited');
    expect(limited.effects).toEqual([]);
    g.now_ms += 500;
    expect(g.frame(B.swarm_key, frame).reject).toBeUndefined();
    expect(g.frame(B.swarm_key, frame).reject).toBe('rate_limited');
  });

  test('oversize frame from a bound peer (sidecar bypassed) → oversize, dropped', () => {
    const g = new GateDriver();
    g.bind(B);
    const out = g.frame(B.swarm_key, hiveFrame(SWARM_LIMITS.max_frame_bytes + 1));
    expect(out.reject).toBe('oversize');
    expect(boundKey(g.state, B.node_id)).toBeUndefined();
  });

  test('binding expiry drops the bound connection on tick', () => {
    const g = new GateDriver();
    g.bind(B);
    g.now_ms = statement(B).expires_at * 1000;
    expect(g.step({ kind: 'tick' }).effects).toEqual([{ kind: 'drop', swarm_key: B.swarm_key, reason: 'binding_expired', block_s: 0 }]);
  });

  test('frames from a connection the gate never saw → unknown_connection', () => {
    const g = new GateDriver();
    const before = g.state;
    expect(g.frame(swarmKey(42), hiveFrame())).toEqual({ state: before, effects: [], reject: 'unknown_connection' });
  });
});

describe('connection cap', () => {
  test('connections past max_connections are refused (not blocked) before any frame', () => {
    const g = new GateDriver({ limits: { max_connections: 2 } });
    g.up(swarmKey(10));
    g.up(swarmKey(11));
    const before = g.state;
    const out = g.up(swarmKey(12));
    expect(out.reject).toBe('connection_cap');
    expect(out.effects).toEqual([{ kind: 'drop', swarm_key: swarmKey(12), reason: 'connection_cap', block_s: 0 }]);
    expect(out.state).toEqual(before);
    expect(g.up(swarmKey(11)).reject).toBeUndefined();
  });
});
