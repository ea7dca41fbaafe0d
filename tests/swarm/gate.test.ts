/** Swarm gate, ordinary life (issue 10 §2–§3): binding, delivery, sending, renewal, routing. */
import { describe, expect, test } from 'bun:test';
import { encodeBindingFrame } from '../../runtime/core/swarm/frame.ts';
import { boundKey } from '../../runtime/core/swarm/gate.ts';
import { chooseRoute } from '../../runtime/core/swarm/route.ts';
import { toHex } from '../../runtime/core/types.ts';
import { statement, swarmKey } from './fleet-keys.ts';
import { A, B, bindingFrameOf, C, GateDriver, hiveFrame } from './gate-driver.ts';

describe('binding on first contact', () => {
  test('peer_up sends our binding frame first; a member binding it delivers later Hive frames as its node_id', () => {
    const g = new GateDriver();
    const up = g.up(B.swarm_key);
    expect(up.effects).toEqual([{ kind: 'send_frame', swarm_key: B.swarm_key, bytes: encodeBindingFrame(statement(A)) }]);
    const bound = g.frame(B.swarm_key, bindingFrameOf(B));
    expect(bound.reject).toBeUndefined();
    expect(bound.effects).toEqual([{ kind: 'peer_bound', node_id: B.node_id, swarm_key: B.swarm_key, host: '127.0.0.1', port: 40000 }]);
    const frame = hiveFrame(300);
    expect(g.frame(B.swarm_key, frame).effects).toEqual([{ kind: 'deliver', node_id: B.node_id, payload_hex: toHex(frame) }]);
  });

  test('a peer that connects before our binding is signed gets it once signed', () => {
    const g = new GateDriver();
    g.state = { ...g.state, local: null };
    expect(g.up(B.swarm_key).effects).toEqual([]);
    const st = statement(A, { issued_at: statement(A).issued_at + 1 });
    const out = g.step({ kind: 'local_binding', statement: st });
    expect(out.effects).toEqual([
      { kind: 'send_frame', swarm_key: B.swarm_key, bytes: encodeBindingFrame(st) },
      { kind: 'publish_binding', statement: st },
    ]);
  });

  test('our own binding is checked before use: another node, or a bad signature → bad_local_binding', () => {
    const g = new GateDriver();
    const before = g.state;
    expect(g.step({ kind: 'local_binding', statement: statement(B) }).reject).toBe('bad_local_binding');
    expect(g.step({ kind: 'local_binding', statement: { ...statement(A), swarm_key: swarmKey(77) } }).reject).toBe('bad_local_binding');
    expect(g.state).toBe(before);
  });

  test('auto-connect flag: binding a member without a Lightning connection emits lightning_connect to its swarm host', () => {
    const g = new GateDriver({ autoconnect: true });
    expect(g.bind(B).effects).toContainEqual({ kind: 'lightning_connect', node_id: B.node_id, host: '127.0.0.1', port: 9735 });
    g.step({ kind: 'lightning_peer', node_id: C.node_id, connected: true });
    expect(g.bind(C).effects.some((e) => e.kind === 'lightning_connect')).toBe(false);
    expect(new GateDriver().bind(B).effects.some((e) => e.kind === 'lightning_connect')).toBe(false);
  });
});

describe('sending and routing', () => {
  test('send goes to the bound connection; unbound node → no_route; non-Hive bytes → not_hive', () => {
    const g = new GateDriver();
    g.bind(B);
    const frame = hiveFrame();
    expect(g.step({ kind: 'send', node_id: B.node_id, bytes: frame }).effects).toEqual([{ kind: 'send_frame', swarm_key: B.swarm_key, bytes: frame }]);
    expect(g.step({ kind: 'send', node_id: C.node_id, bytes: frame }).reject).toBe('no_route');
    expect(g.step({ kind: 'send', node_id: B.node_id, bytes: new Uint8Array([1, 2, 3, 4]) }).reject).toBe('not_hive');
    expect(g.step({ kind: 'send', node_id: B.node_id, bytes: hiveFrame(65_536) }).reject).toBe('oversize');
  });

  test('spec-framed Hive messages (odd Hive type ‖ HIVE ‖ envelope) travel both ways unchanged; an even type before HIVE is not Hive', () => {
    const g = new GateDriver();
    g.bind(B);
    const clhive = hiveFrame(200);
    const spec = new Uint8Array(clhive.length + 2);
    spec.set([0x80, 0x09], 0);
    spec.set(clhive, 2);
    expect(g.step({ kind: 'send', node_id: B.node_id, bytes: spec }).effects).toEqual([{ kind: 'send_frame', swarm_key: B.swarm_key, bytes: spec }]);
    expect(g.frame(B.swarm_key, spec).effects).toEqual([{ kind: 'deliver', node_id: B.node_id, payload_hex: toHex(spec) }]);
    const even = spec.slice();
    even[1] = 0x08;
    expect(g.step({ kind: 'send', node_id: B.node_id, bytes: even }).reject).toBe('not_hive');
  });

  test('route: Lightning when connected, else swarm when bound, else none (outbox)', () => {
    const g = new GateDriver();
    g.bind(B);
    expect(chooseRoute(g.state, B.node_id)).toBe('swarm');
    expect(chooseRoute(g.state, C.node_id)).toBe('none');
    g.step({ kind: 'lightning_peer', node_id: B.node_id, connected: true });
    expect(chooseRoute(g.state, B.node_id)).toBe('lightning');
    g.step({ kind: 'lightning_peer', node_id: B.node_id, connected: false });
    g.step({ kind: 'sidecar_restarted' });
    expect(chooseRoute(g.state, B.node_id)).toBe('none');
  });

  test('peer_down forgets the connection', () => {
    const g = new GateDriver();
    g.bind(B);
    g.step({ kind: 'peer_down', swarm_key: B.swarm_key });
    expect(boundKey(g.state, B.node_id)).toBeUndefined();
  });
});

describe('renewal and key rotation', () => {
  test('a newer statement for the same key on the bound connection is stored; the identical one is a no-op', () => {
    const g = new GateDriver();
    g.bind(B);
    const renewed = statement(B, { issued_at: statement(B).issued_at + 60, expires_at: statement(B).expires_at + 60 });
    expect(g.frame(B.swarm_key, bindingFrameOf(renewed)).reject).toBeUndefined();
    expect(g.state.bindings.get(B.node_id)).toEqual(renewed);
    const before = g.state;
    expect(g.frame(B.swarm_key, bindingFrameOf(renewed))).toEqual({ state: before, effects: [] });
  });

  test('a newer statement for a new key (sidecar restarted elsewhere) supersedes the old connection', () => {
    const g = new GateDriver();
    g.bind(B);
    const rotated = statement(B, { swarm_key: swarmKey(200), issued_at: statement(B).issued_at + 1 });
    g.up(rotated.swarm_key);
    const out = g.frame(rotated.swarm_key, bindingFrameOf(rotated));
    expect(out.effects).toContainEqual({ kind: 'drop', swarm_key: B.swarm_key, reason: 'superseded', block_s: 0 });
    expect(boundKey(g.state, B.node_id)).toBe(rotated.swarm_key);
  });

  test('a newer gossip statement for another key also supersedes the bound connection', () => {
    const g = new GateDriver();
    g.bind(B);
    const rotated = statement(B, { swarm_key: swarmKey(201), issued_at: statement(B).issued_at + 5 });
    const out = g.step({ kind: 'gossip_binding', statement: JSON.parse(JSON.stringify(rotated)) });
    expect(out.effects).toEqual([{ kind: 'drop', swarm_key: B.swarm_key, reason: 'superseded', block_s: 0 }]);
    expect(g.state.bindings.get(B.node_id)).toEqual(rotated);
  });
});
