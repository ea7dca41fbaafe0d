/**
 * simnet's channel and gossip commands, shaped as CLN v26.06 doc/schemas: `listpeerchannels`,
 * `listchannels`, `listnodes`, `setchannel`, `listforwards`. Fee changes made with `setchannel`
 * appear in every node's `listchannels` at once (real gossip takes minutes to propagate).
 */
import { listpeerchannelsEntry, peerOf } from './channel.ts';
import { badParam, fail, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

const SCID_RE = /^\d+x\d+x\d+$/;

/** `listpeerchannels [id]`. */
export const listpeerchannelsCommand: CommandDef = {
  params: ['id'],
  required: 0,
  run({ node, params }: CommandCall) {
    const only = params.id === undefined ? null : nodeIdParam(params.id);
    if (params.id !== undefined && !only) return badParam('id', 'a node id', params.id);
    const channels = node.network
      .channelsOf(node.nodeId)
      .filter((c) => only === null || peerOf(c, node.nodeId) === only)
      .map((c) => listpeerchannelsEntry(c, node.nodeId, node.peers.get(peerOf(c, node.nodeId))?.connected === true));
    return ok({ channels });
  },
};

/** `listchannels [short_channel_id] [source] [destination]` (at most one filter). */
export const listchannelsCommand: CommandDef = {
  params: ['short_channel_id', 'source', 'destination'],
  required: 0,
  run({ node, params }: CommandCall) {
    const given = ['short_channel_id', 'source', 'destination'].filter((k) => params[k] !== undefined);
    if (given.length > 1) return fail(CLN_ERROR.INVALID_PARAMS, 'Can only specify one of `short_channel_id`, `source` or `destination`');
    if (params.short_channel_id !== undefined && (typeof params.short_channel_id !== 'string' || !SCID_RE.test(params.short_channel_id))) {
      return badParam('short_channel_id', 'a short_channel_id of form NxNxN', params.short_channel_id);
    }
    for (const k of ['source', 'destination'] as const) if (params[k] !== undefined && !nodeIdParam(params[k])) return badParam(k, 'a node id', params[k]);
    return ok({
      channels: node.network.listchannels({
        short_channel_id: params.short_channel_id as string | undefined,
        source: params.source === undefined ? undefined : nodeIdParam(params.source)!,
        destination: params.destination === undefined ? undefined : nodeIdParam(params.destination)!,
      }),
    });
  },
};

/** `listnodes [id]`. */
export const listnodesCommand: CommandDef = {
  params: ['id'],
  required: 0,
  run({ node, params }: CommandCall) {
    if (params.id !== undefined && !nodeIdParam(params.id)) return badParam('id', 'a node id', params.id);
    return ok({ nodes: node.network.listnodes(params.id === undefined ? undefined : nodeIdParam(params.id)!) });
  },
};

/** `listforwards [status] [in_channel] [out_channel]`: the payments this node forwarded (`settled`, payments.ts) or refused (`local_failed`, cmd-sendpay.ts). */
export const listforwardsCommand: CommandDef = {
  params: ['status', 'in_channel', 'out_channel', 'index', 'start', 'limit'],
  required: 0,
  run({ node, params }: CommandCall) {
    if (params.status !== undefined && !['offered', 'settled', 'local_failed', 'failed'].includes(params.status as string)) {
      return badParam('status', 'a forward status', params.status);
    }
    const forwards = node.forwards.filter(
      (f) => (params.status === undefined || f.status === params.status) && (params.in_channel === undefined || f.in_channel === params.in_channel) && (params.out_channel === undefined || f.out_channel === params.out_channel),
    );
    return ok({ forwards });
  },
};

function msatParam(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+(msat)?$/.test(v)) return Number.parseInt(v, 10);
  return null;
}

/** `setchannel id [feebase] [feeppm] [htlcmin] [htlcmax] [enforcedelay] [ignorefeelimits]`; id = peer id, scid, channel_id or "all". */
export const setchannelCommand: CommandDef = {
  params: ['id', 'feebase', 'feeppm', 'htlcmin', 'htlcmax', 'enforcedelay', 'ignorefeelimits'],
  required: 1,
  run({ node, params }: CommandCall) {
    const id = params.id;
    if (typeof id !== 'string') return badParam('id', 'a channel id, short_channel_id, node id or "all"', id);
    const fields: [string, 'fee_base_msat' | 'fee_proportional_millionths' | 'htlc_minimum_msat' | 'htlc_maximum_msat'][] = [
      ['feebase', 'fee_base_msat'],
      ['feeppm', 'fee_proportional_millionths'],
      ['htlcmin', 'htlc_minimum_msat'],
      ['htlcmax', 'htlc_maximum_msat'],
    ];
    const updates: Partial<Record<(typeof fields)[number][1], number>> = {};
    for (const [name, key] of fields) {
      if (params[name] === undefined) continue;
      const v = msatParam(params[name]);
      if (v === null) return badParam(name, 'a non-negative integer', params[name]);
      updates[key] = v;
    }
    const lower = id.toLowerCase();
    const matches = node.network
      .channelsOf(node.nodeId)
      .filter((c) => lower === 'all' || c.short_channel_id === id || c.channel_id === lower || peerOf(c, node.nodeId) === lower);
    if (matches.length === 0) return fail(CLN_ERROR.LIGHTNINGD, 'Could not find any active channels of peer with that id');
    const now_s = Math.floor(Date.now() / 1000);
    const channels = matches.map((c) => {
      const p = c.policy.get(node.nodeId)!;
      Object.assign(p, updates, { last_update: now_s });
      return {
        peer_id: peerOf(c, node.nodeId),
        channel_id: c.channel_id,
        short_channel_id: c.short_channel_id,
        fee_base_msat: p.fee_base_msat,
        fee_proportional_millionths: p.fee_proportional_millionths,
        minimum_htlc_out_msat: p.htlc_minimum_msat,
        maximum_htlc_out_msat: p.htlc_maximum_msat,
        ignore_fee_limits: params.ignorefeelimits === true,
      };
    });
    return ok({ channels });
  },
};
