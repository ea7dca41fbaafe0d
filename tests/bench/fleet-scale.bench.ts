/**
 * Fleet growth with realistic members (issue 19 §5): each member has 50–150 public channels, all in
 * its GOSSIP topology (tests/sim: real codec bytes, real signatures, one SQLite file per node). For
 * N = 10, 50, 100, 200 members, the Hive messages and their bytes on the wire (whole custom
 * messages) of:
 * - `formation`: every member's first GOSSIP until quiet (N(N−1) messages);
 * - `change`: one member changes its fee policy, until quiet (target: N−1 messages, one round);
 * - `join`: one node joins with an invite ticket (handshake, the welcomer's FULL_SYNC round in as
 *   many parts as the fleet needs, STATE_HASH, 0-fee routing), until quiet; then the newcomer's
 *   first GOSSIP (its daemon refreshes its status on the membership change), until quiet; then
 *   every member lists the newcomer and the fleet has converged (checked).
 * Each step runs until nothing is in flight (at most 60 simulated s) and prints the simulated time
 * it took. The fleet is configured with `max_members` = N + 1, so the newcomer fits (at the default
 * 50 a fleet of 50 is full and refuses it: `hive_full`).
 * `FLEET_SCALE_N=10,50` runs a subset (N = 200 forms with ~40,000 GOSSIPs).
 */
import { FleetSim, SIM_T0 } from '../sim/fleet-sim.ts';
import { issueTicket } from '../ticket/fixtures.ts';
import { report, type Target } from './harness.ts';

/** Run each act, each followed by delivering and ticking until quiet (≤ 60 simulated s); messages and bytes sent, simulated ms taken. */
function traffic(sim: FleetSim, ...acts: (() => void)[]): { messages: number; bytes: number; sim_ms: number } {
  const [sent, bytes] = [sim.stats.sent, sim.stats.bytes];
  let sim_ms = 0;
  for (const act of acts) {
    act();
    sim_ms += sim.settle(60);
  }
  return { messages: sim.stats.sent - sent, bytes: sim.stats.bytes - bytes, sim_ms };
}

/** Print one step's messages, bytes and simulated time (the messages against `target`, if any). */
function reportStep(step: string, n: number, t: { messages: number; bytes: number; sim_ms: number }, target?: Target): void {
  report(`fleet_scale.${step}.${n}.messages`, t.messages, 'messages', 1, target ? { target } : {});
  report(`fleet_scale.${step}.${n}.bytes`, t.bytes, 'bytes', 1);
  report(`fleet_scale.${step}.${n}.sim_ms`, t.sim_ms, 'simulated ms', 1);
}

const { encoded } = await issueTicket({ requirements: 1 }, { now: SIM_T0 });
for (const n of (process.env.FLEET_SCALE_N ?? '10,50,100,200').split(",").map(Number)) {
  const sim = FleetSim.create(n + 1, { seed: 1900 + n, externals: [50, 150], outsiders: [n], config: { max_members: n + 1 } });
  const members = sim.nodes.slice(0, n);
  const formation = traffic(sim, () => sim.publishAll());
  if (!sim.converged()) throw new Error(`fleet of ${n} did not form`);
  reportStep('formation', n, formation);

  const changer = members[n - 1]!;
  const change = traffic(sim, () => sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, fee_rate: 42 } }));
  if (!sim.converged()) throw new Error(`fleet of ${n} did not converge after a change`);
  reportStep('change', n, change, { op: '<=', value: n - 1 });

  const newcomer = sim.nodes[n]!;
  const syncs = sim.stats.byType.get('FULL_SYNC') ?? 0;
  const join = traffic(
    sim,
    () => sim.input(newcomer, { kind: 'join', member_id: members[0]!.node_id, framing: 'spec', ticket: encoded, features: ['splice', 'proto-v2'] }),
    () => sim.publish(newcomer),
  );
  if (!members.every((m) => m.state.membership.members.has(newcomer.node_id))) throw new Error(`the newcomer did not reach every member of ${n}`);
  if (!sim.converged()) throw new Error(`fleet of ${n} did not converge after the join`);
  reportStep('join', n, join);
  report(`fleet_scale.join.${n}.full_sync_messages`, (sim.stats.byType.get('FULL_SYNC') ?? 0) - syncs, 'messages', 1);
  sim.close();
}
