/**
 * Transport-layer attacks on 49152 (spec 002 §3 "Replay Protection", "Message Size"; BOLT 1 TLV
 * rules; "Threat Model: Replay attack, Denial of service"): replayed and lower nonces, stale and
 * future timestamps, a forged agent signature, oversize messages, an unknown even TLV type, the
 * per-DID rate limit and the per-peer flood guard. Refused with named rules and answered with a signed
 * receipt; nothing runs, and nothing is stored for input whose credential never verified (issue 15 item 7).
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { buildRequest } from '../../runtime/core/mgmt/advisor.ts';
import { encodeRequest, MGMT_LIMITS } from '../../runtime/core/mgmt/messages.ts';
import { REPLAY_LIMITS } from '../../runtime/core/mgmt/replay.ts';
import { encodeBigSize } from '../../runtime/core/mgmt/tlv.ts';
import { PEER_FLOOD_LIMIT } from '../../runtime/node/mgmt/managed-node.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { expectRefusedRaw, snapshot } from '../mgmt/support/refusal.ts';
import { SCIDS, World } from '../mgmt/support/world.ts';

let w: World;
let cred: string;
beforeEach(async () => {
  w = await World.create();
  cred = await w.credential({ model: 'performance', maxDailyActions: 1000 });
});
afterEach(async () => {
  await w.close();
});

const setAnchor = (fee: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: SCIDS.a, target_fee_ppm: fee } });
const monitor = { schema: 'hive:monitor/v1', action: 'health_summary', params: { include_forwards: false } };

describe('replay protection', () => {
  test('the same bytes twice: the second is a replayed nonce and does not run again', async () => {
    const { bytes } = w.client.buildBytes(setAnchor(110), cred, null);
    expect(JSON.parse((await w.raw(bytes))!.result)).toMatchObject({ status: 'accepted' });
    w.sim.channels.get(SCIDS.a)!.fee_ppm = 100;
    expectRefusedRaw(w, snapshot(w), await w.raw(bytes), 'transport', 'replayed_nonce');
    expect(w.fee(SCIDS.a)).toBe(100);
  });

  test('a lower nonce after a higher one is refused (persisted per DID)', async () => {
    const sk = w.advisorKey.secretKey;
    expect(JSON.parse((await w.raw(encodeRequest(buildRequest(setAnchor(110), cred, null, 1000n, w.now, sk))))!.result).status).toBe('accepted');
    expect(w.store.getAgentState(w.advisorKey.did)?.last_nonce).toBe(1000n);
    expectRefusedRaw(w, snapshot(w), await w.raw(encodeRequest(buildRequest(setAnchor(111), cred, null, 999n, w.now, sk))), 'transport', 'replayed_nonce');
  });

  test('timestamps outside ±300 s', async () => {
    const sk = w.advisorKey.secretKey;
    expectRefusedRaw(w, snapshot(w), await w.raw(encodeRequest(buildRequest(setAnchor(110), cred, null, 1n, w.now - REPLAY_LIMITS.timestamp_window_s - 1, sk))), 'transport', 'stale_timestamp');
    expectRefusedRaw(w, snapshot(w), await w.raw(encodeRequest(buildRequest(setAnchor(110), cred, null, 2n, w.now + REPLAY_LIMITS.timestamp_window_s + 1, sk))), 'transport', 'future_timestamp');
    expect(w.store.getAgentState(w.advisorKey.did)).toBeNull();
  });

  test('a request signed by another key is refused, does not burn the agent nonce, and is not receipted in its name', async () => {
    const thief = new KeyFileSigner(new Uint8Array(32).fill(0x66));
    expectRefusedRaw(w, snapshot(w), await w.raw(encodeRequest(buildRequest(setAnchor(110), cred, null, 10n ** 18n, w.now, thief.secretKey))), 'transport', 'bad_signature');
    expect(w.store.getAgentState(w.advisorKey.did)).toBeNull();
    expect(w.store.receipts()).toEqual([]);
    expect(w.node.unauthenticatedRefusals()).toEqual({ bad_signature: 1 });
    const ok = await w.raw(encodeRequest(buildRequest(setAnchor(110), cred, null, 5n, w.now, w.advisorKey.secretKey)));
    expect(JSON.parse(ok!.result).status).toBe('accepted');
  });
});

describe('message form', () => {
  test('over 65,535 bytes: refused before parsing', async () => {
    const big = new Uint8Array(MGMT_LIMITS.max_message_bytes + 1);
    big.set([0xc0, 0x00]);
    const res = await w.raw(big);
    expectRefusedRaw(w, snapshot(w), res, 'transport', 'malformed_message');
    expect(JSON.parse(res!.receipt)).toMatchObject({ agent_did: `peer:${w.advisorNodeId}`, request_nonce: '0' });
  });

  test('an unknown even TLV type is an error; an unknown odd one is ignored (BOLT 1)', async () => {
    const { bytes } = w.client.buildBytes(setAnchor(110), cred, null);
    expectRefusedRaw(w, snapshot(w), await w.raw(Uint8Array.from([...bytes, ...encodeBigSize(8n), 0])), 'transport', 'malformed_message');
    const odd = w.client.buildBytes(setAnchor(110), cred, null).bytes;
    expect(JSON.parse((await w.raw(Uint8Array.from([...odd, ...encodeBigSize(9n), 0])))!.result).status).toBe('accepted');
  });
});

describe('denial of service', () => {
  test(`more than ${REPLAY_LIMITS.rate_max_per_window} signed requests per DID per minute are rate limited`, async () => {
    for (let i = 0; i < REPLAY_LIMITS.rate_max_per_window; i++) {
      expect(JSON.parse((await w.raw(w.client.buildBytes(monitor, cred, null).bytes))!.result).status).toBe('accepted');
    }
    expectRefusedRaw(w, snapshot(w), await w.raw(w.client.buildBytes(setAnchor(110), cred, null).bytes), 'transport', 'rate_limited');
    w.now += REPLAY_LIMITS.rate_window_s;
    expect(JSON.parse((await w.raw(w.client.buildBytes(monitor, cred, null).bytes))!.result).status).toBe('accepted');
  });

  test('a peer flooding garbage is answered up to the flood limit, then ignored; no receipt is stored, every one is counted', async () => {
    const junk = Uint8Array.of(0xc0, 0x00, 0xff);
    const empty = snapshot(w);
    for (let i = 0; i < PEER_FLOOD_LIMIT.max; i++) expect(await w.raw(junk, '03' + 'ff'.repeat(32))).not.toBeNull();
    expect(snapshot(w)).toEqual(empty);
    expect(w.node.unauthenticatedRefusals()).toEqual({ malformed_message: PEER_FLOOD_LIMIT.max });
    const before = snapshot(w);
    expect(await w.raw(junk, '03' + 'ff'.repeat(32))).toBeNull();
    expect(snapshot(w)).toEqual(before);
    expect(JSON.parse((await w.raw(w.client.buildBytes(monitor, cred, null).bytes))!.result).status).toBe('accepted');
  });
});
