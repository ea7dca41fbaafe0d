/**
 * simnet's wallet and channel-funding commands, shaped as CLN v26.06 doc/schemas: `listfunds` (the
 * node's simulated UTXOs, `wallet.ts`, and its channels) and `fundchannel` (the spender plugin's
 * multifundchannel with one destination, single-funded): parameters checked as CLN does (amount as
 * `param_sat`, feerate names or perkb/perkw, dust 302), then `SimNetwork.fundChannel` — size limit
 * from both peers' features (300), the wallet reserved for amount + fee (301), connect, the
 * fundee's openchannel / openchannel2 hook chain (a reject is the peer's error, -1), the funding
 * transaction spending the wallet — and the channel in CHANNELD_AWAITING_LOCKIN until
 * `SimNetwork.mineBlocks` reaches its depth. `amount` "all", `minconf`, `utxos`, leases,
 * `close_to`, `mindepth`, `reserve` and `channel_type` are accepted for shape only ("all" is refused).
 */
import { peerOf, type SimChannel } from './channel.ts';
import { SIM_CHANNEL_TYPE } from './channel-open.ts';
import { PERKB } from './cmd-node.ts';
import { badParam, fail, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** Virtual size of a 1-input, 2-output P2WSH funding transaction (sat fee = perkb × vsize / 1000). */
const FUNDING_TX_VSIZE = 175.5;
/** CLN's default `funding-confirms` (blocks before CHANNELD_NORMAL). */
const FUNDING_CONFIRMS = 3;
/** Below this a channel output is dust (CLN refuses with 302). */
const DUST_SAT = 546;

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

/** `amount` as CLN's `param_sat`: a positive integer, `"<n>sat"`, or `"<n>000msat"`; null otherwise. */
function satParam(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v !== 'string') return null;
  const m = /^(\d{1,16})(sat|msat)?$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === 'msat') return n % 1000 === 0 && n > 0 ? n / 1000 : null;
  return n > 0 ? n : null;
}

/** `listfunds [spent]`. */
export const listfundsCommand: CommandDef = {
  params: ['spent'],
  required: 0,
  run({ node, params }: CommandCall) {
    const outputs = node.wallet.outputs
      .filter((o) => params.spent === true || o.status !== 'spent')
      .map((o) => ({ txid: o.txid, output: o.output, amount_msat: o.amount_msat, scriptpubkey: node.wallet.scriptpubkey, status: o.status, reserved: o.reserved, ...(o.blockheight === undefined ? {} : { blockheight: o.blockheight }) }));
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

/** `fundchannel id amount [feerate] [announce] [minconf] [push_msat] …`; `id` may be `id@host:port`. */
export const fundchannelCommand: CommandDef = {
  params: ['id', 'amount', 'feerate', 'announce', 'minconf', 'push_msat', 'close_to', 'request_amt', 'compact_lease', 'utxos', 'mindepth', 'reserve', 'channel_type'],
  required: 2,
  async run({ node, params }: CommandCall) {
    const id = nodeIdParam(typeof params.id === 'string' ? params.id.split('@')[0] : params.id);
    if (!id) return badParam('id', 'a node id', params.id);
    if (id === node.nodeId) return fail(CLN_ERROR.LIGHTNINGD, 'Connection to ourselves');
    if (params.amount === 'all') return fail(CLN_ERROR.INVALID_PARAMS, 'amount: simnet funds channels of a given size only; give the amount in sat');
    const amount = satParam(params.amount);
    if (amount === null) return badParam('amount', 'a satoshi amount', params.amount);
    const perkb = feeratePerkb(params.feerate);
    if (perkb === null) return badParam('feerate', 'a feerate', params.feerate);
    if (params.announce !== undefined && typeof params.announce !== 'boolean') return badParam('announce', 'a boolean', params.announce);
    const push = params.push_msat ?? 0;
    if (typeof push !== 'number' || !Number.isSafeInteger(push) || push < 0 || push > amount * 1000) return badParam('push_msat', 'a msat amount not above the funding amount', params.push_msat);
    if (amount < DUST_SAT) return fail(CLN_ERROR.FUND_OUTPUT_IS_DUST, `Output amount is below dust (${amount}sat < ${DUST_SAT}sat)`);
    const fee_sat = Math.ceil((perkb * FUNDING_TX_VSIZE) / 1000);
    const r = await node.network.fundChannel(node, id, { capacity_sat: amount, fee_sat, push_msat: push, public: params.announce !== false, minDepth: FUNDING_CONFIRMS });
    if (!r.ok) return fail(r.code, r.message);
    node.log('info', id, `fundchannel: ${amount}sat, funding ${r.txid}, lock-in at block ${r.channel.funding!.confirm_at_block}`);
    return ok({ tx: r.tx, txid: r.txid, outnum: 0, channel_type: { bits: [...SIM_CHANNEL_TYPE.bits], names: [...SIM_CHANNEL_TYPE.names] }, channel_id: r.channel.channel_id, mindepth: FUNDING_CONFIRMS });
  },
};
