/**
 * `NodeBackend` over LND's gRPC (issue 18): each port method is one or a few LND RPCs, answered in
 * the CLN shapes the rest of Hivebox reads (runtime/core/ports.ts). LND RPCs used, by method:
 *  - getinfo → GetInfo; listpeers → ListPeers (feature map → BOLT 9 hex);
 *  - listpeerchannels → ListChannels + GetChanInfo per channel (our and the peer's policy);
 *  - listchannels / listnodes → DescribeGraph (one answer shared for 10 s), GetChanInfo for one scid,
 *    GetNodeInfo for one node (with `include_channels` for a `source` filter);
 *  - listforwards → ForwardingHistory (LND keeps settled forwards only);
 *  - connect → ConnectPeer (address from GetNodeInfo when none given; "already connected" is success, as in CLN);
 *  - sendcustommsg → SendCustomMessage (type = first two bytes);
 *  - signmessage → SignMessage over the UTF-8 bytes of the text (LND signs the bytes it is given,
 *    no JSON token layer; signature, recid and zbase as CLN returns them);
 *  - setchannel → UpdateChannelPolicy per channel point (time lock delta and max HTLC kept from GetChanInfo);
 *  - feerates → WalletKit.EstimateFee (sat/kw ×4 = sat/kB);
 *  - invoice → AddInvoice; payRoute → Router.SendToRouteV2; fundchannel → OpenChannelSync; listfunds → ListUnspent.
 * `listconfigs` answers no configs: lnd has no lightningd options.
 */
import type {
  FundChannelRequest,
  FundChannelResult,
  NodeAnnouncement,
  NodeBackend,
  NodeCapabilities,
  NodeEvents,
  NodeChannel,
  NodeForward,
  NodeFundsOutput,
  NodeInfo,
  NodePeer,
  NodePeerChannel,
  NodeResult,
  RoutePaymentRequest,
  SetChannelRequest,
} from '../../runtime/core/ports.ts';
import { zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { toHex, utf8 } from '../../runtime/core/types.ts';
import { unary, type LndServices } from './client.ts';
import { lndEvents } from './events.ts';
import { chanIdOfScid, featureHex, scidOfChanId } from './ids.ts';
import { lndRoute } from './route.ts';

type Msg = Record<string, unknown>;

interface LndPolicy {
  time_lock_delta: number;
  min_htlc: string;
  fee_base_msat: string;
  fee_rate_milli_msat: string;
  disabled: boolean;
  max_htlc_msat: string;
  last_update: number;
}

interface LndEdge {
  channel_id: string;
  chan_point: string;
  last_update: number;
  node1_pub: string;
  node2_pub: string;
  capacity: string;
  node1_policy: LndPolicy | null;
  node2_policy: LndPolicy | null;
}

interface LndChannel {
  active: boolean;
  remote_pubkey: string;
  channel_point: string;
  chan_id: string;
  capacity: string;
  local_balance: string;
  remote_balance: string;
  private: boolean;
  local_constraints?: { chan_reserve_sat?: string } | null;
  remote_constraints?: { chan_reserve_sat?: string } | null;
}

/** How long one DescribeGraph answer serves further graph reads, ms. */
const GRAPH_REUSE_MS = 10_000;

const num = (v: unknown): number => Number(v ?? 0);
const bytesHex = (v: unknown): string => (v instanceof Uint8Array ? toHex(v) : '');
const fail = (method: string, message: string, code = -1): NodeResult<never> => ({ ok: false, error: { code, message, method } });

/** Both directions of an LND edge as CLN `listchannels` entries (direction 0 = node1 → node2, BOLT 7). */
export function edgeDirections(e: LndEdge): NodeChannel[] {
  const scid = scidOfChanId(e.channel_id);
  const out: NodeChannel[] = [];
  for (const [direction, source, destination, p] of [
    [0, e.node1_pub, e.node2_pub, e.node1_policy],
    [1, e.node2_pub, e.node1_pub, e.node2_policy],
  ] as const) {
    if (!p) continue;
    out.push({ source, destination, short_channel_id: scid, direction, public: true, amount_msat: num(e.capacity) * 1000, active: !p.disabled, base_fee_millisatoshi: num(p.fee_base_msat), fee_per_millionth: num(p.fee_rate_milli_msat), delay: p.time_lock_delta, last_update: p.last_update, htlc_minimum_msat: num(p.min_htlc), htlc_maximum_msat: num(p.max_htlc_msat) });
  }
  return out;
}

function policyView(p: LndPolicy | null | undefined) {
  return p ? { fee_base_msat: num(p.fee_base_msat), fee_proportional_millionths: num(p.fee_rate_milli_msat), cltv_expiry_delta: p.time_lock_delta, htlc_minimum_msat: num(p.min_htlc), htlc_maximum_msat: num(p.max_htlc_msat) } : undefined;
}

/** The LND implementation of `NodeBackend`. */
export class LndNodeBackend implements NodeBackend {
  readonly capabilities: NodeCapabilities = { implementation: 'lnd', plugin: false, cln_rpc: false };
  /** LND's streams in place of the plugin (events.ts). */
  readonly eventStreams: NodeEvents;
  private ourId: string | null = null;
  /** The last DescribeGraph: in flight (`at_ms` null) or answered at `at_ms`. */
  private graph: { at_ms: number | null; answer: ReturnType<LndNodeBackend['describeGraph']> } | null = null;

  constructor(
    private readonly lnd: LndServices,
    private readonly timeout_ms = 30_000,
  ) {
    this.eventStreams = lndEvents(lnd);
  }

  private call<T>(method: string, req: Msg = {}, service: 'lightning' | 'router' | 'wallet' = 'lightning', timeout_ms = this.timeout_ms): Promise<NodeResult<T>> {
    return unary<T>(this.lnd[service], method, req, timeout_ms);
  }

  private async us(): Promise<NodeResult<string>> {
    if (this.ourId) return { ok: true, value: this.ourId };
    const info = await this.getinfo();
    if (!info.ok) return info;
    this.ourId = info.value.id;
    return { ok: true, value: this.ourId };
  }

  async getinfo(): Promise<NodeResult<NodeInfo>> {
    const r = await this.call<{ identity_pubkey: string; alias: string; version: string; block_height: number; chains: { network: string }[]; uris: string[] }>('GetInfo');
    if (!r.ok) return r;
    const v = r.value;
    const address = v.uris.map((u) => /@(.+):(\d+)$/.exec(u)).filter((m) => m !== null).map((m) => ({ type: 'ipv4', address: m[1]!, port: Number(m[2]) }));
    return { ok: true, value: { id: v.identity_pubkey, alias: v.alias, version: v.version, blockheight: v.block_height, network: v.chains[0]?.network ?? 'bitcoin', address } };
  }

  async listpeers(id?: string): Promise<NodeResult<readonly NodePeer[]>> {
    const r = await this.call<{ peers: { pub_key: string; address: string; features: Record<string, unknown> }[] }>('ListPeers');
    if (!r.ok) return r;
    return { ok: true, value: r.value.peers.filter((p) => id === undefined || p.pub_key === id).map((p) => ({ id: p.pub_key, connected: true, netaddr: [p.address], features: featureHex(Object.keys(p.features ?? {}).map(Number)) })) };
  }

  async listpeerchannels(id?: string): Promise<NodeResult<readonly NodePeerChannel[]>> {
    const [r, me] = await Promise.all([this.call<{ channels: LndChannel[] }>('ListChannels', id ? { peer: Buffer.from(id, 'hex') } : {}), this.us()]);
    if (!r.ok) return r;
    if (!me.ok) return me;
    const chans = r.value.channels.filter((c) => id === undefined || c.remote_pubkey === id);
    const infos = await Promise.all(chans.map((c) => this.call<LndEdge>('GetChanInfo', { chan_id: c.chan_id })));
    return {
      ok: true,
      value: chans.map((c, i) => {
        const edge = infos[i]!.ok ? (infos[i] as { value: LndEdge }).value : null;
        const mine = edge ? (edge.node1_pub === me.value ? edge.node1_policy : edge.node2_policy) : null;
        const theirs = edge ? (edge.node1_pub === me.value ? edge.node2_policy : edge.node1_policy) : null;
        const local = num(c.local_balance) * 1000;
        const remote = num(c.remote_balance) * 1000;
        return {
          peer_id: c.remote_pubkey,
          peer_connected: c.active,
          state: 'CHANNELD_NORMAL',
          short_channel_id: scidOfChanId(c.chan_id),
          channel_id: c.channel_point,
          private: c.private,
          total_msat: num(c.capacity) * 1000,
          to_us_msat: local,
          spendable_msat: Math.max(0, local - num(c.local_constraints?.chan_reserve_sat) * 1000),
          receivable_msat: Math.max(0, remote - num(c.remote_constraints?.chan_reserve_sat) * 1000),
          updates: { local: policyView(mine), remote: policyView(theirs) },
        };
      }),
    };
  }

  async listchannels(filter?: { source?: string; short_channel_id?: string }): Promise<NodeResult<readonly NodeChannel[]>> {
    if (filter?.short_channel_id) {
      const r = await this.call<LndEdge>('GetChanInfo', { chan_id: chanIdOfScid(filter.short_channel_id) });
      if (!r.ok) return r.error.message.includes('edge not found') ? { ok: true, value: [] } : r;
      return { ok: true, value: edgeDirections(r.value).filter((c) => !filter.source || c.source === filter.source) };
    }
    if (filter?.source) {
      const n = await this.call<{ channels: LndEdge[] }>('GetNodeInfo', { pub_key: filter.source, include_channels: true });
      if (!n.ok) return n.error.message.includes('unable to find node') ? { ok: true, value: [] } : n;
      return { ok: true, value: n.value.channels.flatMap(edgeDirections).filter((c) => c.source === filter.source) };
    }
    const g = await this.describeGraph();
    return g.ok ? { ok: true, value: g.value.edges.flatMap(edgeDirections) } : g;
  }

  /**
   * DescribeGraph, shared by callers while in flight and for `GRAPH_REUSE_MS` after its answer (the
   * planner reads channels and nodes together; on mainnet one answer is ~15 MB).
   */
  private describeGraph(): Promise<NodeResult<{ edges: LndEdge[]; nodes: { pub_key: string; alias: string; last_update: number }[] }>> {
    const now = Date.now();
    if (this.graph && (this.graph.at_ms === null || now - this.graph.at_ms <= GRAPH_REUSE_MS)) return this.graph.answer;
    const entry: { at_ms: number | null; answer: ReturnType<LndNodeBackend['describeGraph']> } = { at_ms: null, answer: this.call('DescribeGraph', { include_unannounced: false }) };
    this.graph = entry;
    void entry.answer.then(() => (entry.at_ms = Date.now()));
    return entry.answer;
  }

  async listnodes(id?: string): Promise<NodeResult<readonly NodeAnnouncement[]>> {
    if (id) {
      const r = await this.call<{ node: { pub_key: string; alias: string; last_update: number } }>('GetNodeInfo', { pub_key: id });
      if (!r.ok) return r.error.message.includes('unable to find node') ? { ok: true, value: [] } : r;
      return { ok: true, value: [{ nodeid: r.value.node.pub_key, alias: r.value.node.alias, last_timestamp: r.value.node.last_update }] };
    }
    const g = await this.describeGraph();
    if (!g.ok) return g;
    return { ok: true, value: g.value.nodes.map((n) => ({ nodeid: n.pub_key, alias: n.alias, last_timestamp: n.last_update })) };
  }

  async listforwards(filter?: { status?: string }): Promise<NodeResult<readonly NodeForward[]>> {
    if (filter?.status !== undefined && filter.status !== 'settled') return { ok: true, value: [] };
    const r = await this.call<{ forwarding_events: { timestamp: string; chan_id_in: string; chan_id_out: string; amt_in_msat: string; amt_out_msat: string; fee_msat: string }[] }>('ForwardingHistory', { start_time: '0', num_max_events: 50_000 });
    if (!r.ok) return r;
    return { ok: true, value: r.value.forwarding_events.map((f) => ({ in_channel: scidOfChanId(f.chan_id_in), out_channel: scidOfChanId(f.chan_id_out), in_msat: num(f.amt_in_msat), out_msat: num(f.amt_out_msat), fee_msat: num(f.fee_msat), status: 'settled', received_time: num(f.timestamp), resolved_time: num(f.timestamp) })) };
  }

  async connect(id: string, host?: string, port?: number): Promise<NodeResult<{ id: string }>> {
    let address = host === undefined ? undefined : `${host}:${port ?? 9735}`;
    if (address === undefined) {
      const n = await this.call<{ node: { addresses: { addr: string }[] } }>('GetNodeInfo', { pub_key: id });
      address = n.ok ? n.value.node.addresses[0]?.addr : undefined;
      if (!address) return fail('connect', 'Unable to connect, no address known for peer', 401);
    }
    const r = await this.call('ConnectPeer', { addr: { pubkey: id, host: address }, perm: false, timeout: '30' });
    if (!r.ok && !r.error.message.startsWith('already connected to peer')) return r;
    return { ok: true, value: { id } };
  }

  async sendcustommsg(nodeId: string, msgHex: string): Promise<NodeResult<{ status: string }>> {
    if (!/^([0-9a-fA-F]{2}){2,}$/.test(msgHex)) return fail('sendcustommsg', 'msg: should be a hex value of at least 2 bytes', -32602);
    const r = await this.call('SendCustomMessage', { peer: Buffer.from(nodeId, 'hex'), type: Number.parseInt(msgHex.slice(0, 4), 16), data: Buffer.from(msgHex.slice(4), 'hex') });
    return r.ok ? { ok: true, value: { status: 'Message sent to lnd for delivery' } } : r;
  }

  async signmessage(text: string): Promise<NodeResult<{ signature: string; recid: string; zbase: string }>> {
    const r = await this.call<{ signature: string }>('SignMessage', { msg: Buffer.from(utf8(text)) });
    if (!r.ok) return r;
    const raw = zbase32.decode(r.value.signature);
    return { ok: true, value: { signature: toHex(raw.slice(1)), recid: toHex(Uint8Array.of(raw[0]! - 31)), zbase: r.value.signature } };
  }

  async setchannel(req: SetChannelRequest): ReturnType<NodeBackend['setchannel']> {
    const chans = await this.listpeerchannels();
    if (!chans.ok) return chans;
    const targets = chans.value.filter((c) => req.id === 'all' || c.peer_id === req.id || c.short_channel_id === req.id || c.channel_id === req.id);
    if (targets.length === 0) return fail('setchannel', `Could not find any active channels of peer with that id`, -32602);
    const done: { peer_id: string; short_channel_id?: string; fee_base_msat: number; fee_proportional_millionths: number }[] = [];
    for (const c of targets) {
      const [txid, index] = c.channel_id!.split(':') as [string, string];
      const base = req.feebase ?? c.updates?.local?.fee_base_msat ?? 0;
      const ppm = req.feeppm ?? c.updates?.local?.fee_proportional_millionths ?? 0;
      const r = await this.call<{ failed_updates: { update_error: string }[] }>('UpdateChannelPolicy', { chan_point: { funding_txid_str: txid, output_index: Number(index) }, base_fee_msat: String(base), fee_rate_ppm: ppm, time_lock_delta: c.updates?.local?.cltv_expiry_delta ?? 80, max_htlc_msat: String(c.updates?.local?.htlc_maximum_msat ?? 0) });
      if (!r.ok) return r;
      if (r.value.failed_updates.length > 0) return fail('setchannel', `UpdateChannelPolicy ${c.channel_id}: ${r.value.failed_updates[0]!.update_error}`);
      done.push({ peer_id: c.peer_id, short_channel_id: c.short_channel_id, fee_base_msat: base, fee_proportional_millionths: ppm });
    }
    return { ok: true, value: { channels: done } };
  }

  async listconfigs(): Promise<NodeResult<{ configs: Record<string, unknown> }>> {
    return { ok: true, value: { configs: {} } };
  }

  async feerates(style: 'perkb' | 'perkw'): ReturnType<NodeBackend['feerates']> {
    const r = await this.call<{ sat_per_kw: string; min_relay_fee_sat_per_kw: string }>('EstimateFee', { conf_target: 6 }, 'wallet');
    if (!r.ok) return r;
    const perkw = num(r.value.sat_per_kw);
    return { ok: true, value: style === 'perkw' ? { perkw: { opening: perkw } } : { perkb: { opening: perkw * 4, min_acceptable: num(r.value.min_relay_fee_sat_per_kw) * 4 } } };
  }

  async invoice(amountMsat: number, _label: string, description: string, expiry_s = 604_800, cltv = 18): ReturnType<NodeBackend['invoice']> {
    const r = await this.call<{ r_hash: Uint8Array; payment_request: string; payment_addr: Uint8Array }>('AddInvoice', { memo: description, value_msat: String(amountMsat), expiry: String(expiry_s), cltv_expiry: String(cltv) });
    if (!r.ok) return r;
    return { ok: true, value: { bolt11: r.value.payment_request, payment_hash: bytesHex(r.value.r_hash), payment_secret: bytesHex(r.value.payment_addr), expires_at: Math.floor(Date.now() / 1000) + expiry_s } };
  }

  /** `SendToRouteV2`: a FAILED attempt becomes CLN's 204 with the erring channel; no answer within `timeout_s` is 200. */
  async payRoute(req: RoutePaymentRequest): ReturnType<NodeBackend['payRoute']> {
    const r = await this.call<{ status: string; failure?: { code: string; failure_source_index: number } | null }>('SendToRouteV2', { payment_hash: Buffer.from(req.payment_hash, 'hex'), route: lndRoute(req), skip_temp_err: true }, 'router', req.timeout_s * 1000);
    if (!r.ok) return r.error.code === 4 ? fail('SendToRouteV2', `timed out after ${req.timeout_s} s`, 200) : r;
    if (r.value.status === 'SUCCEEDED') return { ok: true, value: { payment_hash: req.payment_hash, status: 'complete' } };
    const index = r.value.failure?.failure_source_index ?? 0;
    const erring_channel = req.hops[index]?.channel;
    return { ok: false, error: { code: 204, method: 'SendToRouteV2', message: `failed: ${r.value.failure?.code ?? 'UNKNOWN_FAILURE'} at hop ${index}`, data: { erring_index: index, erring_channel } } };
  }

  async fundchannel(req: FundChannelRequest): Promise<NodeResult<FundChannelResult>> {
    const r = await this.call<{ funding_txid_bytes: Uint8Array; output_index: number }>('OpenChannelSync', { node_pubkey: Buffer.from(req.id, 'hex'), local_funding_amount: String(req.amount_sat), private: req.announce === false });
    if (!r.ok) return r;
    const txid = toHex(Uint8Array.from(r.value.funding_txid_bytes).reverse());
    return { ok: true, value: { tx: '', txid, outnum: r.value.output_index, channel_id: `${txid}:${r.value.output_index}` } };
  }

  async listfunds(): Promise<NodeResult<{ outputs: readonly NodeFundsOutput[] }>> {
    const r = await this.call<{ utxos: { amount_sat: string; outpoint: { txid_str: string; output_index: number }; confirmations: string }[] }>('ListUnspent', { min_confs: 0, max_confs: 2_147_483_647 });
    if (!r.ok) return r;
    return { ok: true, value: { outputs: r.value.utxos.map((u) => ({ txid: u.outpoint.txid_str, output: u.outpoint.output_index, amount_msat: num(u.amount_sat) * 1000, status: num(u.confirmations) > 0 ? 'confirmed' : 'unconfirmed', reserved: false })) } };
  }
}
