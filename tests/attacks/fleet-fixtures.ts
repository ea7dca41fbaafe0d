/**
 * Shared setup for the fleet attack suites: a started simulated fleet (everyone's gossip
 * delivered), payload builders for honest messages, and the assertion every attack ends with —
 * the named reject, the store byte-for-byte unchanged and the in-memory tables and membership the
 * very same objects.
 */
import { expect } from 'bun:test';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import type { FleetRejectReason } from '../../runtime/core/fleet/types.ts';
import type { RejectReason } from '../../runtime/core/machines/handshake-types.ts';
import type { Tier } from '../../runtime/core/machines/membership.ts';
import { FleetSim, type SimNode } from '../sim/fleet-sim.ts';

/** A fleet of `n` (outsiders and neophytes by index) with every first gossip delivered. */
export function startedFleet(n: number, seed: number, opts: { outsiders?: number[]; neophytes?: number[] } = {}): FleetSim {
  const tiers: Tier[] = Array.from({ length: n }, (_, i) => (opts.neophytes?.includes(i) ? 'neophyte' : 'member'));
  const sim = FleetSim.create(n, { seed, tiers, outsiders: opts.outsiders ?? [] });
  sim.publishAll();
  sim.advance(1);
  return sim;
}

/** The GOSSIP payload `node` would send (unsigned) with its current status at `now`. */
export function gossipPayload(sim: FleetSim, node: SimNode, version: number, patch: Record<string, PyJson> = {}): Record<string, PyJson> {
  const st = node.status;
  return {
    peer_id: node.node_id,
    sender_id: node.node_id,
    capacity_sats: st.capacity_sats,
    available_sats: st.available_sats,
    fee_policy: { ...st.fee_policy },
    topology: [...st.topology],
    version,
    timestamp: sim.now,
    state_hash: '',
    addresses: [...st.addresses],
    capabilities: [],
    ...patch,
  };
}

/**
 * Run `attack` against `node` and assert: its latest reject is `reason`, its store dump is
 * unchanged, and its tables and membership are the very same objects as before.
 */
export function expectRefusedUnchanged(node: SimNode, reason: FleetRejectReason | RejectReason, attack: () => void): void {
  const dump = node.store.dump();
  const tables = node.state.tables;
  const membership = node.state.membership;
  const before = node.rejects.length;
  attack();
  expect(node.rejects.slice(before).map((r) => r.reason)).toContain(reason);
  expect(node.rejects.at(-1)!.reason).toBe(reason);
  expect(node.store.dump()).toEqual(dump);
  expect(node.state.tables).toBe(tables);
  expect(node.state.membership).toBe(membership);
}
