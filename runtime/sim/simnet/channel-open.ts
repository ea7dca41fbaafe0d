/**
 * What the fundee's lightningd shows its plugins when a peer opens a channel (CLN v26.06
 * doc/developers-guide/plugin-development/hooks.md `openchannel` / `openchannel2`), the funding
 * limits both peers' features allow, and the funding transaction simnet reports back to the opener. Pure.
 *
 * Protocol choice, as lightningd's `fundchannel` (plugins/spender/multifundchannel.c) makes it:
 * v2 (dual-funded, `openchannel2`) when both peers advertise option_dual_fund (BOLT 9 bits 28/29),
 * else v1 (`openchannel`). Largest channel (BOLT 2 `open_channel`): below 2^24 sat unless both
 * peers advertise option_support_large_channel (bits 18/19).
 *
 * The funding transaction has the real serialization and txid rules (BIP 144 non-witness form,
 * txid = reversed double SHA-256) and spends the opener's wallet outputs (wallet.ts), but simnet
 * has no chain and no keys: the channel output pays a P2WSH program derived from both node ids and
 * the first input instead of the 2-of-2 funding script.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, utf8 } from '../../core/types.ts';
import type { SimChannel } from './channel.ts';

/** BOLT 9 option_dual_fund (even 28 / odd 29). */
const DUAL_FUND_BITS = [28, 29];
/** BOLT 9 option_support_large_channel (even 18 / odd 19). */
const LARGE_CHANNEL_BITS = [18, 19];
/** Largest channel without option_support_large_channel (BOLT 2: below 2^24 sat). */
const MAX_FUNDING_SAT = 16_777_215;
/** Largest channel simnet opens when both peers negotiate large channels (10 BTC; CLN has no protocol cap). */
const MAX_LARGE_FUNDING_SAT = 1_000_000_000;

/** `channel_type` as lightningd reports it: option_static_remotekey + option_anchors (bits 12, 22). */
export const SIM_CHANNEL_TYPE = { bits: [12, 22], names: ['static_remotekey/even', 'anchors/even'] } as const;

/** Values openingd uses for our side of a simulated open (CLN defaults: dust 546 sat, 483 HTLCs, to_self_delay 144). */
const OPEN_DEFAULTS = { dust_limit_msat: 546_000, max_htlc_value_in_flight_msat: 18_446_744_073_709_551_615, htlc_minimum_msat: 0, feerate_per_kw: 1000, to_self_delay: 144, max_accepted_htlcs: 483 };

/** True when init features `hex` set bit `bit` (BOLT 9: bit 0 is the last byte's lowest bit). */
export function featureBit(hex: string, bit: number): boolean {
  const byteFromEnd = Math.floor(bit / 8);
  const at = hex.length - 2 * (byteFromEnd + 1);
  if (at < 0) return false;
  return ((Number.parseInt(hex.slice(at, at + 2), 16) >> (bit % 8)) & 1) === 1;
}

/** True when both init feature sets advertise one of `bits`. */
const both = (bits: readonly number[], a: string, b: string) => [a, b].every((hex) => bits.some((bit) => featureBit(hex, bit)));

/** Which hook the fundee runs: `openchannel2` when both init feature sets have option_dual_fund. */
export function openHookFor(openerFeatures: string, fundeeFeatures: string): 'openchannel' | 'openchannel2' {
  return both(DUAL_FUND_BITS, openerFeatures, fundeeFeatures) ? 'openchannel2' : 'openchannel';
}

/** Largest funding amount (sat) the two init feature sets allow (BOLT 2 large-channel rule). */
export function maxFundingSat(openerFeatures: string, fundeeFeatures: string): number {
  return both(LARGE_CHANNEL_BITS, openerFeatures, fundeeFeatures) ? MAX_LARGE_FUNDING_SAT : MAX_FUNDING_SAT;
}

/** What the fundee learns about an open besides the channel: who opens it, what it pushes, the chain tip and the size limit. */
export interface OpenTerms {
  readonly opener_id: string;
  readonly push_msat: number;
  /** The chain tip (openchannel2 `locktime`). */
  readonly blockheight: number;
  /** {@link maxFundingSat} for the two peers (openchannel2 `channel_max_msat`). */
  readonly max_funding_sat: number;
}

/** The hook params (`{openchannel: …}` or `{openchannel2: …}`) for `ch` on `terms`. */
export function openHookPayload(hook: 'openchannel' | 'openchannel2', ch: SimChannel, terms: OpenTerms): Record<string, unknown> {
  const channel_flags = ch.public ? 1 : 0;
  const channel_type = { bits: [...SIM_CHANNEL_TYPE.bits], names: [...SIM_CHANNEL_TYPE.names] };
  if (hook === 'openchannel') {
    return {
      openchannel: {
        id: terms.opener_id,
        funding_msat: ch.capacity_msat,
        push_msat: terms.push_msat,
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
      id: terms.opener_id,
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
      locktime: terms.blockheight,
      channel_max_msat: terms.max_funding_sat * 1000,
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

/** Bitcoin CompactSize (counts and script lengths; simnet's stay below 2^16). */
const compactSize = (n: number) => (n < 0xfd ? Uint8Array.of(n) : Uint8Array.of(0xfd, ...le(n, 2)));

/** One funding-transaction input: a wallet outpoint (txid as displayed, i.e. reversed byte order). */
export interface FundingInput {
  readonly txid: string;
  readonly output: number;
}

/** One funding-transaction output: amount (sat) and output script (hex). */
export interface FundingOutput {
  readonly amount_sat: number;
  readonly script: string;
}

/** The channel output's script: P2WSH of a program standing for the 2-of-2 of `openerId` and `fundeeId` (see the file header). */
export function channelOutputScript(openerId: string, fundeeId: string, first: FundingInput): string {
  return `0020${toHex(sha256(utf8(`simnet-funding-script:${openerId}:${fundeeId}:${first.txid}:${first.output}`)))}`;
}

/**
 * The funding transaction (version 2, RBF-signalling inputs, BIP 144 non-witness serialization,
 * hex) spending `inputs` into `outputs` (channel output first: `outnum` 0), with `locktime` = the
 * chain tip as lightningd sets it, and its txid.
 */
export function fundingTransaction(inputs: readonly FundingInput[], outputs: readonly FundingOutput[], locktime: number): { tx: string; txid: string } {
  const parts = [
    le(2, 4),
    compactSize(inputs.length),
    ...inputs.flatMap((i) => [fromHex(i.txid)!.reverse(), le(i.output, 4), Uint8Array.of(0), le(0xfffffffd, 4)]),
    compactSize(outputs.length),
    ...outputs.flatMap((o) => {
      const script = fromHex(o.script)!;
      return [le(o.amount_sat, 8), compactSize(script.length), script];
    }),
    le(locktime, 4),
  ];
  const tx = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    tx.set(p, at);
    at += p.length;
  }
  return { tx: toHex(tx), txid: toHex(sha256(sha256(tx)).reverse()) };
}
