/**
 * simnet's peer commands, as lightningd v26.06 implements them: `connect`, `disconnect`,
 * `listpeers`, `sendcustommsg` (lightningd/connect_control.c, peer_control.c). Error codes and
 * messages follow lightningd: sendcustommsg refuses internally handled types, unknown peers
 * ("No such peer: …") and disconnected peers ("Peer is not connected: …") with -32600.
 */
import { fail, badParam, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { SIMNET_LIMITS } from './limits.ts';
import { INTERNAL_PEER_TYPES, peekType } from './wire-types.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** `connect id [host] [port]` (id may be `id@host:port`). */
export const connectCommand: CommandDef = {
  params: ['id', 'host', 'port'],
  required: 1,
  async run({ node, params }: CommandCall) {
    const target = typeof params.id === 'string' ? params.id.split('@')[0] : undefined;
    const id = nodeIdParam(target);
    if (!id) return badParam('id', 'a node id', params.id);
    if (id === node.nodeId) return fail(CLN_ERROR.LIGHTNINGD, 'Connection to ourselves');
    const r = await node.network.connect(node, id);
    if (!r.ok) return fail(r.code, r.message);
    return ok({ id, features: r.features, direction: r.direction, address: { type: 'ipv4', address: '127.0.0.1', port: r.port } });
  },
};

/** `disconnect id [force]`. */
export const disconnectCommand: CommandDef = {
  params: ['id', 'force'],
  required: 1,
  run({ node, params }: CommandCall) {
    const id = nodeIdParam(params.id);
    if (!id) return badParam('id', 'a node id', params.id);
    if (!node.peers.has(id)) return fail(CLN_ERROR.LIGHTNINGD, 'Unknown peer');
    if (!node.peers.get(id)!.connected) return fail(CLN_ERROR.LIGHTNINGD, 'Peer not connected');
    node.network.disconnectPair(node, id);
    return ok({});
  },
};

/** `listpeers [id] [level]`: peers connected or with channels. */
export const listpeersCommand: CommandDef = {
  params: ['id', 'level'],
  required: 0,
  run({ node, params }: CommandCall) {
    const only = params.id === undefined ? null : nodeIdParam(params.id);
    if (params.id !== undefined && !only) return badParam('id', 'a node id', params.id);
    const peers = [...node.peers.entries()]
      .filter(([id]) => only === null || id === only)
      .map(([id, p]) => {
        const peerNode = node.network.nodeById(id);
        const num_channels = node.network.channelsOf(node.nodeId).filter((c) => c.a === id || c.b === id).length;
        return p.connected
          ? { id, connected: true, num_channels, netaddr: [`127.0.0.1:${node.network.portOf(id)}`], features: peerNode?.features ?? '' }
          : { id, connected: false, num_channels };
      });
    return ok({ peers });
  },
};

/** `sendcustommsg node_id msg`: queue `msg` (hex incl. type) to a connected peer; delivery is best effort. */
export const sendcustommsgCommand: CommandDef = {
  params: ['node_id', 'msg'],
  required: 2,
  run({ node, params }: CommandCall) {
    const id = nodeIdParam(params.node_id);
    if (!id) return badParam('node_id', 'a node id', params.node_id);
    const msg = params.msg;
    if (typeof msg !== 'string' || msg.length < 4 || msg.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(msg)) return badParam('msg', 'a hex value', msg);
    if (msg.length / 2 > SIMNET_LIMITS.max_message_bytes) return fail(CLN_ERROR.INVALID_PARAMS, `msg: message too long (${msg.length / 2} bytes > ${SIMNET_LIMITS.max_message_bytes})`);
    const type = peekType(msg)!;
    const internal = INTERNAL_PEER_TYPES.get(type);
    if (internal) {
      return fail(CLN_ERROR.INVALID_REQUEST, `Cannot send messages of type ${type} (${internal}). It is not possible to send messages that have a type managed internally since that might cause issues with the internal state tracking.`);
    }
    const peer = node.peers.get(id);
    if (!peer) return fail(CLN_ERROR.INVALID_REQUEST, `No such peer: ${id}`);
    if (!peer.connected) return fail(CLN_ERROR.INVALID_REQUEST, `Peer is not connected: ${id}`);
    node.network.transmit(node, id, msg.toLowerCase());
    return ok({ status: 'Message sent to connectd for delivery' });
  },
};
