/**
 * Fleet convergence figures (issue 4 §5): for 10, 50 and 100 simulated members (tests/sim: real
 * codec bytes, real signatures, one SQLite file per node, 20–120 ms seeded link latency), after
 * one member changes its fee policy — wall time for the whole fleet to process it, simulated time
 * until the last message landed (every node then holds the same fleet hash; checked), and
 * messages sent. Also the first formation of the fleet state (everyone's first gossip) and, for
 * 10 and 50, the heal of a half/half partition (STATE_HASH → FULL_SYNC anti-entropy).
 */
import { FleetSim } from '../sim/fleet-sim.ts';
import { median, report } from './harness.ts';

const RUNS = 3;

/** Run `act`, deliver until quiet; wall ms, simulated ms and messages; throws unless converged. */
function measure(sim: FleetSim, act: () => void): { wall: number; sim: number; messages: number } {
  const sent = sim.stats.sent;
  const start = sim.now_ms;
  const t0 = Bun.nanoseconds();
  act();
  sim.deliver();
  const wall = (Bun.nanoseconds() - t0) / 1e6;
  if (!sim.converged()) throw new Error('fleet did not converge');
  return { wall, sim: sim.now_ms - start, messages: sim.stats.sent - sent };
}

function figures(name: string, runs: { wall: number; sim: number; messages: number }[]): void {
  report(`${name}.wall`, median(runs.map((r) => r.wall)), 'ms', runs.length);
  report(`${name}.sim`, median(runs.map((r) => r.sim)), 'ms', runs.length);
  report(`${name}.messages`, median(runs.map((r) => r.messages)), 'messages', runs.length);
}

for (const n of [10, 50, 100]) {
  const sim = FleetSim.create(n, { seed: n });
  figures(`fleet.formation.${n}`, [measure(sim, () => sim.publishAll())]);

  const changer = sim.nodes[n - 1]!;
  const runs = Array.from({ length: RUNS }, (_, i) => measure(sim, () => sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, fee_rate: i + 1 } })));
  figures(`fleet.converge_after_change.${n}`, runs);

  if (n <= 50) {
    const left = sim.nodes.slice(0, n / 2);
    sim.partition(left, sim.nodes.slice(n / 2));
    sim.publish(left[0]!, { fee_policy: { ...left[0]!.status.fee_policy, cltv_delta: 99 } });
    sim.publish(changer, { capacity_sats: changer.status.capacity_sats * 2 });
    sim.deliver();
    figures(`fleet.heal.${n}`, [measure(sim, () => sim.heal())]);
  }
  sim.close();
}
