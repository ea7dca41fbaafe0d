/**
 * FULL_SYNC parts (issue 19 §5; runtime/core/fleet/full-sync-parts.ts): every part fits one message,
 * nothing that can be sent is left out, and a receiver takes the parts of one round past the
 * cooldown but no more than the cap, nor a new round within 60 s.
 */
import { expect, test } from 'bun:test';
import { pyDumps } from '../../runtime/core/canonical/python-json.ts';
import { continuesRound, FULL_SYNC_MAX_PARTS, fullSyncParts, partTagOf, roundAfterPart } from '../../runtime/core/fleet/full-sync-parts.ts';
import type { NodeId } from '../../runtime/core/types.ts';

const peer = (i: number) => `02${i.toString(16).padStart(64, '0')}`;
const state = (i: number, peers: number) => ({ peer_id: peer(i), capacity_sats: 1, available_sats: 0, topology: Array.from({ length: peers }, (_, k) => peer(1_000 + k)), version: 1 });

test('200 members with 150 peers each split into parts of at most 60 kB, in order, none left out', () => {
  const members = Array.from({ length: 200 }, (_, i) => ({ peer_id: peer(i), tier: 'member', joined_at: 1 }));
  const states = Array.from({ length: 200 }, (_, i) => state(i, 150));
  const { parts, left_out } = fullSyncParts(members, states, 60_000, 500);
  expect(left_out).toBe(0);
  expect(parts.length).toBeGreaterThan(30);
  for (const p of parts) expect(pyDumps({ members: p.members, states: p.states } as never).length).toBeLessThanOrEqual(60_000 + 100);
  expect(parts.flatMap((p) => p.members)).toEqual(members);
  expect(parts.flatMap((p) => p.states)).toEqual(states);
});

test('a small fleet is one part; the state cap and the part cap hold; an item above the budget is counted as left out', () => {
  expect(fullSyncParts([{ peer_id: peer(1) }], [state(1, 3)], 60_000, 500).parts).toHaveLength(1);
  expect(fullSyncParts([], [state(1, 1), state(2, 1), state(3, 1)], 60_000, 2).parts.map((p) => p.states.length)).toEqual([2, 1]);
  const capped = fullSyncParts([], Array.from({ length: 10 }, (_, i) => state(i, 150)), 12_000, 500, 3);
  expect(capped.parts).toHaveLength(3);
  expect(capped.left_out).toBe(7);
  expect(fullSyncParts([], [state(1, 150)], 1_000, 500)).toEqual({ parts: [{ members: [], states: [] }], left_out: 1 });
});

test('tagged parts of the round being taken continue past the cooldown; untagged, repeated or other-round ones do not', () => {
  const id = peer(9) as NodeId;
  const tag = (index: number, count = 3) => partTagOf({ hivebox_part: { index, count } });
  let rounds = roundAfterPart(new Map(), id, 100, tag(0));
  expect(continuesRound(rounds, id, 100, tag(1))).toBe(true);
  expect(continuesRound(rounds, id, 100, tag(0))).toBe(false);
  expect(continuesRound(rounds, id, 100, null)).toBe(false);
  expect(continuesRound(rounds, id, 101, tag(1))).toBe(false);
  expect(continuesRound(rounds, peer(8) as NodeId, 100, tag(1))).toBe(false);
  rounds = roundAfterPart(rounds, id, 100, tag(1));
  expect(rounds.get(id)).toEqual({ timestamp: 100, taken: [0, 1] });
  expect(roundAfterPart(rounds, id, 160, null).get(id)).toEqual({ timestamp: 160, taken: [-1] });
  for (const bad of [{ index: 3, count: 3 }, { index: -1, count: 3 }, { index: 0, count: FULL_SYNC_MAX_PARTS + 1 }, { index: 0.5, count: 2 }, 'x', null]) {
    expect(partTagOf({ hivebox_part: bad as never })).toBeNull();
  }
});
