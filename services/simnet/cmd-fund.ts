/**
 * simnet's `fundchannel` (CLN v26.06 doc/schemas/fundchannel.json; the spender plugin's
 * multifundchannel with one destination): connect, the fundee's openchannel / openchannel2 hook
 * chain, then a CHANNELD_NORMAL channel. There is no on-chain wallet, so the amount must be given
 * in sat (`all` is refused) and `feerate`, `minconf`, `utxos`, leases and `close_to` are accepted
 * for shape only.
 */
import { fundingTransaction, SIM_CHANNEL_TYPE } from './channel-open.ts';
import { badParam, fail, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { CLN_ERROR } from '../lightning-rpc/errors.ts';

/** Largest channel without option_support_large_channel (BOLT 2: 2^24 sat). */
const MAX_FUNDING_SAT = 16_777_215;

/** `amount` as CLN's `param_sat`: an integer, `"<n>sat"`, or `"<n>000msat"`. */
function satParam(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v !== 'string') return null;
  const m = /^(\d+)(sat|msat)?$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === 'msat') return n % 1000 === 0 && n > 0 ? n / 1000 : null;
  return n > 0 ? n : null;
}

/** `fundchannel id amount [feerate] [announce] [minconf] [push_msat] …`; `id` may be `id@host:port`. */
export const fundchannelCommand: CommandDef = {
  params: ['id', 'amount', 'feerate', 'announce', 'minconf', 'push_msat', 'close_to', 'request_amt', 'compact_lease', 'utxos', 'mindepth', 'reserve', 'channel_type'],
  required: 2,
  async run({ node, params }: CommandCall) {
    const id = nodeIdParam(typeof params.id === 'string' ? params.id.split('@')[0] : params.id);
    if (!id) return badParam('id', 'a node id', params.id);
    if (id === node.nodeId) return fail(CLN_ERROR.LIGHTNINGD, 'Connection to ourselves');
    if (params.amount === 'all') return fail(CLN_ERROR.INVALID_PARAMS, 'amount: simnet has no on-chain wallet; give the amount in sat');
    const amount = satParam(params.amount);
    if (amount === null) return badParam('amount', 'a satoshi amount', params.amount);
    if (amount > MAX_FUNDING_SAT) return fail(CLN_ERROR.LIGHTNINGD, `Amount exceeded ${MAX_FUNDING_SAT}sat`);
    const push = params.push_msat === undefined ? 0 : params.push_msat;
    if (typeof push !== 'number' || !Number.isSafeInteger(push) || push < 0 || push > amount * 1000) return badParam('push_msat', 'a msat amount not above the funding amount', params.push_msat);
    if (params.announce !== undefined && typeof params.announce !== 'boolean') return badParam('announce', 'a boolean', params.announce);
    const r = await node.network.fundChannel(node, id, { capacity_sat: amount, push_msat: push, public: params.announce !== false });
    if (!r.ok) return fail(r.code, r.message);
    const { tx, txid } = fundingTransaction(r.channel);
    return ok({ tx, txid, outnum: 0, channel_type: { bits: [...SIM_CHANNEL_TYPE.bits], names: [...SIM_CHANNEL_TYPE.names] }, channel_id: r.channel.channel_id, mindepth: 3 });
  },
};
