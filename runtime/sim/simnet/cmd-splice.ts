/**
 * simnet's splicing (CLN v26.06 doc/schemas/addpsbtoutput.json, fundpsbt.json, signpsbt.json,
 * splice_init.json, splice_update.json, splice_signed.json): stands for lightningd's interactive
 * splice with a peer that negotiated `option_splice` (BOLT 9 bits 62/63). PSBTs are real BIP 174
 * serializations (unsigned transaction, empty maps) that this node made and remembers, as
 * lightningd only accepts what it can parse: `addpsbtoutput` pays the wallet, `fundpsbt` reserves
 * wallet outputs for amount + fee (change to the wallet), `splice_init` adds the channel's funding
 * input and new funding output, `splice_update` secures commitments at once (the simulated peer
 * agrees), `signpsbt` signs the wallet inputs, `splice_signed` publishes: the channel's capacity and
 * our balance change by `relative_amount`, a splice-out's output reaches the wallet (less the fee),
 * a splice-in spends the reserved outputs. Errors: -32602 bad params or a PSBT this node did not
 * make, -1 channel not ready / peer without splicing / funds short, 301 wallet cannot afford.
 * Not simulated: the peer contributing, RBF of a splice, the splice's confirmation depth (the new
 * capacity applies at `splice_signed`, the short_channel_id stays).
 */
import { base64 } from '@scure/base';
import { toHex } from '../../core/types.ts';
import { badParam, fail, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { channelOutputScript, featureBit, fundingTransaction, type FundingInput, type FundingOutput } from './channel-open.ts';
import { peerOf, type SimChannel } from './channel.ts';
import { PERKB } from './cmd-node.ts';
import type { SimNode } from './node.ts';
import type { SimReservation } from './wallet.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** Virtual size simnet charges a splice transaction at (2 inputs, 2 outputs, P2WSH funding). */
const SPLICE_TX_VSIZE = 250;

/** What a PSBT this node made stands for. */
export interface SimPsbt {
  readonly inputs: readonly FundingInput[];
  readonly outputs: readonly FundingOutput[];
  readonly reservation: SimReservation | null;
  readonly signed: boolean;
  /** Set once `splice_init` took it for a channel. */
  readonly splice?: { readonly channel_id: string; readonly relative_sat: number };
}

/** A real BIP 174 PSBT of the unsigned transaction (global unsigned tx, one empty map per input and output), base64. */
function encodePsbt(inputs: readonly FundingInput[], outputs: readonly FundingOutput[]): string {
  const tx = Uint8Array.from(Buffer.from(fundingTransaction(inputs, outputs, 0).tx, 'hex'));
  const len = tx.length < 0xfd ? [tx.length] : [0xfd, tx.length & 0xff, tx.length >> 8];
  const body = [0x70, 0x73, 0x62, 0x74, 0xff, 0x01, 0x00, ...len, ...tx, 0x00, ...inputs.map(() => 0x00), ...outputs.map(() => 0x00)];
  return base64.encode(Uint8Array.from(body));
}

function remember(node: SimNode, p: SimPsbt): string {
  const psbt = encodePsbt(p.inputs, p.outputs);
  node.psbts.set(psbt, p);
  return psbt;
}

const sat = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : typeof v === 'string' && /^\d+(sat)?$/.test(v) ? Number.parseInt(v, 10) : null);
const feeSat = () => Math.ceil((PERKB.opening * SPLICE_TX_VSIZE) / 1000);

function splicingChannel(node: SimNode, channelId: unknown): SimChannel | string {
  if (typeof channelId !== 'string') return 'channel_id: should be a 32 byte hex value';
  const ch = node.network.channelsOf(node.nodeId).find((c) => c.channel_id === channelId);
  if (!ch || ch.state !== 'CHANNELD_NORMAL') return `Unknown channel ${channelId}`;
  const peer = node.network.nodeById(peerOf(ch, node.nodeId));
  if (!peer?.running || !node.peers.get(peer.nodeId)?.connected) return 'Peer is not connected';
  if (!spliceBit(node.features) || !spliceBit(peer.features)) return 'splicing not supported';
  return ch;
}

function spliceBit(hex: string): boolean {
  return [62, 63, 162, 163].some((bit) => featureBit(hex, bit));
}

/** `addpsbtoutput satoshi [initialpsbt] [locktime] [destination]`: an output to the wallet. */
export const addpsbtoutputCommand: CommandDef = {
  params: ['satoshi', 'initialpsbt', 'locktime', 'destination'],
  required: 1,
  run({ node, params }: CommandCall) {
    const amount = sat(params.satoshi);
    if (amount === null) return badParam('satoshi', 'a satoshi amount', params.satoshi);
    const psbt = remember(node, { inputs: [], outputs: [{ amount_sat: amount, script: node.wallet.scriptpubkey }], reservation: null, signed: false });
    return ok({ psbt, estimated_added_weight: 124, outnum: 0 });
  },
};

/** `fundpsbt satoshi feerate startweight [minconf] [reserve] [locktime] [min_witness_weight] [excess_as_change] …`: wallet inputs for satoshi + fee. */
export const fundpsbtCommand: CommandDef = {
  params: ['satoshi', 'feerate', 'startweight', 'minconf', 'reserve', 'locktime', 'min_witness_weight', 'excess_as_change', 'nonwrapped', 'opening_anchor_channel'],
  required: 3,
  run({ node, params }: CommandCall) {
    const amount = sat(params.satoshi);
    if (amount === null) return badParam('satoshi', 'a satoshi amount', params.satoshi);
    const r = node.wallet.reserve(amount, feeSat());
    if (!r) return fail(CLN_ERROR.FUND_CANNOT_AFFORD, `Could not afford ${amount}sat using all ${node.wallet.spendableCount()} available UTXOs`);
    const inputs = r.inputs.map((o) => ({ txid: o.txid, output: o.output }));
    const change = params.excess_as_change === true && r.change_sat > 0 ? [{ amount_sat: r.change_sat, script: node.wallet.scriptpubkey }] : [];
    const psbt = remember(node, { inputs, outputs: change, reservation: r, signed: false });
    return ok({ psbt, feerate_per_kw: Math.floor(PERKB.opening / 4), estimated_final_weight: SPLICE_TX_VSIZE * 4, excess_msat: 0, ...(change.length ? { change_outnum: 0 } : {}), reservations: inputs.map((i) => ({ ...i, was_reserved: false, reserved: true })) });
  },
};

/** `signpsbt psbt [signonly]`: sign the wallet's inputs. */
export const signpsbtCommand: CommandDef = {
  params: ['psbt', 'signonly'],
  required: 1,
  run({ node, params }: CommandCall) {
    const p = typeof params.psbt === 'string' ? node.psbts.get(params.psbt) : undefined;
    if (!p) return badParam('psbt', 'a PSBT', params.psbt);
    const signed = `${params.psbt}`;
    node.psbts.set(signed, { ...p, signed: true });
    return ok({ signed_psbt: signed });
  },
};

/** `splice_init channel_id relative_amount [initialpsbt] [feerate_per_kw] [force_feerate]`. */
export const spliceInitCommand: CommandDef = {
  params: ['channel_id', 'relative_amount', 'initialpsbt', 'feerate_per_kw', 'force_feerate'],
  required: 2,
  run({ node, params }: CommandCall) {
    const ch = splicingChannel(node, params.channel_id);
    if (typeof ch === 'string') return ch.startsWith('channel_id') ? fail(CLN_ERROR.INVALID_PARAMS, ch) : fail(CLN_ERROR.LIGHTNINGD, ch);
    const rel = params.relative_amount;
    if (typeof rel !== 'number' || !Number.isSafeInteger(rel) || rel === 0) return badParam('relative_amount', 'a non-zero integer', rel);
    const base = params.initialpsbt === undefined ? { inputs: [], outputs: [], reservation: null, signed: false } : typeof params.initialpsbt === 'string' ? node.psbts.get(params.initialpsbt) : undefined;
    if (!base) return badParam('initialpsbt', 'a PSBT', params.initialpsbt);
    const ours = ch.to_msat.get(node.nodeId)! / 1000;
    if (rel < 0 && ours + rel < ch.capacity_msat / 100_000) return fail(CLN_ERROR.LIGHTNINGD, `Channel balance ${ours}sat cannot pay out ${-rel}sat`);
    const funding = { txid: ch.funding?.txid ?? toHex(Buffer.from(ch.channel_id, 'hex')), output: 0 };
    const newFunding = { amount_sat: ch.capacity_msat / 1000 + rel, script: channelOutputScript(ch.a, ch.b, funding) };
    const psbt = remember(node, { ...base, inputs: [funding, ...base.inputs], outputs: [newFunding, ...base.outputs], splice: { channel_id: ch.channel_id, relative_sat: rel } });
    return ok({ psbt });
  },
};

/** `splice_update channel_id psbt`: the simulated peer agrees at once. */
export const spliceUpdateCommand: CommandDef = {
  params: ['channel_id', 'psbt'],
  required: 2,
  run({ node, params }: CommandCall) {
    const p = typeof params.psbt === 'string' ? node.psbts.get(params.psbt) : undefined;
    if (!p?.splice || p.splice.channel_id !== params.channel_id) return badParam('psbt', `the PSBT of a splice on ${String(params.channel_id)}`, params.psbt);
    return ok({ psbt: params.psbt, commitments_secured: true, signatures_secured: true });
  },
};

/** `splice_signed channel_id psbt [sign_first]`: publish the splice. */
export const spliceSignedCommand: CommandDef = {
  params: ['channel_id', 'psbt', 'sign_first'],
  required: 2,
  run({ node, params }: CommandCall) {
    const p = typeof params.psbt === 'string' ? node.psbts.get(params.psbt) : undefined;
    if (!p?.splice || p.splice.channel_id !== params.channel_id) return badParam('psbt', `the PSBT of a splice on ${String(params.channel_id)}`, params.psbt);
    if (p.reservation && !p.signed) return fail(CLN_ERROR.LIGHTNINGD, 'PSBT inputs are not signed');
    const ch = splicingChannel(node, params.channel_id);
    if (typeof ch === 'string') return fail(CLN_ERROR.LIGHTNINGD, ch);
    const { tx, txid } = fundingTransaction(p.inputs, p.outputs, node.network.blockheight);
    const rel = p.splice.relative_sat;
    ch.capacity_msat += rel * 1000;
    ch.to_msat.set(node.nodeId, ch.to_msat.get(node.nodeId)! + rel * 1000);
    if (p.reservation) node.wallet.spend(p.reservation, txid);
    for (const [i, o] of p.outputs.entries()) {
      if (i > 0 && o.script === node.wallet.scriptpubkey) node.wallet.receive(txid, i, rel < 0 ? o.amount_sat - feeSat() : o.amount_sat);
    }
    node.psbts.delete(params.psbt as string);
    node.log('info', peerOf(ch, node.nodeId), `splice ${rel > 0 ? 'in' : 'out'} ${Math.abs(rel)}sat published, txid ${txid}`);
    return ok({ tx, txid, psbt: params.psbt, outnum: 0 });
  },
};
