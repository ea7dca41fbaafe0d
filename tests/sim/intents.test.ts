/**
 * The Intent Lock Protocol on simulated fleets (spec 003 §4; issue 4 §2): concurrent channel_open
 * intents on one target from several members end with exactly one winner — the lowest node id —
 * on every node; the losers send INTENT_ABORT; advisor mode turns the ready intent into a pending
 * action that the operator approves or rejects; autonomous mode commits by itself.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { externalId } from './network.ts';
import { FleetSim, type SimNode } from './fleet-sim.ts';
import { SeededRng } from './rng.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

const TARGET = externalId(new SeededRng(4242));

function propose(s: FleetSim, node: SimNode, approved = false): void {
  s.input(node, { kind: 'command', command: { name: 'propose_intent', intent_type: 'channel_open', target: TARGET, amount_sats: 2_000_000, source: 'operator', approved } });
}

function intentOf(node: SimNode) {
  return [...node.state.tables.intents.values()].find((r) => r.target === TARGET) ?? null;
}

describe.each([3, 10, 50])('concurrent channel_open on one target, fleet of %i', (n) => {
  test('exactly one winner, the lowest node id, on every node', () => {
    sim = FleetSim.create(n, { seed: 300 + n, config: { governance_mode: 'autonomous' } });
    sim.publishAll();
    sim.advance(1);
    const proposers = sim.nodes.slice(0, Math.min(n, 5));
    for (const p of proposers) propose(sim, p);
    sim.advance(90);
    const winner = [...proposers].sort((a, b) => (a.node_id < b.node_id ? -1 : 1))[0]!;
    const executed = sim.nodes.flatMap((x) => x.executed.map((e) => ({ node: x.node_id, target: e.target })));
    expect(executed).toEqual([{ node: winner.node_id, target: TARGET }]);
    expect(intentOf(winner)!.status).toBe('done');
    for (const p of proposers) if (p !== winner) expect(intentOf(p)).toMatchObject({ status: 'aborted', reason: 'tie_breaker_loss' });
    for (const node of sim.nodes) {
      const live = [...node.state.remote_intents.values()].filter((r) => r.target === TARGET && r.status === 'pending').map((r) => r.initiator);
      expect(live).toEqual(node === winner ? [] : [winner.node_id]);
    }
    expect(sim.stats.byType.get('INTENT_ABORT')).toBe((proposers.length - 1) * (n - 1));
  }, 180_000);
});

describe('advisor mode (default)', () => {
  test('a ready intent waits as a pending action; approval commits it', () => {
    sim = FleetSim.create(3, { seed: 31 });
    sim.publishAll();
    sim.advance(1);
    const node = sim.nodes[1]!;
    propose(sim, node);
    sim.advance(65);
    expect(node.executed).toEqual([]);
    const action = [...node.state.tables.actions.values()][0]!;
    expect(action).toMatchObject({ status: 'pending', target: TARGET, intent_type: 'channel_open' });
    expect(node.events.map((e) => e.name)).toContain('action_pending');
    sim.input(node, { kind: 'operator_decision', action_id: action.action_id, decision: 'approve' });
    expect(node.executed.map((e) => e.target)).toEqual([TARGET]);
    expect(intentOf(node)!.status).toBe('done');
  });

  test('rejection aborts the intent and releases the target for the fleet', () => {
    sim = FleetSim.create(3, { seed: 32 });
    sim.publishAll();
    sim.advance(1);
    const node = sim.nodes[0]!;
    propose(sim, node);
    sim.advance(65);
    const action = [...node.state.tables.actions.values()][0]!;
    sim.input(node, { kind: 'operator_decision', action_id: action.action_id, decision: 'reject', reason: 'not now' });
    sim.advance(1);
    expect(intentOf(node)).toMatchObject({ status: 'aborted', reason: 'operator_rejected' });
    for (const other of sim.nodes.slice(1)) {
      expect([...other.state.remote_intents.values()].filter((r) => r.status === 'pending')).toEqual([]);
    }
    propose(sim, sim.nodes[2]!);
    expect(sim.nodes[2]!.rejects).toEqual([]);
  });

  test('approving after the intent expired announces it again and commits only after a new hold', () => {
    sim = FleetSim.create(3, { seed: 33 });
    sim.publishAll();
    sim.advance(1);
    const node = sim.nodes[2]!;
    propose(sim, node);
    sim.advance(400);
    expect(intentOf(node)!.status).toBe('expired');
    const action = [...node.state.tables.actions.values()][0]!;
    expect(action.status).toBe('pending');
    const intentsBefore = sim.stats.byType.get('INTENT') ?? 0;
    sim.input(node, { kind: 'operator_decision', action_id: action.action_id, decision: 'approve' });
    expect(sim.stats.byType.get('INTENT')).toBe(intentsBefore + 2);
    expect(node.executed).toEqual([]);
    sim.advance(30);
    expect(node.executed).toEqual([]);
    sim.advance(40);
    expect(node.executed.map((e) => e.target)).toEqual([TARGET]);
  });

  test('the planner cannot open channels unless expansions are enabled', () => {
    sim = FleetSim.create(3, { seed: 34 });
    const node = sim.nodes[0]!;
    sim.input(node, { kind: 'command', command: { name: 'propose_intent', intent_type: 'channel_open', target: TARGET, source: 'planner' } });
    expect(node.rejects.map((r) => r.reason)).toEqual(['expansions_disabled']);
    expect(node.state.tables.intents.size).toBe(0);
  });
});
