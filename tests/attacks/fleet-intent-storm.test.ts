/**
 * Attack / failure: intent storms (spec 003 §2.3). A planner loop firing every second (bug or
 * hostile config) gets one intent per 300 s and never a second pending intent on one target; a
 * member flooding INTENTs fills at most 200 remote slots; an INTENT with an impossible window is
 * refused. Every refused input leaves the state unchanged.
 */
import { afterEach, expect, test } from 'bun:test';
import { bytesOf } from '../sim/craft.ts';
import { FleetSim } from '../sim/fleet-sim.ts';
import { externalId } from '../sim/network.ts';
import { SeededRng } from '../sim/rng.ts';
import { expectRefusedUnchanged, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

test('a planner proposing every second for an hour: 12 intents, one per 300 s, each refused attempt changes nothing', () => {
  sim = FleetSim.create(3, { seed: 231, config: { planner_enable_expansions: true, planner_interval_s: 0 } });
  const node = sim.nodes[0]!;
  const rng = new SeededRng(7);
  const targets = Array.from({ length: 4 }, () => externalId(rng));
  let refused = 0;
  for (let t = 0; t < 3600; t++) {
    const target = targets[t % targets.length]!;
    const before = { tables: node.state.tables, rejects: node.rejects.length };
    sim.input(node, { kind: 'command', command: { name: 'propose_intent', intent_type: 'channel_open', target, source: 'planner' } });
    if (node.rejects.length > before.rejects) {
      refused++;
      expect(['intent_rate_limited', 'intent_pending']).toContain(node.rejects.at(-1)!.reason);
      expect(node.state.tables).toBe(before.tables);
    }
    sim.advance(1, 1);
  }
  const intents = [...node.state.tables.intents.values()];
  expect(intents.length).toBe(12);
  expect(refused).toBe(3600 - 12);
  const times = intents.map((r) => r.timestamp).sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300);
});

test('a second pending intent on the same target: intent_pending, state unchanged', () => {
  sim = startedFleet(3, 232);
  const node = sim.nodes[0]!;
  const target = externalId(new SeededRng(8));
  const cmd = { kind: 'command' as const, command: { name: 'propose_intent' as const, intent_type: 'channel_open' as const, target, source: 'operator' as const } };
  sim.input(node, cmd);
  expectRefusedUnchanged(node, 'intent_pending', () => sim.input(node, cmd));
});

test('a member flooding 1,000 INTENTs fills at most 200 remote slots', () => {
  sim = startedFleet(3, 233);
  const [victim, flooder] = [sim.nodes[0]!, sim.nodes[1]!];
  const rng = new SeededRng(9);
  for (let i = 0; i < 1000; i++) {
    const payload = { intent_type: 'channel_open', target: externalId(rng), initiator: flooder.node_id, timestamp: sim.now, expires_at: sim.now + 300 };
    sim.inject(flooder, victim, bytesOf('INTENT', payload));
  }
  expect(victim.state.remote_intents.size).toBe(200);
});

test('an INTENT whose lock would last a day: bad_intent_window, state unchanged', () => {
  sim = startedFleet(3, 234);
  const [victim, sender] = [sim.nodes[0]!, sim.nodes[1]!];
  const payload = { intent_type: 'channel_open', target: externalId(new SeededRng(10)), initiator: sender.node_id, timestamp: sim.now, expires_at: sim.now + 86_400 };
  const remote = victim.state.remote_intents;
  expectRefusedUnchanged(victim, 'bad_intent_window', () => sim.inject(sender, victim, bytesOf('INTENT', payload)));
  expect(victim.state.remote_intents).toBe(remote);
});
