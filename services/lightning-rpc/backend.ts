/**
 * `NodeBackend` over lightningd's `lightning-rpc` socket: each port method is one CLN command
 * (CLN v26.06 doc/schemas) and unwraps the list member CLN puts results in (`peers`, `channels`,
 * `nodes`, `forwards`). Errors stay values (`NodeRpcError`).
 */
import type {
  FundChannelRequest,
  FundChannelResult,
  ClnBackend,
  NodeAnnouncement,
  NodeBackend,
  NodeCapabilities,
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
import type { LightningRpcClient } from './client.ts';
import { rpcError } from './errors.ts';
import { signmessageParamsJson } from './signmessage-request.ts';

function field<T>(r: NodeResult<Record<string, unknown>>, key: string): NodeResult<T> {
  if (!r.ok) return r;
  return { ok: true, value: r.value[key] as T };
}

/** The CLN implementation of `NodeBackend`; construct with a connected-on-demand `LightningRpcClient`. */
export class ClnNodeBackend implements ClnBackend {
  readonly capabilities: NodeCapabilities = { implementation: 'cln', plugin: true, cln_rpc: true };
  constructor(private readonly rpc: LightningRpcClient) {}

  getinfo(): Promise<NodeResult<NodeInfo>> {
    return this.rpc.call<NodeInfo>('getinfo');
  }

  async listpeers(id?: string): Promise<NodeResult<readonly NodePeer[]>> {
    return field(await this.rpc.call('listpeers', id === undefined ? {} : { id }), 'peers');
  }

  async listpeerchannels(id?: string): Promise<NodeResult<readonly NodePeerChannel[]>> {
    return field(await this.rpc.call('listpeerchannels', id === undefined ? {} : { id }), 'channels');
  }

  async listchannels(filter: { source?: string; short_channel_id?: string } = {}): Promise<NodeResult<readonly NodeChannel[]>> {
    return field(await this.rpc.call('listchannels', { ...filter }), 'channels');
  }

  async listnodes(id?: string): Promise<NodeResult<readonly NodeAnnouncement[]>> {
    return field(await this.rpc.call('listnodes', id === undefined ? {} : { id }), 'nodes');
  }

  async listforwards(filter: { status?: string } = {}): Promise<NodeResult<readonly NodeForward[]>> {
    return field(await this.rpc.call('listforwards', { ...filter }), 'forwards');
  }

  connect(id: string, host?: string, port?: number): Promise<NodeResult<{ id: string }>> {
    return this.rpc.call('connect', { id, host, port });
  }

  sendcustommsg(nodeId: string, msgHex: string): Promise<NodeResult<{ status: string }>> {
    return this.rpc.call('sendcustommsg', { node_id: nodeId, msg: msgHex });
  }

  /** Sends T verbatim (see signmessage-request.ts); a T that is not valid JSON string content never leaves the process. */
  async signmessage(text: string): Promise<NodeResult<{ signature: string; recid: string; zbase: string }>> {
    const body = signmessageParamsJson(text);
    if (!body.ok) return { ok: false, error: rpcError('signmessage', body.error.code, body.error.message) };
    return this.rpc.callWithParamsText('signmessage', body.value);
  }

  setchannel(req: SetChannelRequest): ReturnType<NodeBackend['setchannel']> {
    return this.rpc.call('setchannel', { ...req });
  }

  listconfigs(config?: string): Promise<NodeResult<{ configs: Record<string, unknown> }>> {
    return this.rpc.call('listconfigs', config === undefined ? {} : { config });
  }

  feerates(style: 'perkb' | 'perkw'): ReturnType<NodeBackend['feerates']> {
    return this.rpc.call('feerates', { style });
  }

  invoice(amountMsat: number, label: string, description: string, expiry_s?: number, cltv?: number): ReturnType<NodeBackend['invoice']> {
    return this.rpc.call('invoice', { amount_msat: amountMsat, label, description, expiry: expiry_s, cltv });
  }

  /** `sendpay` over `req.hops`, then `waitsendpay` for up to `timeout_s` (doc/schemas/sendpay.json, waitsendpay.json). */
  async payRoute(req: RoutePaymentRequest): ReturnType<NodeBackend['payRoute']> {
    const { hops, payment_hash, payment_secret, amount_msat, label, timeout_s } = req;
    const sent = await this.rpc.call('sendpay', { route: hops, payment_hash, payment_secret, amount_msat, label });
    if (!sent.ok) return sent;
    const waited = await this.rpc.call('waitsendpay', { payment_hash, timeout: timeout_s });
    return waited.ok ? { ok: true, value: { payment_hash, status: 'complete' } } : waited;
  }

  fundchannel(req: FundChannelRequest): Promise<NodeResult<FundChannelResult>> {
    return this.rpc.call('fundchannel', { id: req.id, amount: req.amount_sat, feerate: req.feerate, announce: req.announce });
  }

  async listfunds(): Promise<NodeResult<{ outputs: readonly NodeFundsOutput[] }>> {
    const r = await this.rpc.call<{ outputs: readonly NodeFundsOutput[] }>('listfunds', {});
    return r.ok ? { ok: true, value: { outputs: r.value.outputs } } : r;
  }

  call(method: string, params: Record<string, unknown>): Promise<NodeResult<unknown>> {
    return this.rpc.call(method, params);
  }
}
