/**
 * In-memory simulator of the Core Lightning (v26.06) RPC calls the management handler uses —
 * getinfo, listpeers, listpeerchannels, setchannel, listforwards, invoice, signmessage,
 * sendcustommsg — returning CLN's field names and error shapes (doc/schemas). It stands for a
 * lightningd behind the `NodeBackend` port in unit tests and benches; the coordinator re-runs the
 * same flow over simnet against real plugin/RPC wire protocols.
 *
 * Test-only helpers model the other side of Lightning: `payInvoice` returns the preimage a payer
 * would learn, `moveLiquidity` shifts balance like a completed circular payment.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { signMessage, zbase32 } from '../../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../../runtime/core/crypto/noble-scheme.ts';
import type { ClnBackend, NodeCapabilities, NodeForward, NodePeerChannel, NodeResult } from '../../../runtime/core/ports.ts';
import { toHex } from '../../../runtime/core/types.ts';

/** A simulated channel. */
export interface SimChannel {
  scid: string;
  peer_id: string;
  fee_ppm: number;
  base_fee_msat: number;
  to_us_msat: number;
  total_msat: number;
}

const ok = <T>(value: T): NodeResult<T> => ({ ok: true, value });
const fail = <T>(method: string, code: number, message: string): NodeResult<T> => ({ ok: false, error: { code, message, method } });

/** The simulated node. */
export class ClnSim implements ClnBackend {
  readonly capabilities: NodeCapabilities = { implementation: 'cln', plugin: true, cln_rpc: true };
  readonly id: string;
  readonly channels = new Map<string, SimChannel>();
  readonly forwards: NodeForward[] = [];
  readonly sent: { nodeId: string; msgHex: string }[] = [];
  /** Peers connected with `connect` besides the channel peers. */
  private readonly connected = new Set<string>();
  /** Counts of calls per method (tests assert "nothing executed"). */
  readonly calls = new Map<string, number>();
  private readonly invoices = new Map<string, { label: string; preimage: Uint8Array; amount_msat: number }>();
  private readonly labels = new Set<string>();
  private invoiceCounter = 0;
  /** Delivery hook for `sendcustommsg`. */
  onSend: ((nodeId: string, msgHex: string) => void) | null = null;

  constructor(
    private readonly secretKey: Uint8Array,
    channels: readonly SimChannel[],
    private readonly randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
  ) {
    this.id = toHex(nobleScheme.publicKey(secretKey));
    for (const c of channels) this.channels.set(c.scid, { ...c });
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  async getinfo() {
    this.count('getinfo');
    return ok({ id: this.id, alias: 'sim', version: 'v26.06', blockheight: 900_000, network: 'regtest', address: [] });
  }

  async listpeers(id?: string) {
    const peers = [...new Set([...[...this.channels.values()].map((c) => c.peer_id), ...this.connected])].filter((p) => id === undefined || p === id);
    return ok(peers.map((p) => ({ id: p, connected: true })));
  }

  async listpeerchannels(id?: string) {
    this.count('listpeerchannels');
    const out: NodePeerChannel[] = [...this.channels.values()]
      .filter((c) => id === undefined || c.peer_id === id)
      .map((c) => ({
        peer_id: c.peer_id,
        peer_connected: true,
        state: 'CHANNELD_NORMAL',
        short_channel_id: c.scid,
        total_msat: c.total_msat,
        to_us_msat: c.to_us_msat,
        updates: { local: { fee_base_msat: c.base_fee_msat, fee_proportional_millionths: c.fee_ppm, cltv_expiry_delta: 34, htlc_minimum_msat: 0, htlc_maximum_msat: c.total_msat } },
      }));
    return ok(out);
  }

  async listchannels() {
    return ok([]);
  }

  async listnodes() {
    return ok([]);
  }

  async listforwards(filter?: { status?: string }) {
    this.count('listforwards');
    return ok(this.forwards.filter((f) => filter?.status === undefined || f.status === filter.status));
  }

  /** CLN `connect`: the peer counts as connected from now on (channel peers always are). */
  async connect(id: string) {
    this.connected.add(id);
    return ok({ id });
  }

  /** CLN `sendcustommsg`: error -32600 "No such peer" unless a channel peer (its peers are its channel peers). */
  async sendcustommsg(nodeId: string, msgHex: string) {
    this.count('sendcustommsg');
    if (!this.connected.has(nodeId) && ![...this.channels.values()].some((c) => c.peer_id === nodeId)) return fail<never>('sendcustommsg', -32600, `No such peer: ${nodeId}`);
    this.sent.push({ nodeId, msgHex });
    this.onSend?.(nodeId, msgHex);
    return ok({ status: 'Message sent to connectd for delivery' });
  }

  async signmessage(text: string) {
    this.count('signmessage');
    const zbase = signMessage(text, this.secretKey);
    const raw = zbase32.decode(zbase);
    return ok({ signature: toHex(raw.slice(1)), recid: toHex(Uint8Array.of(raw[0]! - 31)), zbase });
  }

  /** CLN `setchannel id feeppm`: error -32602 style when no channel matches (CLN "Could not find any active channel"). */
  async setchannel(req: { id: string; feebase?: number; feeppm?: number }) {
    this.count('setchannel');
    const c = this.channels.get(req.id);
    if (!c) return fail<never>('setchannel', -32602, `Could not find any active channel of peer with that id: ${req.id}`);
    if (req.feeppm !== undefined) c.fee_ppm = req.feeppm;
    if (req.feebase !== undefined) c.base_fee_msat = req.feebase;
    return ok({ channels: [{ peer_id: c.peer_id, short_channel_id: c.scid, fee_base_msat: c.base_fee_msat, fee_proportional_millionths: c.fee_ppm }] });
  }

  async listconfigs() {
    return ok({ configs: {} });
  }

  async feerates() {
    return ok({ perkb: { opening: 1000, min_acceptable: 253 } });
  }

  /** CLN `invoice`: error 900 on a duplicate label (CLN invoice errors). */
  async invoice(amountMsat: number, label: string, description: string) {
    this.count('invoice');
    if (this.labels.has(label)) return fail<never>('invoice', 900, `Duplicate label '${label}'`);
    this.labels.add(label);
    const preimage = this.randomBytes(32);
    const payment_hash = toHex(sha256(preimage));
    const bolt11 = `lnbcrt${amountMsat * 10}p1sim${(++this.invoiceCounter).toString(36)}x${payment_hash.slice(0, 16)}${description.length}`;
    this.invoices.set(bolt11, { label, preimage, amount_msat: amountMsat });
    return ok({ bolt11, payment_hash, expires_at: 4_102_444_800 });
  }

  /** No on-chain wallet is simulated: lightningd's "cannot afford" answer (code 301). */
  async fundchannel(req: { amount_sat: number }) {
    this.count('fundchannel');
    return fail<never>('fundchannel', 301, `Could not afford ${req.amount_sat}sat using all 0 available UTXOs`);
  }

  async listfunds() {
    return ok({ outputs: [] });
  }

  /** `sendpay` is not simulated: lightningd's answer to an unknown command, as `call('sendpay')` gives. */
  async payRoute(): Promise<NodeResult<never>> {
    this.count('sendpay');
    return fail<never>('sendpay', -32601, "Unknown command 'sendpay'");
  }

  /** `plugin list` answers an empty list; other commands are unknown to this simulator. */
  async call(method: string, params: Record<string, unknown>) {
    this.count(method);
    if (method === 'plugin' && params.subcommand === 'list') return ok<unknown>({ command: 'list', plugins: [] });
    return fail<unknown>(method, -32601, `Unknown command '${method}'`);
  }

  /** Test helper: pay an invoice of this node and learn its preimage (hex), as the payer would. */
  payInvoice(bolt11: string): string {
    const inv = this.invoices.get(bolt11);
    if (!inv) throw new Error(`unknown invoice ${bolt11}`);
    return toHex(inv.preimage);
  }

  /** Test helper: a completed circular payment out of `from` and back into `to`. */
  moveLiquidity(from: string, to: string, amount_msat: number, fee_msat: number): boolean {
    const a = this.channels.get(from);
    const b = this.channels.get(to);
    if (!a || !b || a.to_us_msat < amount_msat + fee_msat || b.total_msat - b.to_us_msat < amount_msat) return false;
    a.to_us_msat -= amount_msat + fee_msat;
    b.to_us_msat += amount_msat;
    return true;
  }
}
