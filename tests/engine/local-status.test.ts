/**
 * `localStatus`: what a node gossips about itself, from getinfo and listpeerchannels shaped as
 * CLN v26.06 returns them.
 */
import { expect, test } from 'bun:test';
import type { NodeInfo, NodePeerChannel } from '../../runtime/core/ports.ts';
import { localStatus } from '../../runtime/node/hive/local-status.ts';
import { FULL_FEATURES_HEX } from './fixtures/loopback.ts';

const US = `02${'11'.repeat(32)}`;
const MEMBER = `03${'22'.repeat(32)}`;
const EXT1 = `02${'33'.repeat(32)}`;
const EXT2 = `02${'44'.repeat(32)}`;

const info: NodeInfo = {
  id: US,
  alias: 'us',
  version: 'v26.06',
  blockheight: 934_000,
  network: 'bitcoin',
  address: [
    { type: 'ipv4', address: '203.0.113.7', port: 9735 },
    { type: 'ipv6', address: '2001:db8::7', port: 9735 },
  ],
  our_features: { init: FULL_FEATURES_HEX, node: FULL_FEATURES_HEX, channel: '', invoice: '' },
};

const local = { fee_base_msat: 500, fee_proportional_millionths: 250, cltv_expiry_delta: 80, htlc_minimum_msat: 1, htlc_maximum_msat: 990_000_000 };
const ch = (peer_id: string, state: string, total_sat: number, us_sat: number): NodePeerChannel => ({
  peer_id,
  peer_connected: true,
  state,
  short_channel_id: '1x1x0',
  total_msat: total_sat * 1000,
  to_us_msat: us_sat * 1000,
  updates: { local },
});

test('capacity toward members, topology of external peers, fee policy, addresses and features', () => {
  const s = localStatus(info, [ch(MEMBER, 'CHANNELD_NORMAL', 5_000_000, 2_000_000), ch(EXT2, 'CHANNELD_NORMAL', 1_000_000, 1_000_000), ch(EXT1, 'CHANNELD_NORMAL', 3_000_000, 0), ch(EXT1, 'CHANNELD_AWAITING_LOCKIN', 9_000_000, 9_000_000)], new Set([US, MEMBER]));
  expect(s).toEqual({
    capacity_sats: 5_000_000,
    available_sats: 2_000_000,
    fee_policy: { base_fee: 500, fee_rate: 250, min_htlc: 0, max_htlc: 0, cltv_delta: 80 },
    topology: [EXT1, EXT2],
    addresses: ['203.0.113.7:9735', '[2001:db8::7]:9735'],
    capabilities: ['anchor', 'dual-fund', 'onion-msg', 'splice'],
  });
});

test('no channels: zero capacity, empty topology, CLN default fee policy', () => {
  expect(localStatus({ ...info, address: [] }, [], new Set([US]))).toMatchObject({ capacity_sats: 0, available_sats: 0, topology: [], addresses: [], fee_policy: { base_fee: 1_000, fee_rate: 10, cltv_delta: 34 } });
});
