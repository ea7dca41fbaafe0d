/**
 * Fleet growth with realistic members (issue 19 §5): each member has 50–150 public channels, all in
 * its GOSSIP topology (tests/sim: real codec bytes, real signatures, one SQLite file per node). For
 * N = 10, 50, 100, 200 members, the Hive messages and their bytes on the wire (whole custom
 * messages) of:
 * - `formation`: every member's first GOSSIP until quiet (N(N−1) messages);
 * - `change`: one member changes its fee policy, until quiet (target: N−1 messages, one round);
 * - `join`: one node joins with an invite ticket (handshake, the welcomer's FULL_SYNC round in as
 *   many parts as the fleet needs, STATE_HASH, 0-fee routing), until quiet; then every member
 *   lists the newcomer (checked).
 * `FLEET_SCALE_N=10,50` runs a subset (N = 200 forms with ~40,000 GOSSIPs).
 */
import { FleetSim, SIM_T0 } from '../sim/fleet-sim.ts';
import { issueTicket } from '../ticket/fixtures.ts';
import { report } from './harness.ts';

/** Run `act`, let 2 simulated seconds pass (deliveries and ticks); messages and bytes sent meanwhile. */
function traffic(sim: FleetSim, act: () => void): { messages: number; bytes: number } {
  const [sent, bytes] = [sim.stats.sent, sim.stats.bytes];
  act();
  sim.advance(2);
  return { messages: sim.stats.sent - sent, bytes: sim.stats.bytes - bytes };
}

const { encoded } = await issueTicket({ requirements: 1 }, { now: SIM_T0 });
for (const n of (process.env.FLEET_SCALE_N ?? '10,50,100,200').split(",").map(Number)) {
  const sim = FleetSim.create(n + 1, { seed: 1900 + n, externals: [50, 150], outsiders: [n] });
  const members = sim.nodes.slice(0, n);
  const formation = traffic(sim, () => sim.publishAll());
  if (!sim.converged()) throw new Error(`fleet of ${n} did not form`);
  report(`fleet_scale.formation.${n}.messages`, formation.messages, 'messages', 1);
  report(`fleet_scale.formation.${n}.bytes`, formation.bytes, 'bytes', 1);

  const changer = members[n - 1]!;
  const change = traffic(sim, () => sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, fee_rate: 42 } }));
  if (!sim.converged()) throw new Error(`fleet of ${n} did not converge after a change`);
  report(`fleet_scale.change.${n}.messages`, change.messages, 'messages', 1, { target: { op: '<=', value: n - 1 } });
  report(`fleet_scale.change.${n}.bytes`, change.bytes, 'bytes', 1);

  const newcomer = sim.nodes[n]!;
  const syncs = sim.stats.byType.get('FULL_SYNC') ?? 0;
  const join = traffic(sim, () => sim.input(newcomer, { kind: 'join', member_id: members[0]!.node_id, framing: 'spec', ticket: encoded, features: ['splice', 'proto-v2'] }));
  if (!members.every((m) => m.state.membership.members.has(newcomer.node_id))) throw new Error(`the newcomer did not reach every member of ${n}`);
  report(`fleet_scale.join.${n}.messages`, join.messages, 'messages', 1);
  report(`fleet_scale.join.${n}.bytes`, join.bytes, 'bytes', 1);
  report(`fleet_scale.join.${n}.full_sync_messages`, (sim.stats.byType.get('FULL_SYNC') ?? 0) - syncs, 'messages', 1);
  sim.close();
}
