/**
 * Fleet state convergence on 3, 10 and 50 simulated nodes (issue 4 §1, §6): everyone's GOSSIP
 * reaches everyone; one member's change converges again; a partition diverges and heals through
 * STATE_HASH → FULL_SYNC; a node restarting mid-gossip resumes with a higher version that every
 * peer accepts. Real codec bytes, real signatures, one SQLite file per node.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { currentFleetHash } from '../../runtime/core/machines/gossip.ts';
import { FleetSim } from './fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

function versions(s: FleetSim, id: string): number[] {
  return s.nodes.filter((n) => n.up).map((n) => n.state.tables.states.get(id)?.version ?? -1);
}

describe.each([3, 10, 50])('a fleet of %i', (n) => {
  test('converges from nothing, and again after one member changes its fee policy', () => {
    sim = FleetSim.create(n, { seed: n });
    sim.publishAll();
    sim.advance(1);
    expect(sim.converged()).toBe(true);
    for (const node of sim.nodes) expect(node.state.tables.states.size).toBe(n);
    expect(sim.nodes.flatMap((x) => x.rejects)).toEqual([]);

    const changer = sim.nodes[n - 1]!;
    const before = sim.stats.sent;
    sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, cltv_delta: 80 } });
    expect(sim.converged()).toBe(false);
    sim.advance(1);
    expect(sim.converged()).toBe(true);
    expect(sim.stats.sent - before).toBe(n - 1);
    expect(versions(sim, changer.node_id)).toEqual(Array(n).fill(2));
    for (const node of sim.nodes) expect(node.state.tables.states.get(changer.node_id)!.fee_policy.cltv_delta).toBe(80);
  }, 180_000);

  test('a partition diverges, and healing converges through STATE_HASH and FULL_SYNC', () => {
    sim = FleetSim.create(n, { seed: 100 + n });
    sim.publishAll();
    sim.advance(1);
    const left = sim.nodes.slice(0, Math.ceil(n / 2));
    const right = sim.nodes.slice(Math.ceil(n / 2));
    sim.partition(left, right);
    sim.publish(left[0]!, { topology: left[0]!.status.topology.slice(0, 1) });
    sim.publish(right[0]!, { fee_policy: { ...right[0]!.status.fee_policy, fee_rate: 7 } });
    sim.advance(2);
    expect(sim.converged(left)).toBe(true);
    expect(sim.converged(right)).toBe(true);
    expect(currentFleetHash(left[0]!.state)).not.toBe(currentFleetHash(right[0]!.state));
    const syncsBefore = sim.stats.byType.get('FULL_SYNC') ?? 0;
    sim.heal();
    sim.advance(2);
    expect(sim.converged()).toBe(true);
    expect((sim.stats.byType.get('FULL_SYNC') ?? 0) - syncsBefore).toBeGreaterThan(0);
    expect(versions(sim, left[0]!.node_id)).toEqual(Array(n).fill(2));
    expect(versions(sim, right[0]!.node_id)).toEqual(Array(n).fill(2));
  }, 180_000);
});

describe('stale state', () => {
  test('a member silent for more than an hour is marked stale everywhere, and fresh again once it gossips', () => {
    sim = FleetSim.create(3, { seed: 9 });
    sim.publishAll();
    sim.advance(1);
    const silent = sim.nodes[2]!;
    sim.stop(silent);
    sim.advance(3_500, 60);
    expect(sim.nodes[0]!.state.tables.states.get(silent.node_id)!.stale).toBe(0);
    sim.advance(200, 60);
    for (const node of sim.nodes.slice(0, 2)) {
      expect(node.state.tables.states.get(silent.node_id)!.stale).toBe(1);
      expect(node.logs.some((l) => l.event === 'state_stale' && l.peer_id === silent.node_id)).toBe(true);
      expect(node.state.tables.states.get(node.node_id)!.stale).toBe(0);
    }
    sim.restart(silent);
    sim.publish(silent);
    sim.advance(1);
    for (const node of sim.nodes) expect(node.state.tables.states.get(silent.node_id)!.stale).toBe(0);
    expect(sim.converged()).toBe(true);
  });
});

describe('restart mid-gossip', () => {
  test('a node stopped with its gossip half delivered resumes above its last version; every peer accepts it', () => {
    sim = FleetSim.create(10, { seed: 7, latency_ms: [50, 500] });
    sim.publishAll();
    sim.advance(1);
    const node = sim.nodes[3]!;
    sim.publish(node, { capacity_sats: node.status.capacity_sats * 2 });
    sim.deliver(sim.now_ms + 200);
    const stored = node.store.row('states', node.node_id)!.version;
    expect(stored).toBe(2);
    const sawV2 = sim.nodes.filter((x) => x.state.tables.states.get(node.node_id)?.version === 2).length;
    expect(sawV2).toBeGreaterThan(1);
    expect(sawV2).toBeLessThan(10);
    sim.stop(node);
    sim.advance(1);
    sim.restart(node);
    expect(node.state.tables.states.get(node.node_id)!.version).toBe(2);
    sim.publish(node);
    sim.advance(2);
    expect(sim.converged()).toBe(true);
    expect(versions(sim, node.node_id)).toEqual(Array(10).fill(3));
    expect(sim.nodes.flatMap((x) => x.rejects).filter((r) => r.reason === 'stale_version')).toEqual([]);
  });

  test('a node that lost its store adopts its own last version from a FULL_SYNC and goes above it', () => {
    sim = FleetSim.create(3, { seed: 8 });
    sim.publishAll();
    sim.advance(1);
    const node = sim.nodes[0]!;
    sim.publish(node, { capacity_sats: node.status.capacity_sats * 2 });
    sim.advance(1);
    expect(sim.nodes[1]!.state.tables.states.get(node.node_id)!.version).toBe(2);
    sim.stop(node);
    for (const suffix of ['', '-wal', '-shm']) rmSync(node.dbPath + suffix, { force: true });
    node.open(sim.now);
    sim.seedMembership(node, sim.net.keys);
    node.store.close();
    sim.restart(node);
    sim.advance(1);
    expect(node.state.tables.states.get(node.node_id)!.version).toBe(2);
    expect(node.logs.some((l) => l.event === 'own_version_behind')).toBe(true);
    sim.publish(node);
    sim.advance(1);
    expect(sim.converged()).toBe(true);
    expect(versions(sim, node.node_id)).toEqual([3, 3, 3]);
  });
});
