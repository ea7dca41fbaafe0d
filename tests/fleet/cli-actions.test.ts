/**
 * `hivebox actions | approve | reject` end to end: the real CLI process reads a node's store file
 * while the (simulated) daemon holds it open, records the decision in the inbox, and the daemon's
 * next tick drains it into the fleet engine, which commits or aborts the intent.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { FleetSim, type SimNode } from '../sim/fleet-sim.ts';
import { externalId } from '../sim/network.ts';
import { SeededRng } from '../sim/rng.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

function cli(...args: string[]): { exit: number; out: string; err: string } {
  const p = Bun.spawnSync(['bun', MAIN, ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, HIVEBOX_STORE: '' } });
  return { exit: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

/** A node with one ready intent queued as a pending action. */
function withAction(seed: number): { node: SimNode; action_id: string } {
  sim = FleetSim.create(2, { seed });
  sim.publishAll();
  sim.advance(1);
  const node = sim.nodes[0]!;
  sim.input(node, { kind: 'command', command: { name: 'propose_intent', intent_type: 'channel_open', target: externalId(new SeededRng(seed)), amount_sats: 3_000_000, source: 'operator' } });
  sim.advance(65);
  return { node, action_id: [...node.state.tables.actions.values()][0]!.action_id };
}

/** What the daemon does on its tick: drain the inbox into the engine. */
function drain(node: SimNode): void {
  for (const d of node.store.takeDecisions()) sim!.input(node, { kind: 'operator_decision', action_id: d.action_id, decision: d.decision, reason: d.reason });
}

test('actions lists the pending action; approve records it; the daemon commits on its tick; a second approve is refused', () => {
  const { node, action_id } = withAction(901);
  const listed = cli('actions', '--store', node.dbPath, '--json');
  expect(listed.exit).toBe(0);
  expect(JSON.parse(listed.out)).toMatchObject([{ action_id, status: 'pending', intent_type: 'channel_open', amount_sats: 3_000_000 }]);
  expect(cli('actions', '--store', node.dbPath).out).toContain(action_id);
  const approved = cli('approve', action_id, '--store', node.dbPath, '--now', String(sim!.now));
  expect(approved.exit).toBe(0);
  expect(approved.out).toContain(`approve ${action_id} recorded`);
  drain(node);
  expect(node.executed.map((e) => e.amount_sats)).toEqual([3_000_000]);
  const again = cli('approve', action_id, '--store', node.dbPath, '--now', String(sim!.now));
  expect(again.exit).toBe(1);
  expect(again.err).toContain('already approved');
  expect(cli('actions', '--store', node.dbPath).out.trim()).toBe('no pending actions');
});

test('reject records the reason and the daemon aborts the intent', () => {
  const { node, action_id } = withAction(902);
  expect(cli('reject', action_id, '--reason', 'too small', '--store', node.dbPath, '--now', String(sim!.now)).exit).toBe(0);
  drain(node);
  expect([...node.state.tables.intents.values()][0]).toMatchObject({ status: 'aborted', reason: 'operator_rejected' });
  expect(node.state.tables.actions.get(action_id)).toMatchObject({ status: 'rejected', reason: 'too small' });
});

test('unknown action: exit 1; expired: exit 1; no store and no daemon: exit 69', () => {
  const { node, action_id } = withAction(903);
  expect(cli('approve', 'ffffffffffff', '--store', node.dbPath, '--now', String(sim!.now)).exit).toBe(1);
  const late = cli('approve', action_id, '--store', node.dbPath, '--now', String(sim!.now + 2 * 86_400));
  expect(late.exit).toBe(1);
  expect(late.err).toContain('expired');
  expect(cli('actions', '--socket', join(node.dbPath, '..', 'no-daemon.sock')).exit).toBe(69);
});
