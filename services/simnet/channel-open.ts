/**
 * What the fundee's lightningd shows its plugins when a peer opens a channel (CLN v26.06
 * doc/developers-guide/plugin-development/hooks.md `openchannel` / `openchannel2`), and the funding
 * transaction simnet reports back to the opener. Pure.
 *
 * Protocol choice, as lightningd's `fundchannel` (plugins/spender/multifundchannel.c) makes it:
 * v2 (dual-funded, `openchannel2`) when both peers advertise option_dual_fund (BOLT 9 bits 28/29),
 * else v1 (`openchannel`).
 *
 * The funding transaction has the real serialization and txid rules (BIP 144 non-witness form,
 * txid = reversed double SHA-256) but simnet has no chain: its one input spends an outpoint
 * derived from the channel id, and its output pays a P2WSH program derived from the channel id
 * instead of the 2-of-2 funding script.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, utf8 } from '../../runtime/core/types.ts';
import type { SimChannel } from './channel.ts';
import { SIM_NODE_DEFAULTS } from './limits.ts';

/** BOLT 9 option_dual_fund (even 28 / odd 29). */
const DUAL_FUND_BITS = [28, 29];

/** `channel_type` as lightningd reports it: option_static_remotekey + option_anchors (bits 12, 22). */
export const SIM_CHANNEL_TYPE = { bits: [12, 22], names: ['static_remotekey/even', 'anchors/even'] } as const;

/** Values openingd uses for our side of a simulated open (CLN defaults: dust 546 sat, 483 HTLCs, to_self_delay 144). */
const OPEN_DEFAULTS = { dust_limit_msat: 546_000, max_htlc_value_in_flight_msat: 18_446_744_073_709_551_615, htlc_minimum_msat: 0, feerate_per_kw: 1000, to_self_delay: 144, max_accepted_htlcs: 483 };

/** True when init features `hex` set bit `bit` (BOLT 9: bit 0 is the last byte's lowest bit). */
function featureBit(hex: string, bit: number): boolean {
  const byteFromEnd = Math.floor(bit / 8);
  const at = hex.length - 2 * (byteFromEnd + 1);
  if (at < 0) return false;
  return ((Number.parseInt(hex.slice(at, at + 2), 16) >> (bit % 8)) & 1) === 1;
}

/** Which hook the fundee runs: `openchannel2` when both init feature sets have option_dual_fund. */
export function openHookFor(openerFeatures: string, fundeeFeatures: string): 'openchannel' | 'openchannel2' {
  const dual = (hex: string) => DUAL_FUND_BITS.some((b) => featureBit(hex, b));
  return dual(openerFeatures) && dual(fundeeFeatures) ? 'openchannel2' : 'openchannel';
}

/** The hook params (`{openchannel: …}` or `{openchannel2: …}`) for `ch` opened by `openerId` with `push_msat`. */
export function openHookPayload(hook: 'openchannel' | 'openchannel2', ch: SimChannel, openerId: string, push_msat: number): Record<string, unknown> {
  const channel_flags = ch.public ? 1 : 0;
  const channel_type = { bits: [...SIM_CHANNEL_TYPE.bits], names: [...SIM_CHANNEL_TYPE.names] };
  if (hook === 'openchannel') {
    return {
      openchannel: {
        id: openerId,
        funding_msat: ch.capacity_msat,
        push_msat,
        dust_limit_msat: OPEN_DEFAULTS.dust_limit_msat,
        max_htlc_value_in_flight_msat: OPEN_DEFAULTS.max_htlc_value_in_flight_msat,
        channel_reserve_msat: Math.floor(ch.capacity_msat / 100),
        htlc_minimum_msat: OPEN_DEFAULTS.htlc_minimum_msat,
        feerate_per_kw: OPEN_DEFAULTS.feerate_per_kw,
        to_self_delay: OPEN_DEFAULTS.to_self_delay,
        max_accepted_htlcs: OPEN_DEFAULTS.max_accepted_htlcs,
        channel_flags,
        channel_type,
      },
    };
  }
  return {
    openchannel2: {
      id: openerId,
      channel_id: ch.channel_id,
      their_funding_msat: ch.capacity_msat,
      dust_limit_msat: OPEN_DEFAULTS.dust_limit_msat,
      max_htlc_value_in_flight_msat: OPEN_DEFAULTS.max_htlc_value_in_flight_msat,
      htlc_minimum_msat: OPEN_DEFAULTS.htlc_minimum_msat,
      funding_feerate_per_kw: OPEN_DEFAULTS.feerate_per_kw,
      commitment_feerate_per_kw: OPEN_DEFAULTS.feerate_per_kw,
      feerate_our_max: 150_000,
      feerate_our_min: 253,
      to_self_delay: OPEN_DEFAULTS.to_self_delay,
      max_accepted_htlcs: OPEN_DEFAULTS.max_accepted_htlcs,
      channel_flags,
      locktime: SIM_NODE_DEFAULTS.blockheight,
      channel_max_msat: 16_777_215_000,
      require_confirmed_inputs: false,
      channel_type,
    },
  };
}

const le = (n: number | bigint, bytes: number) => {
  const out = new Uint8Array(bytes);
  let v = BigInt(n);
  for (let i = 0; i < bytes; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
};

/** The funding transaction of `ch` (hex) and its txid (see the file header for what is simulated). */
export function fundingTransaction(ch: SimChannel): { tx: string; txid: string } {
  const prevout = sha256(utf8(`simnet-funding-input:${ch.channel_id}`));
  const program = sha256(fromHex(ch.channel_id)!);
  const parts = [
    le(2, 4),
    Uint8Array.of(1),
    prevout,
    le(0, 4),
    Uint8Array.of(0),
    le(0xfffffffd, 4),
    Uint8Array.of(1),
    le(Math.floor(ch.capacity_msat / 1000), 8),
    Uint8Array.of(34, 0x00, 0x20),
    program,
    le(SIM_NODE_DEFAULTS.blockheight, 4),
  ];
  const tx = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    tx.set(p, at);
    at += p.length;
  }
  return { tx: toHex(tx), txid: toHex(sha256(sha256(tx)).reverse()) };
}
