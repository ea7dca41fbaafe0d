/**
 * The simulated LND's gRPC methods (lnrpc.Lightning, routerrpc.Router, walletrpc.WalletKit as
 * LND's lightning.proto / router.proto / walletkit.proto define them, from the `lightning`
 * package): each answers from simnet's network model through simnet's own lightningd commands
 * (services/simnet/commands.ts), reshaped into LND's messages, with LND's documented differences:
 *  - SendCustomMessage refuses types below 32768 unless listed in `protocol.custom-message`
 *    (lnwire.CustomTypeStart; lnd itest custom_message.go) and "peer is not connected";
 *  - ConnectPeer to a connected peer fails "already connected to peer: …";
 *  - SignMessage signs the raw `msg` bytes (no JSON token layer), zbase32 as lncli prints it;
 *  - GetChanInfo of an unknown channel fails "edge not found";
 *  - SendToRouteV2 answers an HTLCAttempt: SUCCEEDED with the preimage, or FAILED with the BOLT 4
 *    failure and `failure_source_index` (the node along the route that failed).
 * Each method names the macaroon permissions LND requires for it (rpcserver.go MainRPCServerPermissions).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { nobleScheme } from '../../core/crypto/noble-scheme.ts';
import { zbase32 } from '../../core/crypto/lnsign.ts';
import type { NodeAnnouncement, NodeChannel, NodePeerChannel } from '../../core/ports.ts';
import { GraphAnswer } from './describe-graph.ts';
import { toHex, utf8 } from '../../core/types.ts';
import { BUILTIN_COMMANDS } from '../simnet/commands.ts';
import type { SimNode } from '../simnet/node.ts';
import { chanIdOfScid, featureBits, scidOfChanId } from '../../../services/lnd/ids.ts';
import type { LndPermission } from './macaroons.ts';

/** lnwire.CustomTypeStart: the lowest custom message type lnd passes on without an override. */
export const CUSTOM_TYPE_START = 32768;

/** An error LND returns (gRPC status UNKNOWN with LND's text, as lnd's rpcserver does for plain Go errors). */
export class LndRpcError extends Error {}

/** What a method handler sees. */
export interface LndCallContext {
  readonly node: SimNode;
  /** `protocol.custom-message` overrides. */
  readonly customOverrides: ReadonlySet<number>;
}

/** A unary method: needed permissions and the handler. */
export interface UnaryMethod {
  readonly perms: readonly LndPermission[];
  run(ctx: LndCallContext, req: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Run a simnet lightningd command on the node; its error becomes an LndRpcError with `lndText` or lightningd's words. */
async function sim<T>(node: SimNode, method: string, params: Record<string, unknown>): Promise<T> {
  const def = BUILTIN_COMMANDS[method]!;
  const r = await def.run({ node, params, raw: JSON.stringify({ method, params }), id: 'simlnd' });
  if ('error' in r) throw new LndRpcError(r.error.message);
  return r.result as T;
}

const hexOf = (v: unknown): string => (v instanceof Uint8Array ? toHex(v) : '');
const fromHex = (hex: string): Buffer => Buffer.from(hex, 'hex');

function routingPolicy(c: NodeChannel | undefined): Record<string, unknown> | null {
  if (!c) return null;
  return { time_lock_delta: c.delay, min_htlc: String(c.htlc_minimum_msat ?? 0), fee_base_msat: String(c.base_fee_millisatoshi), fee_rate_milli_msat: String(c.fee_per_millionth), disabled: !c.active, max_htlc_msat: String(c.htlc_maximum_msat ?? 0), last_update: c.last_update ?? 0 };
}

/** A ChannelGraph message for these channel directions and node announcements. */
export function describeGraph(channels: readonly NodeChannel[], nodes: readonly NodeAnnouncement[]): Record<string, unknown> {
  return { nodes: nodes.map((n) => ({ pub_key: n.nodeid, alias: n.alias ?? '', last_update: n.last_timestamp ?? 0, addresses: [] })), edges: edges(channels) };
}

/** One ChannelEdge from both directions of a channel (node1 is the lexicographically smaller key, BOLT 7). */
function channelEdge(dirs: readonly NodeChannel[]): Record<string, unknown> {
  const c = dirs[0]!;
  const [node1, node2] = [c.source, c.destination].sort() as [string, string];
  return {
    channel_id: chanIdOfScid(c.short_channel_id),
    chan_point: `${BigInt(chanIdOfScid(c.short_channel_id)).toString(16).padStart(64, '0')}:0`,
    last_update: Math.max(...dirs.map((d) => d.last_update ?? 0)),
    node1_pub: node1,
    node2_pub: node2,
    capacity: String(Math.floor(c.amount_msat / 1000)),
    node1_policy: routingPolicy(dirs.find((d) => d.source === node1)),
    node2_policy: routingPolicy(dirs.find((d) => d.source === node2)),
  };
}

function edges(channels: readonly NodeChannel[]): Record<string, unknown>[] {
  const byScid = new Map<string, NodeChannel[]>();
  for (const c of channels) {
    const dirs = byScid.get(c.short_channel_id);
    if (dirs) dirs.push(c);
    else byScid.set(c.short_channel_id, [c]);
  }
  return [...byScid.values()].map(channelEdge);
}

/** The channel point LND shows for a simnet channel: its channel_id as funding txid, output 0. */
const chanPoint = (c: NodePeerChannel) => `${c.channel_id}:0`;

const ALLOWED_TYPE = (ctx: LndCallContext, type: number) => type >= CUSTOM_TYPE_START || ctx.customOverrides.has(type);

/** True when lnd hands a message of `type` to SubscribeCustomMessages (custom range or overridden). */
export function deliveredToSubscribers(ctx: LndCallContext, type: number): boolean {
  return ALLOWED_TYPE(ctx, type);
}

/** The unary methods by their full gRPC path. */
export const UNARY_METHODS: Readonly<Record<string, UnaryMethod>> = {
  '/lnrpc.Lightning/GetInfo': {
    perms: ['info:read'],
    async run({ node }) {
      const info = await sim<{ id: string; alias: string; blockheight: number; network: string }>(node, 'getinfo', {});
      const peers = [...node.peers.values()].filter((p) => p.connected).length;
      return { identity_pubkey: info.id, alias: info.alias, version: '0.19.1-beta commit=simlnd', block_height: info.blockheight, chains: [{ chain: 'bitcoin', network: info.network }], uris: [`${info.id}@127.0.0.1:${node.network.portOf(info.id)}`], synced_to_chain: true, synced_to_graph: true, num_peers: peers, features: {} };
    },
  },
  '/lnrpc.Lightning/ListPeers': {
    perms: ['peers:read'],
    async run({ node }) {
      const { peers } = await sim<{ peers: { id: string; connected: boolean; features?: string }[] }>(node, 'listpeers', {});
      return {
        peers: peers
          .filter((p) => p.connected)
          .map((p) => ({ pub_key: p.id, address: `127.0.0.1:${node.network.portOf(p.id)}`, inbound: node.peers.get(p.id)?.direction === 'in', features: Object.fromEntries(featureBits(p.features ?? '').map((b) => [b, { name: `bit-${b}`, is_required: b % 2 === 0, is_known: true }])) })),
      };
    },
  },
  '/lnrpc.Lightning/ConnectPeer': {
    perms: ['peers:write'],
    async run({ node }, req) {
      const addr = req.addr as { pubkey?: string; host?: string } | null;
      if (!addr?.pubkey) throw new LndRpcError('need: lnc pubkeyhash@hostname');
      if (node.peers.get(addr.pubkey)?.connected) throw new LndRpcError(`already connected to peer: ${addr.pubkey}@${addr.host ?? ''}`);
      await sim(node, 'connect', { id: addr.pubkey });
      return { status: `connection to ${addr.pubkey}@${addr.host ?? ''} initiated` };
    },
  },
  '/lnrpc.Lightning/ListChannels': {
    perms: ['offchain:read'],
    async run({ node }) {
      const { channels } = await sim<{ channels: NodePeerChannel[] }>(node, 'listpeerchannels', {});
      return {
        channels: channels
          .filter((c) => c.state === 'CHANNELD_NORMAL' && c.short_channel_id)
          .map((c) => ({ active: c.peer_connected, remote_pubkey: c.peer_id, channel_point: chanPoint(c), chan_id: chanIdOfScid(c.short_channel_id!), capacity: String(Math.floor((c.total_msat ?? 0) / 1000)), local_balance: String(Math.floor((c.to_us_msat ?? 0) / 1000)), remote_balance: String(Math.floor(((c.total_msat ?? 0) - (c.to_us_msat ?? 0)) / 1000)), private: c.private ?? false, initiator: false })),
      };
    },
  },
  '/lnrpc.Lightning/GetChanInfo': {
    perms: ['info:read'],
    async run({ node }, req) {
      const { channels } = await sim<{ channels: NodeChannel[] }>(node, 'listchannels', { short_channel_id: scidOfChanId(String(req.chan_id)) });
      if (channels.length === 0) throw new LndRpcError('edge not found');
      return channelEdge(channels);
    },
  },
  '/lnrpc.Lightning/DescribeGraph': {
    perms: ['info:read'],
    async run({ node }) {
      // The fleet's own channels and nodes change; the public graph does not and is encoded once (describe-graph.ts).
      const fleetChannels: NodeChannel[] = [];
      for (const c of node.network.channels) fleetChannels.push(...(await sim<{ channels: NodeChannel[] }>(node, 'listchannels', { short_channel_id: c.short_channel_id })).channels);
      const fleetNodes: NodeAnnouncement[] = [];
      for (const id of new Set([...node.network.nodes.values()].map((n) => n.nodeId))) fleetNodes.push(...node.network.listnodes(id).filter((n) => !node.network.publicGraph.nodes.includes(n)));
      return new GraphAnswer(node.network, describeGraph(fleetChannels, fleetNodes)) as unknown as Record<string, unknown>;
    },
  },
  '/lnrpc.Lightning/GetNodeInfo': {
    perms: ['info:read'],
    async run({ node }, req) {
      const id = String(req.pub_key);
      const { nodes } = await sim<{ nodes: { nodeid: string; alias?: string; last_timestamp?: number }[] }>(node, 'listnodes', { id });
      const n = nodes[0];
      const sim_ = node.network.nodeById(id);
      if (!n && !sim_) throw new LndRpcError('unable to find node');
      const channels = req.include_channels === true ? edges([...node.network.listchannels({ source: id }), ...node.network.listchannels({ destination: id })]) : [];
      return { node: { pub_key: id, alias: n?.alias ?? sim_?.alias ?? '', last_update: n?.last_timestamp ?? 0, addresses: sim_ ? [{ network: 'tcp', addr: `127.0.0.1:${node.network.portOf(id)}` }] : [] }, num_channels: channels.length, total_capacity: '0', channels };
    },
  },
  '/lnrpc.Lightning/ForwardingHistory': {
    perms: ['offchain:read'],
    async run({ node }) {
      const { forwards } = await sim<{ forwards: { in_channel: string; out_channel?: string; in_msat: number; out_msat?: number; fee_msat?: number; status: string; received_time: number }[] }>(node, 'listforwards', { status: 'settled' });
      return {
        forwarding_events: forwards.map((f) => ({ timestamp: String(f.received_time), chan_id_in: chanIdOfScid(f.in_channel), chan_id_out: f.out_channel ? chanIdOfScid(f.out_channel) : '0', amt_in_msat: String(f.in_msat), amt_out_msat: String(f.out_msat ?? 0), fee_msat: String(f.fee_msat ?? 0), timestamp_ns: String(f.received_time * 1e9) })),
        last_offset_index: forwards.length,
      };
    },
  },
  '/lnrpc.Lightning/SendCustomMessage': {
    perms: ['offchain:write'],
    async run(ctx, req) {
      const type = Number(req.type);
      if (!ALLOWED_TYPE(ctx, type)) throw new LndRpcError(`msg type: ${type} not in custom range: ${CUSTOM_TYPE_START} and not overridden`);
      const peer = hexOf(req.peer);
      if (!ctx.node.peers.get(peer)?.connected) throw new LndRpcError('peer is not connected');
      const data = req.data instanceof Uint8Array ? req.data : new Uint8Array();
      await sim(ctx.node, 'sendcustommsg', { node_id: peer, msg: `${type.toString(16).padStart(4, '0')}${toHex(data)}` });
      return {};
    },
  },
  '/lnrpc.Lightning/SignMessage': {
    perms: ['message:write'],
    async run({ node }, req) {
      const msg = req.msg instanceof Uint8Array ? req.msg : new Uint8Array();
      const prefixed = new Uint8Array([...utf8('Lightning Signed Message:'), ...msg]);
      const digest = req.single_hash === true ? sha256(prefixed) : sha256(sha256(prefixed));
      const sig = nobleScheme.signRecoverable(digest, node.key.secretKey);
      const out = new Uint8Array(sig);
      out[0] = 31 + sig[0]!;
      return { signature: zbase32.encode(out) };
    },
  },
  '/lnrpc.Lightning/UpdateChannelPolicy': {
    perms: ['offchain:write'],
    async run({ node }, req) {
      const { channels } = await sim<{ channels: NodePeerChannel[] }>(node, 'listpeerchannels', {});
      const point = req.chan_point as { funding_txid_str?: string; output_index?: number } | null;
      const targets = req.global === true ? channels : channels.filter((c) => point && chanPoint(c) === `${point.funding_txid_str}:${point.output_index ?? 0}`);
      if (targets.length === 0) return { failed_updates: [{ outpoint: point ? { txid_str: point.funding_txid_str, output_index: point.output_index ?? 0 } : null, reason: 'UPDATE_FAILURE_NOT_FOUND', update_error: 'not found' }] };
      const delta = Number(req.time_lock_delta);
      if (delta < 18) throw new LndRpcError(`time lock delta of ${delta} is too small, minimum supported is 18`);
      for (const c of targets) await sim(node, 'setchannel', { id: c.short_channel_id ?? c.channel_id, feebase: Number(req.base_fee_msat ?? 0), feeppm: Number(req.fee_rate_ppm ?? 0) });
      return { failed_updates: [] };
    },
  },
  '/lnrpc.Lightning/AddInvoice': {
    perms: ['invoices:write'],
    async run({ node }, req) {
      const label = `simlnd-${node.invoices.size + 1}`;
      const inv = await sim<{ bolt11: string; payment_hash: string; payment_secret: string }>(node, 'invoice', { amount_msat: Number(req.value_msat ?? 0) || Number(req.value ?? 0) * 1000, label, description: String(req.memo ?? ''), expiry: Number(req.expiry ?? 86_400) || 86_400, cltv: Number(req.cltv_expiry ?? 18) || 18 });
      return { r_hash: fromHex(inv.payment_hash), payment_request: inv.bolt11, add_index: String(node.invoices.size), payment_addr: fromHex(inv.payment_secret) };
    },
  },
  '/lnrpc.Lightning/OpenChannelSync': {
    perms: ['onchain:write', 'offchain:write'],
    async run({ node }, req) {
      const r = await sim<{ txid: string; outnum: number }>(node, 'fundchannel', { id: hexOf(req.node_pubkey), amount: Number(req.local_funding_amount), announce: req.private !== true });
      return { funding_txid_bytes: fromHex(r.txid).reverse(), output_index: r.outnum };
    },
  },
  '/lnrpc.Lightning/ListUnspent': {
    perms: ['onchain:read'],
    async run({ node }) {
      const { outputs } = await sim<{ outputs: { txid: string; output: number; amount_msat: number; status: string }[] }>(node, 'listfunds', {});
      return { utxos: outputs.filter((o) => o.status !== 'spent').map((o) => ({ address_type: 'WITNESS_PUBKEY_HASH', amount_sat: String(Math.floor(o.amount_msat / 1000)), outpoint: { txid_str: o.txid, output_index: o.output }, confirmations: o.status === 'confirmed' ? '6' : '0' })) };
    },
  },
  '/walletrpc.WalletKit/EstimateFee': {
    perms: ['onchain:read'],
    async run({ node }) {
      const r = await sim<{ perkw?: { opening?: number } }>(node, 'feerates', { style: 'perkw' });
      return { sat_per_kw: String(r.perkw?.opening ?? 253), min_relay_fee_sat_per_kw: '253' };
    },
  },
  '/routerrpc.Router/SendToRouteV2': {
    perms: ['offchain:write'],
    async run({ node }, req) {
      const route = req.route as { total_time_lock: number; total_amt_msat: string; hops: { chan_id: string; pub_key: string; amt_to_forward_msat: string; expiry: number; mpp_record?: { payment_addr?: Uint8Array } | null }[] };
      const last = route.hops[route.hops.length - 1];
      const hash = hexOf(req.payment_hash);
      // LND hop i is what node i sends on; sendpay hop i is what arrives at node i (services/lnd/route.ts).
      const hops = route.hops.map((h, i) => {
        const prev = route.hops[i - 1];
        return { id: h.pub_key, channel: scidOfChanId(h.chan_id), amount_msat: Number(prev ? prev.amt_to_forward_msat : route.total_amt_msat), delay: prev ? prev.expiry : route.total_time_lock };
      });
      const attempt = { attempt_id: String(node.sendpays.size + 1), route: req.route, attempt_time_ns: String(Date.now() * 1e6), resolve_time_ns: String(Date.now() * 1e6) };
      const sent = await BUILTIN_COMMANDS.sendpay!.run({ node, params: { route: hops, payment_hash: hash, payment_secret: hexOf(last?.mpp_record?.payment_addr), amount_msat: Number(last?.amt_to_forward_msat ?? 0) }, raw: '', id: 'simlnd' });
      if ('error' in sent) return { ...attempt, status: 'FAILED', failure: { code: 'TEMPORARY_CHANNEL_FAILURE', failure_source_index: 0 } };
      const waited = await BUILTIN_COMMANDS.waitsendpay!.run({ node, params: { payment_hash: hash }, raw: '', id: 'simlnd' });
      if ('result' in waited) return { ...attempt, status: 'SUCCEEDED', preimage: fromHex((waited.result as { payment_preimage: string }).payment_preimage) };
      const data = (waited.error.data ?? {}) as { erring_index?: number; failcodename?: string };
      return { ...attempt, status: 'FAILED', failure: { code: (data.failcodename ?? 'WIRE_TEMPORARY_CHANNEL_FAILURE').replace(/^WIRE_/, ''), failure_source_index: data.erring_index ?? 0 } };
    },
  },
};
