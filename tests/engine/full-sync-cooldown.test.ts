/**
 * The FULL_SYNC cooldown exception (runtime/core/machines/state-sync.ts `onFullSync`): a full
 * member's FULL_SYNC that names a member we would add passes within the 60 s cooldown (an
 * admission broadcast), while a repeat that names nothing new, or any repeat from a neophyte,
 * is still refused as rate_limited with the store unchanged.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { toHex } from '../../runtime/core/types.ts';
import type { RawPayload } from '../../runtime/core/wire/envelope.ts';
import { encodeHiveMessage, fullSyncSigningString } from '../../runtime/core/wire/index.ts';
import { admissionSigningString } from '../../runtime/core/wire/payloads/admission.ts';
import { nodeIdOf, secretKey } from '../ticket/fixtures.ts';
import { admit, genesis, threeNodes } from './fixtures/fleet.ts';
import type { LoopbackNet, LoopNode } from './fixtures/loopback.ts';

let net: LoopbackNet;
let a: LoopNode;
let b: LoopNode;
let c: LoopNode;

beforeEach(async () => {
  ({ net, a, b, c } = threeNodes('connected'));
  await genesis(a);
  await admit(net, a, b);
  await admit(net, a, c);
});

afterEach(async () => {
  await net.close();
});

/** `from`'s signed admission of `peer_id` (a channel join) at `now`. */
function admissionBy(from: LoopNode, peer_id: string, now: number) {
  const unsigned = { by: from.node_id, via: 'channel' as const };
  const hive_id = from.engine.state.fleet.membership.hive!.hive_id;
  return { ...unsigned, sig: signMessage(lightningSignedText(admissionSigningString(hive_id, peer_id, now, unsigned)), from.sk) };
}

/** A FULL_SYNC from `from` listing the current members plus `extra` node ids (admitted by `from`), signed by `from`. */
function fullSync(from: LoopNode, extra: string[]): string {
  const now = net.nowS();
  const members = [...from.engine.state.fleet.membership.members.values()].map((m) => ({ peer_id: m.node_id, tier: m.tier, joined_at: m.joined_at }));
  const added = extra.map((peer_id) => ({ peer_id, tier: 'neophyte', joined_at: now, admission: admissionBy(from, peer_id, now) }));
  const unsigned = { states: [], fleet_hash: '', timestamp: now, members: [...members, ...added], sender_id: from.node_id };
  const signature = signMessage(lightningSignedText(fullSyncSigningString(unsigned as RawPayload)), from.sk);
  const e = encodeHiveMessage('FULL_SYNC', { ...unsigned, signature }, 'spec');
  if (!e.ok) throw new Error(JSON.stringify(e.error));
  return toHex(e.value);
}

const reasons = (n: LoopNode, mark: number) => n.events.slice(mark).flatMap((e) => (e.kind === 'rejected' ? [e.reason] : []));

test('within the cooldown: a full member naming a new member passes, a repeat naming nothing new is rate_limited', async () => {
  const newcomer = nodeIdOf(secretKey(0x51));
  let mark = b.events.length;
  await b.engine.onCustomMsg(a.node_id, fullSync(a, []));
  expect(reasons(b, mark)).toEqual(['rate_limited']);
  const before = b.store.dump();
  mark = b.events.length;
  await b.engine.onCustomMsg(a.node_id, fullSync(a, [newcomer]));
  expect(reasons(b, mark)).toEqual([]);
  expect(b.engine.state.fleet.membership.members.get(newcomer as never)?.tier).toBe('neophyte');
  expect(b.store.dump()).not.toEqual(before);
});

test('a neophyte gets no exception: its second FULL_SYNC within the cooldown is rate_limited even with a new member in it', async () => {
  await c.engine.onCustomMsg(b.node_id, fullSync(b, []));
  const before = c.store.dump();
  const mark = c.events.length;
  await c.engine.onCustomMsg(b.node_id, fullSync(b, [nodeIdOf(secretKey(0x52))]));
  expect(reasons(c, mark)).toEqual(['rate_limited']);
  expect(c.store.dump()).toEqual(before);
});
