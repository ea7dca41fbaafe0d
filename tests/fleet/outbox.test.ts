/**
 * Reliable delivery (clhive-protocol.md §3.6; issue 4 §3): backoff figures; a governance message
 * that could not be delivered is retried, re-signed with a fresh timestamp under the same event id
 * (the fix of cl-hive §15 item 12: two hours later it is still accepted), applied exactly once and
 * cleared by MSG_ACK; `invalid` fails a row, `retry_later` keeps it; after 24 h the outbox gives up.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { eventIdOf } from '../../runtime/core/machines/event-id.ts';
import { backoffSeconds } from '../../runtime/core/machines/outbox.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import { FleetSim, type SimNode } from '../sim/fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

test('backoff: min(30·2^n, 3600) s plus up to 25 % jitter', () => {
  expect([0, 1, 2, 6, 7, 20].map((n) => backoffSeconds(n, 0))).toEqual([30, 60, 120, 1920, 3600, 3600]);
  expect(backoffSeconds(0, 1)).toBe(38);
  expect(backoffSeconds(7, 1)).toBe(4500);
});

function started(n: number, seed: number): FleetSim {
  const s = FleetSim.create(n, { seed });
  s.publishAll();
  s.advance(1);
  return s;
}

function proposal(node: SimNode) {
  return [...node.state.tables.ban_proposals.values()][0] ?? null;
}

describe('retries', () => {
  test('a BAN_PROPOSAL missed for two hours is re-signed fresh, keeps its event id, and is applied once', () => {
    sim = started(4, 601);
    const [proposer, target, , late] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
    sim.partition([proposer], [late]);
    sim.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'jamming', random: sim.rng.bytes(16) } });
    sim.advance(1);
    const original = proposal(proposer)!;
    expect(proposal(late)).toBeNull();
    const msg_id = eventIdOf('BAN_PROPOSAL', { proposal_id: original.proposal_id });
    expect(proposer.state.tables.outbox.has(`${msg_id}|${late.node_id}`)).toBe(true);
    sim.advance(7200, 60);
    expect(proposal(late)).toBeNull();
    sim.heal();
    sim.advance(3600, 60);
    const received = proposal(late)!;
    expect(received.proposal_id).toBe(original.proposal_id);
    expect(received.timestamp).toBeGreaterThan(original.timestamp + 7200);
    expect([...late.state.tables.events.values()].filter((e) => e.event_id === msg_id)).toHaveLength(1);
    expect(proposer.state.tables.outbox.has(`${msg_id}|${late.node_id}`)).toBe(false);
    expect(late.rejects.filter((r) => r.reason === 'stale_timestamp')).toEqual([]);
  });

  test('a member down for more than 24 h: the outbox gives up and says so', () => {
    sim = started(3, 602);
    const [proposer, target, down] = sim.nodes as [SimNode, SimNode, SimNode];
    sim.stop(down);
    sim.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'gone', random: sim.rng.bytes(16) } });
    sim.advance(25 * 3600, 600);
    expect([...proposer.state.tables.outbox.values()].filter((r) => r.peer_id === down.node_id)).toEqual([]);
    expect(proposer.logs.some((l) => l.event === 'outbox_gave_up' && l.peer_id === down.node_id)).toBe(true);
  });
});

describe('acknowledgements and duplicates', () => {
  test('the same BAN_VOTE bytes twice: applied once, acknowledged both times', () => {
    sim = started(4, 603);
    const [proposer, voter, receiver, target] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
    sim.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'x', random: sim.rng.bytes(16) } });
    sim.advance(1);
    const { proposal_id } = proposal(receiver)!;
    const bytes = bytesOf('BAN_VOTE', signed('BAN_VOTE', { proposal_id, voter_peer_id: voter.node_id, vote: 'reject', timestamp: sim.now }, voter.key.sk));
    const acks = () => sim!.stats.byType.get('MSG_ACK') ?? 0;
    const before = acks();
    sim.inject(voter, receiver, bytes);
    sim.inject(voter, receiver, bytes);
    expect(receiver.rejects.map((r) => r.reason)).toEqual(['duplicate']);
    expect([...receiver.state.tables.ban_votes.values()].filter((v) => v.voter_peer_id === voter.node_id)).toHaveLength(1);
    expect(acks() - before).toBe(2);
  });

  test('MSG_ACK invalid drops the row, retry_later keeps it, an ack for nothing is refused', () => {
    sim = started(3, 604);
    const [proposer, target, other] = sim.nodes as [SimNode, SimNode, SimNode];
    sim.partition([proposer], [target, other]);
    sim.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'x', random: sim.rng.bytes(16) } });
    const msg_id = [...proposer.state.tables.outbox.values()][0]!.msg_id;
    const ack = (from: SimNode, status: string, id = msg_id) => bytesOf('MSG_ACK', { ack_msg_id: id, status, sender_id: from.node_id, timestamp: sim!.now });
    sim.inject(other, proposer, ack(other, 'retry_later'));
    expect(proposer.state.tables.outbox.has(`${msg_id}|${other.node_id}`)).toBe(true);
    sim.inject(other, proposer, ack(other, 'invalid'));
    expect(proposer.state.tables.outbox.has(`${msg_id}|${other.node_id}`)).toBe(false);
    const tables = proposer.state.tables;
    sim.inject(other, proposer, ack(other, 'ok', 'ab'.repeat(16)));
    expect(proposer.rejects.at(-1)!.reason).toBe('unknown_ack');
    expect(proposer.state.tables).toBe(tables);
  });
});
