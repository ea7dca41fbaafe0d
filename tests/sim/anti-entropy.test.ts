/**
 * Periodic anti-entropy in the deterministic simulator (issue 15 item 5; machines/anti-entropy.ts):
 * one GOSSIP is lost on the way to one member; the periodic STATE_HASH to a random connected member
 * brings a FULL_SYNC that repairs it within two periods. With the period set beyond the test's
 * horizon the same loss stays unrepaired, so the repair is the periodic exchange's doing.
 */
import { afterEach, expect, test } from 'bun:test';
import { FleetSim, type SimNode } from './fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

const PERIOD_S = 120;

/** A 5-node fleet where node 0's next GOSSIP to node 3 is lost; returns the seconds until convergence (capped at `horizon_s`). */
function loseOneGossip(interval_s: number, horizon_s: number): { repaired_after_s: number | null; victim: SimNode; changer: SimNode } {
  sim = FleetSim.create(5, { seed: 4242, config: { anti_entropy_interval_s: interval_s } });
  sim.publishAll();
  sim.advance(1);
  expect(sim.converged()).toBe(true);
  const [changer, , , victim] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  sim.loseNext(changer, victim, 'GOSSIP');
  sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, fee_rate: 9 } });
  sim.advance(1);
  expect(victim.state.tables.states.get(changer.node_id)!.version).toBe(1);
  expect(sim.nodes[1]!.state.tables.states.get(changer.node_id)!.version).toBe(2);
  for (let t = 0; t < horizon_s; t += 5) {
    if (sim.converged()) return { repaired_after_s: t, victim, changer };
    sim.advance(5);
  }
  return { repaired_after_s: sim.converged() ? horizon_s : null, victim, changer };
}

test('a lost GOSSIP is repaired by the periodic STATE_HASH → FULL_SYNC within two periods', () => {
  const hashes = () => sim!.stats.byType.get('STATE_HASH') ?? 0;
  const { repaired_after_s, victim, changer } = loseOneGossip(PERIOD_S, 2 * PERIOD_S);
  expect(repaired_after_s).not.toBeNull();
  expect(repaired_after_s!).toBeLessThanOrEqual(2 * PERIOD_S);
  console.log(`anti-entropy (sim): a lost GOSSIP repaired after ${repaired_after_s} s (period ${PERIOD_S} s)`);
  expect(victim.state.tables.states.get(changer.node_id)!.fee_policy.fee_rate).toBe(9);
  expect(victim.store.load().tables.states.get(changer.node_id)!.version).toBe(2);
  expect(hashes()).toBeGreaterThan(0);
  expect(sim!.stats.byType.get('FULL_SYNC')).toBeGreaterThan(0);
});

test('with the period beyond the horizon the same loss is not repaired in that time', () => {
  const { repaired_after_s, victim, changer } = loseOneGossip(3_600, 2 * PERIOD_S);
  expect(repaired_after_s).toBeNull();
  expect(victim.state.tables.states.get(changer.node_id)!.version).toBe(1);
  expect(sim!.stats.byType.get('STATE_HASH') ?? 0).toBe(0);
});

test('each node sends one STATE_HASH per period (plus jitter), to a connected member', () => {
  sim = FleetSim.create(4, { seed: 99, config: { anti_entropy_interval_s: PERIOD_S } });
  sim.publishAll();
  sim.advance(1);
  const before = sim.stats.byType.get('STATE_HASH') ?? 0;
  sim.advance(10 * PERIOD_S);
  const sent = (sim.stats.byType.get('STATE_HASH') ?? 0) - before;
  // 4 nodes × 10 periods of 120–150 s (the first is scheduled at the first tick): between 4 × 6 and 4 × 10.
  expect(sent).toBeGreaterThanOrEqual(24);
  expect(sent).toBeLessThanOrEqual(40);
});
