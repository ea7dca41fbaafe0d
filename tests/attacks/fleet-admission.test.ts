/**
 * Membership only through a verifiable admission (issue 15 items 1–3; machines/admission.ts):
 * member rows in FULL_SYNC, WELCOME and a GOSSIP's `hivebox_member` are added only with an admission proof signed by a full
 * member, a ticket admits one node fleet-wide, and nobody joins beyond `max_members`. Each attack
 * runs over the simulated fleet (real codec, real signatures, one SQLite store per node) and
 * asserts the target's store and state unchanged.
 */
import { afterEach, expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import type { RecordRefusal } from '../../runtime/core/machines/admission.ts';
import { admissionSigningString, type Admission } from '../../runtime/core/wire/payloads/admission.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import { FleetSim, SIM_T0, type SimNode } from '../sim/fleet-sim.ts';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { expectRefusedUnchanged, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

/** A spec-framing HELLO from `node_id` presenting `ticket`. */
function helloBytesFor(node_id: string, ticket: string): Uint8Array {
  return bytesOf('HELLO', { pubkey: node_id, protocol_version: 1, supported_versions: [1, 2], ticket });
}

/** An admission of `peer_id` signed with `signer`'s key, claiming `by` (the signer unless forged). */
function admission(signer: SimNode, peer_id: string, joined_at: number, opts: { by?: string; ticket?: { ticket_id: string; expires_at: number } } = {}): Admission {
  const unsigned = opts.ticket
    ? { by: opts.by ?? signer.node_id, via: 'ticket' as const, ticket_id: opts.ticket.ticket_id, ticket_expires_at: opts.ticket.expires_at }
    : { by: opts.by ?? signer.node_id, via: 'channel' as const };
  return { ...unsigned, sig: signMessage(lightningSignedText(admissionSigningString(HIVE_ID, peer_id, joined_at, unsigned)), signer.key.sk) };
}

/** A FULL_SYNC from `sender` (signed by it) carrying our `rows` after its own member rows. */
function fullSync(s: FleetSim, sender: SimNode, rows: Record<string, PyJson>[]): Uint8Array {
  const own = [...sender.state.membership.members.values()].map((m) => ({ peer_id: m.node_id, tier: m.tier, joined_at: m.joined_at }));
  const payload = { states: [], fleet_hash: '', timestamp: s.now, members: [...own, ...rows], sender_id: sender.node_id };
  return bytesOf('FULL_SYNC', signed('FULL_SYNC', payload, sender.key.sk));
}

/**
 * Deliver `bytes` from `from` to `target` and assert the rows for `outsider` were refused with
 * `reason`, with the target's store byte-for-byte and its membership and tables unchanged.
 */
function expectRowRefused(s: FleetSim, from: SimNode, target: SimNode, bytes: Uint8Array, outsider: string, reason: RecordRefusal): void {
  const dump = target.store.dump();
  const { membership, tables } = target.state;
  const logs = target.logs.length;
  s.inject(from, target, bytes);
  const merged = target.logs.slice(logs).find((l) => l.event === 'full_sync_merged');
  expect(merged?.fields).toMatchObject({ members_added: 0, members_refused: { [outsider]: reason } });
  expect(target.store.dump()).toEqual(dump);
  expect(target.state.membership).toBe(membership);
  expect(target.state.tables).toBe(tables);
}

test('FULL_SYNC ticket bypass: a malicious neophyte lists an outsider — refused without a proof, and with one it signed itself; the outsider\'s GOSSIP claims adopt nobody', () => {
  sim = startedFleet(4, 1501, { neophytes: [2], outsiders: [3] });
  const [member, , neophyte, outsider] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  const row = { peer_id: outsider.node_id, tier: 'member', joined_at: sim.now };
  expectRowRefused(sim, neophyte, member, fullSync(sim, neophyte, [row]), outsider.node_id, 'no_admission');
  sim.advance(61);
  const selfMade = { ...row, admission: admission(neophyte, outsider.node_id, sim.now - 61) as never };
  expectRowRefused(sim, neophyte, member, fullSync(sim, neophyte, [selfMade]), outsider.node_id, 'admitter_not_full_member');
  // The outsider's GOSSIP is still refused: it never became a member, and the row it carries for
  // itself (admitted by the neophyte, or "by" a full member but signed by itself) adopts nobody.
  const gossip = { peer_id: outsider.node_id, sender_id: outsider.node_id, capacity_sats: 0, available_sats: 0, fee_policy: {}, topology: [], version: 1, timestamp: sim.now, state_hash: '' };
  expectRefusedUnchanged(member, 'not_member', () => sim!.inject(outsider, member, bytesOf('GOSSIP', signed('GOSSIP', gossip, outsider.key.sk))));
  for (const claim of [admission(neophyte, outsider.node_id, sim.now), admission(outsider, outsider.node_id, sim.now, { by: member.node_id })]) {
    const claimed = { ...gossip, hivebox_member: { joined_at: sim.now, admission: claim } as never };
    expectRefusedUnchanged(member, 'not_member', () => sim!.inject(outsider, member, bytesOf('GOSSIP', signed('GOSSIP', claimed, outsider.key.sk))));
  }
});

test('admission by a neophyte: its HELLO answer is not_admitting, and a row it signed is refused even from a full member', async () => {
  sim = startedFleet(4, 1502, { neophytes: [2], outsiders: [3] });
  const [member, other, neophyte, outsider] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  const { encoded } = await issueTicket({}, { now: SIM_T0 });
  expectRefusedUnchanged(neophyte, 'not_admitting', () => sim!.inject(outsider, neophyte, helloBytesFor(outsider.node_id, encoded)));
  const row = { peer_id: outsider.node_id, tier: 'neophyte', joined_at: sim.now, admission: admission(neophyte, outsider.node_id, sim.now) as never };
  expectRowRefused(sim, other, member, fullSync(sim, other, [row]), outsider.node_id, 'admitter_not_full_member');
});

test('forged admission signature: a row naming a full member as admitter but signed by another key is refused', () => {
  sim = startedFleet(4, 1503, { outsiders: [3] });
  const [a, b, c, outsider] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  const forged = { peer_id: outsider.node_id, tier: 'neophyte', joined_at: sim.now, admission: admission(outsider, outsider.node_id, sim.now, { by: a.node_id }) as never };
  expectRowRefused(sim, c, b, fullSync(sim, c, [forged]), outsider.node_id, 'bad_admission_signature');
  const tampered = { ...forged, joined_at: sim.now - 1, admission: admission(a, outsider.node_id, sim.now) as never };
  sim.advance(61);
  expectRowRefused(sim, c, b, fullSync(sim, c, [tampered]), outsider.node_id, 'bad_admission_signature');
});

test('a reused ticket: the use travels with the admission, so a second member refuses the thief (HELLO and a racing admission)', async () => {
  sim = startedFleet(6, 1504, { outsiders: [4, 5] });
  const [a, b, c, , owner, thief] = sim.nodes as [SimNode, SimNode, SimNode, SimNode, SimNode, SimNode];
  const { encoded, ticket } = await issueTicket({}, { now: SIM_T0 });
  sim.input(owner, { kind: 'join', member_id: a.node_id, framing: 'spec', ticket: encoded, features: [] });
  sim.advance(1);
  expect(owner.state.membership.hive?.our_role).toBe('neophyte');
  // B learned the admission from A's FULL_SYNC, proof and ticket use with it — no store written by hand.
  expect(b.state.membership.members.get(owner.node_id)?.admission).toMatchObject({ by: a.node_id, via: 'ticket', ticket_id: ticket.ticket_id });
  expect(b.store.membership.usedTicket(ticket.ticket_id)?.used_by).toBe(owner.node_id);
  expectRefusedUnchanged(b, 'ticket_already_used', () => sim!.inject(thief, b, helloBytesFor(thief.node_id, encoded)));
  // A member that admitted the thief with the same ticket before it heard of the first use is not followed by the others.
  const racing = { peer_id: thief.node_id, tier: 'neophyte', joined_at: sim.now, admission: admission(b, thief.node_id, sim.now, { ticket }) as never };
  expectRowRefused(sim, b, c, fullSync(sim, b, [racing]), thief.node_id, 'ticket_reused');
});

test('max_members: a full hive answers no HELLO and adopts no further row', async () => {
  sim = FleetSim.create(4, { seed: 1505, outsiders: [3], config: { max_members: 3 } });
  sim.publishAll();
  sim.advance(1);
  const [a, b, c, outsider] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  const { encoded } = await issueTicket({}, { now: SIM_T0 });
  expectRefusedUnchanged(a, 'hive_full', () => sim!.inject(outsider, a, helloBytesFor(outsider.node_id, encoded)));
  const row = { peer_id: outsider.node_id, tier: 'neophyte', joined_at: sim.now, admission: admission(a, outsider.node_id, sim.now) as never };
  expectRowRefused(sim, c, b, fullSync(sim, c, [row]), outsider.node_id, 'hive_full');
});
