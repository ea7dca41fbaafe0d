/**
 * simnet's wallet and channel-funding commands, shaped as CLN v26.06 doc/schemas: `listfunds`
 * (the node's simulated UTXOs, `wallet.ts`, and its channels) and `fundchannel id amount [feerate]
 * [announce] …` (connects first when the peer is a simnet node or in the public graph, spends the
 * wallet, and answers with the funding txid; the channel stays CHANNELD_AWAITING_LOCKIN until
 * `SimNetwork.mineBlocks` reaches its depth). The funding `tx` is not a real Bitcoin transaction
 * (simnet has no chain): it is the txid's bytes, hex, so callers that only log it see a value.
 */
import { peerOf, type SimChannel } from './channel.ts';
import { PERKB } from './cmd-node.ts';
import { badParam, fail, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { CLN_ERROR } from '../lightning-rpc/errors.ts';

/** Virtual size of a 1-input, 2-output P2WSH funding transaction (sat fee = perkb × vsize / 1000). */
const FUNDING_TX_VSIZE = 175.5;
/** CLN's default `funding-confirms` (blocks before CHANNELD_NORMAL). */
const FUNDING_CONFIRMS = 3;
/** Below this a channel output is dust (CLN refuses with 302). */
const DUST_SAT = 546;
/** Largest channel without `option_support_large_channel` (BOLT 2); CLN v26.06 negotiates large channels, simnet allows up to 10 BTC. */
const MAX_CHANNEL_SAT = 1_000_000_000;

/** Feerate in sat/kB for a CLN feerate parameter, or null when it is not one. */
function feeratePerkb(v: unknown): number | null {
  if (v === undefined || v === 'normal' || v === 'opening') return PERKB.opening;
  if (v === 'slow') return PERKB.min_acceptable;
  if (v === 'urgent') return PERKB.unilateral_close;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  const m = typeof v === 'string' ? /^(\d{1,9})(perkb|perkw)$/.exec(v) : null;
  if (!m) return null;
  return m[2] === 'perkw' ? Number(m[1]) * 4 : Number(m[1]);
}

/** Satoshis for a CLN amount parameter (integer, "Nsat", "N000msat"), or null. */
function amountSat(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v !== 'string') return null;
  const sat = /^(\d{1,16})(sat)?$/.exec(v);
  if (sat) return Number(sat[1]);
  const msat = /^(\d{1,16})000msat$/.exec(v);
  return msat ? Number(msat[1]) : null;
}

/** `listfunds [spent]`. */
export const listfundsCommand: CommandDef = {
  params: ['spent'],
  required: 0,
  run({ node, params }: CommandCall) {
    const outputs = node.wallet.outputs
      .filter((o) => params.spent === true || o.status !== 'spent')
      .map((o) => ({ txid: o.txid, output: o.output, amount_msat: o.amount_msat, scriptpubkey: `0014${o.txid.slice(0, 40)}`, status: o.status, reserved: o.reserved, ...(o.blockheight === undefined ? {} : { blockheight: o.blockheight }) }));
    const channels = node.network.channelsOf(node.nodeId).map((c: SimChannel) => ({
      peer_id: peerOf(c, node.nodeId),
      connected: node.peers.get(peerOf(c, node.nodeId))?.connected === true,
      state: c.state,
      channel_id: c.channel_id,
      ...(c.state === 'CHANNELD_NORMAL' ? { short_channel_id: c.short_channel_id } : {}),
      our_amount_msat: c.to_msat.get(node.nodeId)!,
      amount_msat: c.capacity_msat,
      funding_txid: c.funding?.txid ?? c.channel_id,
      funding_output: 0,
    }));
    return ok({ outputs, channels });
  },
};

/** `fundchannel id amount [feerate] [announce] …` (single-funded v1 open). */
export const fundchannelCommand: CommandDef = {
  params: ['id', 'amount', 'feerate', 'announce', 'minconf', 'push_msat', 'close_to', 'request_amt', 'compact_lease', 'utxos', 'mindepth', 'reserve', 'channel_type'],
  required: 2,
  async run({ node, params }: CommandCall) {
    const id = nodeIdParam(params.id);
    if (!id) return badParam('id', 'a node id', params.id);
    if (id === node.nodeId) return fail(CLN_ERROR.INVALID_PARAMS, 'id: cannot open a channel to ourselves');
    const amount = amountSat(params.amount);
    if (amount === null) return badParam('amount', 'a satoshi amount', params.amount);
    const perkb = feeratePerkb(params.feerate);
    if (perkb === null) return badParam('feerate', 'a feerate', params.feerate);
    if (params.announce !== undefined && typeof params.announce !== 'boolean') return badParam('announce', 'a boolean', params.announce);
    if (amount < DUST_SAT) return fail(CLN_ERROR.FUND_OUTPUT_IS_DUST, `Output amount is below dust (${amount}sat < ${DUST_SAT}sat)`);
    if (amount > MAX_CHANNEL_SAT) return fail(CLN_ERROR.FUND_MAX_EXCEEDED, `Amount exceeded ${MAX_CHANNEL_SAT}sat`);
    const fee = Math.ceil((perkb * FUNDING_TX_VSIZE) / 1000);
    const available = node.wallet.spendableSat();
    if (available < amount + fee) {
      return fail(CLN_ERROR.FUND_CANNOT_AFFORD, `Could not afford ${amount}sat using all ${node.wallet.spendableCount()} available UTXOs: ${amount + fee - available}sat short`);
    }
    const r = await node.network.fundChannel(node, id, { capacity_sat: amount, fee_sat: fee, public: params.announce !== false, minDepth: FUNDING_CONFIRMS });
    if (r === null) return fail(CLN_ERROR.FUND_CANNOT_AFFORD, `Could not afford ${amount}sat`);
    if ('ok' in r) return fail(r.code, r.message);
    node.log('info', id, `fundchannel: ${amount}sat, funding ${r.funding!.txid}, lock-in at block ${r.funding!.confirm_at_block}`);
    return ok({ tx: r.funding!.txid, txid: r.funding!.txid, outnum: 0, channel_type: { bits: [12, 22], names: ['static_remotekey/even', 'anchors/even'] }, channel_id: r.channel_id, mindepth: FUNDING_CONFIRMS });
  },
};
