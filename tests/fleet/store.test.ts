/**
 * The fleet store (services/store/fleet-store.ts): after a busy simulated run every node's SQLite
 * file loads back exactly the tables and membership its machine holds in memory; a step's writes
 * commit all or nothing; the operator's decision inbox refuses what cannot be decided and drains
 * once.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFleetStore, type FleetStore } from '../../services/store/fleet-store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../services/store/schema.ts';
import { FleetSim, type SimNode } from '../sim/fleet-sim.ts';
import { externalId } from '../sim/network.ts';
import { SeededRng } from '../sim/rng.ts';
import { ADMIN_ID } from '../ticket/fixtures.ts';

let sim: FleetSim | null = null;
let dir: string | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function freshStore(): FleetStore {
  dir = mkdtempSync(join(tmpdir(), 'hivebox-fleet-store-'));
  const s = openFleetStore(join(dir, 'node.sqlite'), 1_760_000_000);
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

test('after gossip, intents, a ban vote, a peer ban, a promotion and a revocation, every store loads what the machine holds', () => {
  sim = FleetSim.create(6, { seed: 501, tiers: ['member', 'member', 'member', 'member', 'member', 'neophyte'] });
  sim.publishAll();
  sim.advance(1);
  const [a, b, c, , e, neo] = sim.nodes as [SimNode, SimNode, SimNode, SimNode, SimNode, SimNode];
  const rng = new SeededRng(3);
  sim.input(a, { kind: 'command', command: { name: 'propose_intent', intent_type: 'channel_open', target: externalId(rng), amount_sats: 1_000_000, source: 'operator' } });
  sim.input(b, { kind: 'command', command: { name: 'ban_peer', peer_id: externalId(rng), reason: 'probing', evidence: ['x'], random: sim.rng.bytes(16) } });
  sim.input(neo, { kind: 'command', command: { name: 'request_promotion', random: sim.rng.bytes(16) } });
  sim.advance(70);
  const request_id = [...neo.state.tables.promotion_requests.values()][0]!.request_id;
  for (const m of sim.nodes.slice(0, 3)) sim.input(m, { kind: 'command', command: { name: 'vouch', target_pubkey: neo.node_id, request_id } });
  sim.input(c, { kind: 'command', command: { name: 'propose_ban', target_peer_id: e.node_id, reason: 'leech', random: sim.rng.bytes(16) } });
  sim.input(a, { kind: 'command', command: { name: 'revoke', node_id: sim.nodes[3]!.node_id, reason: 'lost key', admin_pubkey: ADMIN_ID, random: sim.rng.bytes(16) } });
  sim.advance(5);
  for (const node of sim.nodes) {
    expect(node.store.loadTables()).toEqual(node.state.tables);
    expect(node.store.membership.load()).toEqual(node.state.membership);
  }
  const total = sim.nodes.reduce((n, x) => n + [...Object.values(x.state.tables)].reduce((k, t) => k + t.size, 0), 0);
  expect(total).toBeGreaterThan(100);
});

describe('commit', () => {
  test('a failing write rolls back the membership and fleet writes of the same step', () => {
    const store = freshStore();
    const before = store.dump();
    const r = store.commit([
      { kind: 'persist', write: { op: 'put_member', member: { node_id: '02' + '11'.repeat(32), tier: 'member', joined_at: 1, addresses: [] } } },
      { kind: 'persist_fleet', write: { op: 'put', table: 'departures', row: { node_id: '02' + '22'.repeat(32), departed_at: 1, how: 'left', reason: 'x' } } },
      { kind: 'persist_fleet', write: { op: 'put', table: 'departures', row: { node_id: '02' + '33'.repeat(32), departed_at: 1, how: 'exiled', reason: 'x' } } as never },
    ]);
    expect(r.ok).toBe(false);
    expect(store.dump()).toEqual(before);
    store.close();
  });

  test('schema v2 (and the planner\'s v3) sits next to the membership tables; a reopen migrates nothing again', () => {
    const store = freshStore();
    expect(store.membership.schemaVersion()).toBe(SCHEMA_VERSION);
    store.close();
    const again = openFleetStore(join(dir!, 'node.sqlite'), 1_760_000_999);
    if (!again.ok) throw new Error('reopen');
    expect(again.value.dump().schema_version).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: 1_760_000_000 })));
    again.value.close();
  });
});

describe('decision inbox', () => {
  const action = { action_id: 'a1b2c3d4e5f6', intent_id: 'ff'.repeat(16), intent_type: 'channel_open' as const, target: '02' + '44'.repeat(32), amount_sats: 5, created_at: 100, expires_at: 200, status: 'pending' as const, decided_at: null, reason: '' };

  test('refuses unknown, decided and expired actions; drains recorded decisions once, oldest first', () => {
    const store = freshStore();
    expect(store.commit([{ kind: 'persist_fleet', write: { op: 'put', table: 'actions', row: action } }]).ok).toBe(true);
    expect(store.recordDecision('nope', 'approve', '', 150)).toEqual({ ok: false, error: { kind: 'unknown_action' } });
    expect(store.recordDecision(action.action_id, 'approve', '', 250)).toEqual({ ok: false, error: { kind: 'action_expired', expires_at: 200 } });
    expect(store.recordDecision(action.action_id, 'approve', 'go', 150)).toMatchObject({ ok: true });
    expect(store.recordDecision(action.action_id, 'reject', 'changed my mind', 151)).toMatchObject({ ok: true });
    expect(store.takeDecisions().map((d) => [d.action_id, d.decision, d.reason])).toEqual([
      [action.action_id, 'approve', 'go'],
      [action.action_id, 'reject', 'changed my mind'],
    ]);
    expect(store.takeDecisions()).toEqual([]);
    store.commit([{ kind: 'persist_fleet', write: { op: 'put', table: 'actions', row: { ...action, status: 'approved', decided_at: 160 } } }]);
    expect(store.recordDecision(action.action_id, 'approve', '', 170)).toEqual({ ok: false, error: { kind: 'action_not_pending', status: 'approved' } });
    store.close();
  });
});
