/**
 * Circular rebalance routes (runtime/core/rebalance/circular-route.ts): sendpay hops built backwards
 * as BOLT 4 does (each forwarder's base + ppm fee and CLTV delta on its outgoing channel), our own
 * channels from listpeerchannels (private ones too), the fleet route back, the fee cap, the
 * balance check, HTLC limits, and the only-via restriction of a hive route.
 */
import { expect, test } from 'bun:test';
import { circularRoute, directedChannels, type CircularRouteRequest } from '../../runtime/core/rebalance/circular-route.ts';
import type { NodeChannel, NodePeerChannel } from '../../runtime/core/ports.ts';

const id = (c: string) => `02${c.repeat(64)}`;
const [US, X, Y, B] = [id('1'), id('2'), id('3'), id('4')];
const policy = (base: number, ppm: number, cltv = 40) => ({ fee_base_msat: base, fee_proportional_millionths: ppm, cltv_expiry_delta: cltv, htlc_minimum_msat: 1, htlc_maximum_msat: 5e9 });
const ours = (scid: string, peer: string, local: ReturnType<typeof policy>, remote: ReturnType<typeof policy>): NodePeerChannel => ({
  peer_id: peer, peer_connected: true, state: 'CHANNELD_NORMAL', short_channel_id: scid, total_msat: 1e9, to_us_msat: 5e8, spendable_msat: 4.9e8, updates: { local, remote },
});
const pub = (scid: string, source: string, destination: string, base: number, ppm: number, delay = 40): NodeChannel => ({
  source, destination, short_channel_id: scid, direction: source < destination ? 0 : 1, public: true, amount_msat: 1e9, active: true, base_fee_millisatoshi: base, fee_per_millionth: ppm, delay, htlc_minimum_msat: 1, htlc_maximum_msat: 5e9,
});

const peerChannels = [ours('1x1x0', X, policy(0, 0), policy(1000, 100)), ours('2x1x0', Y, policy(0, 0), policy(2000, 200, 30))];
const publicChannels = [pub('3x1x0', X, Y, 500, 50, 20), pub('3x1x0', Y, X, 500, 50, 20), pub('4x1x0', Y, B, 0, 0), pub('5x1x0', B, US, 0, 0)];
const channels = directedChannels(US, peerChannels, publicChannels);
const req: CircularRouteRequest = { our_id: US, out_scid: '1x1x0', in_scid: '2x1x0', in_node: US, back_route: [], amount_msat: 100_000_000, max_fee_msat: 100_000, final_cltv: 18, only_via: null };

test('out through 1x1x0, X→Y over the public 3x1x0, in through 2x1x0: amounts and delays built backwards', () => {
  const r = circularRoute(req, channels, 4.9e8);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  // Y charges 2000 + 200 ppm to forward into us over 2x1x0; X charges 500 + 50 ppm over 3x1x0.
  const atY = 100_000_000 + 2000 + 20_000;
  const atX = atY + 500 + Math.floor((atY * 50) / 1e6);
  expect(r.value.hops).toEqual([
    { id: X, channel: '1x1x0', direction: 0, amount_msat: atX, delay: 18 + 30 + 20, style: 'tlv' },
    { id: Y, channel: '3x1x0', direction: 0, amount_msat: atY, delay: 18 + 30, style: 'tlv' },
    { id: US, channel: '2x1x0', direction: 1, amount_msat: 100_000_000, delay: 18, style: 'tlv' },
  ]);
  expect(r.value.fee_msat).toBe(atX - 100_000_000);
});

test('a push into another member returns over the fleet route; refusals are typed', () => {
  const push = circularRoute({ ...req, in_scid: '4x1x0', in_node: B, back_route: [B, US] }, channels, 4.9e8);
  expect(push.ok && push.value.hops.map((h) => [h.id, h.channel])).toEqual([[X, '1x1x0'], [Y, '3x1x0'], [B, '4x1x0'], [US, '5x1x0']]);
  expect(circularRoute({ ...req, max_fee_msat: 100 }, channels, 4.9e8)).toMatchObject({ ok: false, error: { kind: 'fee_too_high', max_fee_msat: 100 } });
  expect(circularRoute(req, channels, 1000)).toMatchObject({ ok: false, error: { kind: 'insufficient_balance', scid: '1x1x0', spendable_msat: 1000 } });
  expect(circularRoute({ ...req, out_scid: '9x9x9' }, channels, 4.9e8)).toMatchObject({ ok: false, error: { kind: 'unknown_channel', scid: '9x9x9' } });
  expect(circularRoute({ ...req, in_scid: '1x1x0' }, channels, 4.9e8)).toMatchObject({ ok: false, error: { kind: 'unknown_channel' } });
  expect(circularRoute({ ...req, amount_msat: 6e9 }, channels, 1e10)).toMatchObject({ ok: false, error: { kind: 'no_path' } });
  expect(circularRoute({ ...req, in_scid: '4x1x0', in_node: B, back_route: [B, X] }, channels, 4.9e8)).toMatchObject({ ok: false, error: { kind: 'no_path', from: B, to: US } });
});

test('a hive route passes only through fleet nodes, its peers included', () => {
  expect(circularRoute({ ...req, only_via: new Set([X]) }, channels, 4.9e8)).toMatchObject({ ok: false, error: { kind: 'no_path' } });
  expect(circularRoute({ ...req, only_via: new Set([X, Y]) }, channels, 4.9e8).ok).toBe(true);
});
