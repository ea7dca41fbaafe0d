/**
 * Ports: the interfaces through which adapters (services/, hw/) serve the core and the daemon.
 * The core itself never calls a port — the driver (runtime/daemon) does, and feeds results back in
 * as inputs. Shapes follow CLN v26.06 doc/schemas (samples in shared/data/vectors/cln-schemas/).
 */
import type { NodeId } from './types.ts';

/** What a fleet-admin signature is for; the signer shows it and refuses purposes it does not know. */
export type SignerPurpose = 'invite' | 'revoke' | 'ban' | 'credential' | 'governance';

/** Purposes that need a physical button press on the signer (issue 2 §4, issue 5 §4). */
export const APPROVAL_PURPOSES: ReadonlySet<SignerPurpose> = new Set(['invite', 'revoke', 'ban', 'credential']);

/** What the signer displays before the operator approves (for an invite: hive id, valid hours, requirements). */
export interface ApprovalSummary {
  /** One line, e.g. "invite to hive_1a2b…, valid 24 h, requires splice". */
  readonly title: string;
  /** The fields that matter, shown one per line on the device. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Why a signer did not produce a signature. */
export type SignerError =
  | { readonly kind: 'ApprovalRejected' }
  | { readonly kind: 'ApprovalTimeout'; readonly after_s: number }
  | { readonly kind: 'SignerUnavailable'; readonly reason: string }
  | { readonly kind: 'SignerBusy' }
  | { readonly kind: 'SignerRefused'; readonly reason: string };

/** A successful signature: Lightning `signmessage` zbase32 (104 chars) over the exact text given. */
export interface SignerSignature {
  readonly zbase: string;
  readonly node_id: NodeId;
}

/**
 * Fleet admin key holder (USB HID hardware signer, its simulator, or a software signer).
 * `sign` covers the exact text given (already escaped with `lightningSignedText`).
 * Never throws for device/user outcomes: they come back as `SignerError`.
 */
export interface Signer {
  /** Public key of the key slot for `purpose` (66-hex). @throws never; unavailable → SignerError. */
  publicKey(purpose: SignerPurpose): Promise<{ ok: true; node_id: NodeId } | { ok: false; error: SignerError }>;
  /** Sign `text` (Lightning signmessage format); approval purposes wait for the button. */
  sign(
    text: string,
    opts: { purpose: SignerPurpose; summary: ApprovalSummary },
  ): Promise<{ ok: true; value: SignerSignature } | { ok: false; error: SignerError }>;
}

/** A CLN RPC error surfaced as a value: `code` and `message` from the JSON-RPC error object. */
export interface NodeRpcError {
  readonly code: number;
  readonly message: string;
  readonly method: string;
  /** The error object's `data`, when lightningd sent one (e.g. `waitsendpay`'s routing-failure object). */
  readonly data?: unknown;
}

/** `getinfo` subset (CLN doc/schemas/getinfo.json). */
export interface NodeInfo {
  readonly id: string;
  readonly alias: string;
  readonly version: string;
  readonly blockheight: number;
  readonly network: string;
  readonly address: readonly { type: string; address: string; port: number }[];
  /** Where lightningd listens (`bind-addr`; `local socket` entries have no address). */
  readonly binding?: readonly { type: string; address?: string; port?: number }[];
  readonly our_features?: { init: string; node: string; channel: string; invoice: string };
}

/** `listpeers` entry subset: `features` is the hex of the peer's init features as negotiated (BOLT 9). */
export interface NodePeer {
  readonly id: string;
  readonly connected: boolean;
  readonly netaddr?: readonly string[];
  readonly features?: string;
}

/** `listpeerchannels` entry subset (CLN doc/schemas/listpeerchannels.json). */
export interface NodePeerChannel {
  readonly peer_id: string;
  readonly peer_connected: boolean;
  readonly state: string;
  readonly short_channel_id?: string;
  readonly channel_id?: string;
  readonly private?: boolean;
  readonly total_msat?: number;
  readonly to_us_msat?: number;
  /** What we can send / receive over it now (after reserves and HTLCs in flight). */
  readonly spendable_msat?: number;
  readonly receivable_msat?: number;
  /** Our policy (`local`, for forwards out) and the peer's (`remote`, for payments coming in to us). */
  readonly updates?: {
    local?: ChannelUpdatePolicy;
    remote?: ChannelUpdatePolicy;
  };
}

/** One direction's channel_update fields as `listpeerchannels` reports them. */
export interface ChannelUpdatePolicy {
  readonly fee_base_msat: number;
  readonly fee_proportional_millionths: number;
  readonly cltv_expiry_delta: number;
  readonly htlc_minimum_msat: number;
  readonly htlc_maximum_msat: number;
}

/** `listchannels` entry (one direction of a public channel; CLN doc/schemas/listchannels.json). */
export interface NodeChannel {
  readonly source: string;
  readonly destination: string;
  readonly short_channel_id: string;
  readonly direction: number;
  readonly public: boolean;
  readonly amount_msat: number;
  readonly active: boolean;
  readonly base_fee_millisatoshi: number;
  readonly fee_per_millionth: number;
  readonly delay: number;
  readonly last_update?: number;
  /** htlc_minimum_msat / htlc_maximum_msat of this direction (absent in pre-0.7 CLN output). */
  readonly htlc_minimum_msat?: number;
  readonly htlc_maximum_msat?: number;
}

/** `listnodes` entry subset. */
export interface NodeAnnouncement {
  readonly nodeid: string;
  readonly alias?: string;
  readonly last_timestamp?: number;
}

/** `setchannel` request: fees in msat / ppm as CLN takes them. */
export interface SetChannelRequest {
  readonly id: string;
  readonly feebase?: number;
  readonly feeppm?: number;
}

/** `listforwards` entry subset (CLN doc/schemas/listforwards.json). */
export interface NodeForward {
  readonly in_channel: string;
  readonly out_channel?: string;
  readonly in_msat: number;
  readonly out_msat?: number;
  readonly fee_msat?: number;
  readonly status: string;
  readonly received_time: number;
  readonly resolved_time?: number;
}

/** `fundchannel` request (CLN doc/schemas/fundchannel.json): open a channel to `id` funded from the node's wallet. */
export interface FundChannelRequest {
  readonly id: string;
  /** Channel size in satoshis (CLN's `amount`, taken from the on-chain wallet). */
  readonly amount_sat: number;
  /** CLN feerate: `slow` | `normal` | `urgent` | `<n>perkb` | `<n>perkw`; absent = lightningd's `opening` estimate. */
  readonly feerate?: string;
  /** Announce the channel (public), CLN default true. */
  readonly announce?: boolean;
}

/** `fundchannel` result subset: the funding transaction and the new channel's id. */
export interface FundChannelResult {
  readonly tx: string;
  readonly txid: string;
  readonly outnum: number;
  readonly channel_id: string;
}

/** `listfunds` output subset (CLN doc/schemas/listfunds.json `outputs[]`). */
export interface NodeFundsOutput {
  readonly txid: string;
  readonly output: number;
  readonly amount_msat: number;
  readonly status: 'unconfirmed' | 'confirmed' | 'spent' | 'immature';
  readonly reserved: boolean;
}

/** Result of a backend call: a value, or the node's RPC error (never a throw for node-side errors). */
export type NodeResult<T> = { ok: true; value: T } | { ok: false; error: NodeRpcError };

/**
 * What a node implementation offers beyond the calls every node answers; the engine asks these
 * instead of assuming Core Lightning (issue 18 §1).
 */
export interface NodeCapabilities {
  /** `cln`: lightningd over `lightning-rpc`; `lnd`: LND over gRPC (services/lnd). */
  readonly implementation: 'cln' | 'lnd';
  /**
   * Hive traffic and peer events arrive through the Hivebox plugin inside the node (CLN). Without
   * it the daemon subscribes to the node itself (LND: `SubscribeCustomMessages`, `SubscribePeerEvents`,
   * `ChannelAcceptor`).
   */
  readonly plugin: boolean;
  /** The node answers raw lightningd commands (`ClnRpc.call`: `plugin list`, `clboss-*`, `splice_*`). */
  readonly cln_rpc: boolean;
}

/** One hop of a route we pay over, as CLN `sendpay` takes it: the amount and CLTV arriving at hop `id` over `channel`. */
export interface RouteHop {
  readonly id: string;
  readonly channel: string;
  readonly amount_msat: number;
  readonly delay: number;
}

/**
 * A payment over a route we chose (circular rebalancing). CLN: `sendpay` + `waitsendpay`; LND:
 * `SendToRouteV2` (routerrpc). A failure along the route comes back with CLN's code 204 and
 * `data.erring_channel`; a payment that did not resolve within `timeout_s` with code 200.
 */
export interface RoutePaymentRequest {
  readonly hops: readonly RouteHop[];
  readonly payment_hash: string;
  readonly payment_secret: string;
  /** What the final hop receives, msat. */
  readonly amount_msat: number;
  readonly label: string;
  readonly timeout_s: number;
}

/** Where a node without the Hivebox plugin (capability `plugin` false) reports its events to the daemon. */
export interface NodeEventSink {
  /** A custom message from `peer_id`; `payloadHex` includes the 2-byte BOLT type. */
  custommsg(peer_id: string, payloadHex: string): void;
  connected(peer_id: string): void;
  disconnected(peer_id: string): void;
  /** A peer asks to open a channel to us: accept it (false: refused, the node tells the peer without a reason). */
  acceptChannel(peer_id: string): boolean;
}

/** A node's event streams (LND: SubscribeCustomMessages, SubscribePeerEvents, ChannelAcceptor). */
export interface NodeEvents {
  /** Start delivering to `sink` until `stop`; lost streams are reopened. */
  subscribe(sink: NodeEventSink, log: (level: 'info' | 'warn', event: string, fields: Record<string, unknown>) => void): { stop(): void };
}

/**
 * The Lightning node as the daemon sees it: what every node offers. Implemented over CLN's
 * `lightning-rpc` unix socket (services/lightning-rpc), over LND's gRPC (services/lnd), by simnet
 * and the simulated LND beside it. Method names and result shapes are CLN's (doc/schemas, CLN
 * v26.06); other implementations translate. `capabilities` says what else the node offers.
 */
export interface NodeBackend {
  readonly capabilities: NodeCapabilities;
  /** The node's own event streams, when no plugin delivers them (capability `plugin` false): `NodeBackend.eventStreams`. */
  readonly eventStreams?: NodeEvents;
  getinfo(): Promise<NodeResult<NodeInfo>>;
  listpeers(id?: string): Promise<NodeResult<readonly NodePeer[]>>;
  listpeerchannels(id?: string): Promise<NodeResult<readonly NodePeerChannel[]>>;
  listchannels(filter?: { source?: string; short_channel_id?: string }): Promise<NodeResult<readonly NodeChannel[]>>;
  listnodes(id?: string): Promise<NodeResult<readonly NodeAnnouncement[]>>;
  listforwards(filter?: { status?: string }): Promise<NodeResult<readonly NodeForward[]>>;
  connect(id: string, host?: string, port?: number): Promise<NodeResult<{ id: string }>>;
  /** `sendcustommsg {node_id, msg}`: `msgHex` includes the 2-byte BOLT type. */
  sendcustommsg(nodeId: string, msgHex: string): Promise<NodeResult<{ status: string }>>;
  /**
   * Lightning signmessage over exactly `text` (zbase32 result): CLN's request is encoded so
   * lightningd hashes exactly `text` (see lightningSignedText); LND signs the UTF-8 bytes given.
   */
  signmessage(text: string): Promise<NodeResult<{ signature: string; recid: string; zbase: string }>>;
  setchannel(req: SetChannelRequest): Promise<NodeResult<{ channels: readonly { peer_id: string; short_channel_id?: string; fee_base_msat: number; fee_proportional_millionths: number }[] }>>;
  listconfigs(config?: string): Promise<NodeResult<{ configs: Record<string, unknown> }>>;
  /** `feerates perkb`: `perkb.opening` in sat per 1000 weight... as CLN reports (sat/kB for style perkb). */
  feerates(style: 'perkb' | 'perkw'): Promise<NodeResult<{ perkb?: { opening?: number; min_acceptable?: number }; perkw?: { opening?: number } }>>;
  /**
   * `invoice`: for L402 and rebalancing (amount in msat; `cltv` = min_final_cltv_expiry). `payment_secret`
   * is the BOLT 11 `s` field (hex), present when the node reports it (CLN and LND do).
   */
  invoice(amountMsat: number, label: string, description: string, expiry_s?: number, cltv?: number): Promise<NodeResult<{ bolt11: string; payment_hash: string; expires_at: number; payment_secret?: string }>>;
  /** Pay over a route we built (see `RoutePaymentRequest`); resolves when the payment settled or failed. */
  payRoute(req: RoutePaymentRequest): Promise<NodeResult<{ payment_hash: string; status: 'complete' }>>;
  /** `fundchannel`: connects first when lightningd knows an address for `id` (gossip), as CLN does. */
  fundchannel(req: FundChannelRequest): Promise<NodeResult<FundChannelResult>>;
  /** `listfunds`: the on-chain wallet's outputs (channels omitted). */
  listfunds(): Promise<NodeResult<{ outputs: readonly NodeFundsOutput[] }>>;
}

/** What only Core Lightning offers: any lightningd command by name (`plugin list`, `clboss-unmanage`, `splice_init`, …). */
export interface ClnRpc {
  /** Any other lightningd command by name with named params, for commands whose shape the caller checks itself. Result unvalidated. */
  call(method: string, params: Record<string, unknown>): Promise<NodeResult<unknown>>;
}

/** A Core Lightning node: every node's calls plus raw lightningd commands. */
export type ClnBackend = NodeBackend & ClnRpc;

/** The node as a Core Lightning backend with raw lightningd commands, or null when it is not one (capability `cln_rpc`). */
export function clnBackend(backend: NodeBackend): ClnBackend | null {
  return backend.capabilities.cln_rpc && 'call' in backend ? (backend as ClnBackend) : null;
}

/** A compact secp256k1 ECDSA signature over a caller-supplied 32-byte digest. */
export interface DigestSignature {
  /** 64 bytes `r ‖ s`, low-s. */
  readonly signature: Uint8Array;
  /** The signing key (66-hex compressed). */
  readonly node_id: NodeId;
}

/**
 * A signer that can also sign raw 32-byte digests: the Archon-form proofs of W3C management and
 * reputation credentials and revocations (spec 002 §1; ecosystem.md §E — compact ECDSA over
 * sha256(JCS)). The hardware signer implements it for purposes `credential` and `revoke`, showing
 * the summary and waiting for the button like `sign`.
 */
export interface DigestSigner extends Signer {
  /**
   * Sign `digest`. `document` is the RFC 8785 (JCS) text whose SHA-256 is `digest`: a signer with a
   * display (the USB signer, hw/PROTOCOL.md §3.6) hashes and shows that text itself and refuses
   * without it (`SignerRefused`) or when it does not hash to `digest`; a software key ignores it.
   */
  signDigest(
    digest: Uint8Array,
    opts: { purpose: SignerPurpose; summary: ApprovalSummary; document?: string },
  ): Promise<{ ok: true; value: DigestSignature } | { ok: false; error: SignerError }>;
}
