/**
 * simnet's `sendpay` and `waitsendpay` (CLN v26.06 doc/schemas/sendpay.json, waitsendpay.json):
 * pay a payment_hash over the caller's explicit route, as rebalancers do with an invoice of their
 * own. Stands for lightningd's HTLC pipeline over BOLT 2/4: each hop's node checks the channel
 * exists to the named next node (WIRE_UNKNOWN_NEXT_PEER), is usable and can carry the amount
 * (WIRE_TEMPORARY_CHANNEL_FAILURE), that it is paid its fee (WIRE_FEE_INSUFFICIENT) and its CLTV
 * delta (WIRE_INCORRECT_CLTV_EXPIRY); the destination checks the invoice, amount and payment_secret
 * (WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS). The HTLCs settle atomically when `sendpay` is
 * accepted (answer `status: "pending"`); `waitsendpay` then reports `complete` with the preimage,
 * or error 204 (failure along the route) / 203 (permanent failure at the destination) with CLN's
 * routing-failure object, 208 for a payment_hash never sent. A node that failed a forward records
 * it `local_failed` in `listforwards`, as lightningd does.
 * Not simulated: HTLCs in flight for a while, MPP (`partid`), onion reply decoding.
 */
import { badParam, fail, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { peerOf, type SimChannel } from './channel.ts';
import type { SimNode } from './node.ts';
import { recordHops, spendable, type Hop } from './payments.ts';

/** `sendpay` / `waitsendpay` error codes (CLN common/jsonrpc_errors.h). */
export const SENDPAY_ERROR = {
  IN_PROGRESS: 200,
  DESTINATION_PERM_FAIL: 203,
  TRY_OTHER_ROUTE: 204,
  NO_SUCH_PAYMENT: 208,
} as const;

/** BOLT 4 failure codes simnet raises (PERM 0x4000, UPDATE 0x1000). */
const FAILCODE = {
  WIRE_TEMPORARY_CHANNEL_FAILURE: 0x1007,
  WIRE_FEE_INSUFFICIENT: 0x100c,
  WIRE_INCORRECT_CLTV_EXPIRY: 0x100d,
  WIRE_UNKNOWN_NEXT_PEER: 0x400a,
  WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS: 0x400f,
} as const;
type FailName = keyof typeof FAILCODE;

/** One `sendpay` attempt: its listsendpays-style record and how it ended. */
export interface SendpayAttempt {
  readonly record: Record<string, unknown>;
  readonly outcome: { readonly status: 'complete'; readonly preimage: string } | { readonly status: 'failed'; readonly code: number; readonly message: string; readonly data: Record<string, unknown> };
}

interface RouteHop {
  readonly id: string;
  readonly channel: string;
  readonly amount_msat: number;
  readonly delay: number;
}

const HEX32 = /^[0-9a-f]{64}$/;

function msat(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+(msat)?$/.test(v)) return Number.parseInt(v, 10);
  return null;
}

/** A route hop in either CLN naming (`id/channel/amount_msat/delay` or the v26.06 `node_id_out/…`). */
function routeHop(v: unknown): RouteHop | null {
  if (typeof v !== 'object' || v === null) return null;
  const h = v as Record<string, unknown>;
  const id = h.id ?? h.node_id_out;
  const channel = typeof h.channel === 'string' ? h.channel : typeof h.short_channel_id_dir === 'string' ? h.short_channel_id_dir.replace(/\/[01]$/, '') : null;
  const amount = msat(h.amount_msat ?? h.amount_out_msat);
  const delay = h.delay ?? h.cltv_out;
  if (typeof id !== 'string' || !/^0[23][0-9a-f]{64}$/.test(id) || channel === null || amount === null || typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0) return null;
  return { id, channel, amount_msat: amount, delay };
}

/** `sendpay route payment_hash [label] [amount_msat] [bolt11] [payment_secret] [partid] [localinvreqid] [groupid] [payment_metadata] [description]`. */
export const sendpayCommand: CommandDef = {
  params: ['route', 'payment_hash', 'label', 'amount_msat', 'bolt11', 'payment_secret', 'partid', 'localinvreqid', 'groupid', 'payment_metadata', 'description'],
  required: 2,
  run({ node, params }: CommandCall) {
    if (!Array.isArray(params.route) || params.route.length === 0) return badParam('route', 'a non-empty array of hops', params.route);
    const route = params.route.map(routeHop);
    if (route.some((h) => h === null)) return badParam('route', 'hops with id, channel, amount_msat and delay', params.route);
    const hash = params.payment_hash;
    if (typeof hash !== 'string' || !HEX32.test(hash)) return badParam('payment_hash', 'a 32 byte hex value', hash);
    if (params.payment_secret !== undefined && (typeof params.payment_secret !== 'string' || !HEX32.test(params.payment_secret))) return badParam('payment_secret', 'a 32 byte hex value', params.payment_secret);
    const hops = route as RouteHop[];
    const previous = node.sendpays.get(hash);
    if (previous?.outcome.status === 'complete') return ok(previous.record);
    const now_s = Math.floor(Date.now() / 1000);
    const first = channelTo(node, hops[0]!);
    if (!first || !usable(node, first, hops[0]!.id)) return fail(SENDPAY_ERROR.TRY_OTHER_ROUTE, 'First peer not ready');
    const record = {
      created_index: node.sendpays.size + 1,
      id: node.sendpays.size + 1,
      payment_hash: hash,
      groupid: typeof params.groupid === 'number' ? params.groupid : 1,
      destination: hops[hops.length - 1]!.id,
      amount_msat: msat(params.amount_msat) ?? hops[hops.length - 1]!.amount_msat,
      amount_sent_msat: hops[0]!.amount_msat,
      created_at: now_s,
      status: 'pending',
      ...(typeof params.label === 'string' ? { label: params.label } : {}),
      ...(typeof params.bolt11 === 'string' ? { bolt11: params.bolt11 } : {}),
    };
    node.sendpays.set(hash, { record, outcome: forward(node, hops, hash, typeof params.payment_secret === 'string' ? params.payment_secret : null, record, now_s) });
    return ok({ ...record, message: 'Monitor status with listpays or waitsendpay' });
  },
};

/** `waitsendpay payment_hash [timeout] [partid] [groupid]`. */
export const waitsendpayCommand: CommandDef = {
  params: ['payment_hash', 'timeout', 'partid', 'groupid'],
  required: 1,
  run({ node, params }: CommandCall) {
    const hash = params.payment_hash;
    if (typeof hash !== 'string' || !HEX32.test(hash)) return badParam('payment_hash', 'a 32 byte hex value', hash);
    if (params.timeout !== undefined && (typeof params.timeout !== 'number' || !Number.isInteger(params.timeout) || params.timeout < 0)) return badParam('timeout', 'a positive integer', params.timeout);
    const attempt = node.sendpays.get(hash);
    if (!attempt) return fail(SENDPAY_ERROR.NO_SUCH_PAYMENT, `Never attempted payment for '${hash}'`);
    const o = attempt.outcome;
    if (o.status === 'complete') return ok({ ...attempt.record, updated_index: attempt.record.created_index, status: 'complete', completed_at: attempt.record.created_at, payment_preimage: o.preimage });
    return { error: { code: o.code, message: o.message, data: o.data } };
  },
};

function channelTo(from: SimNode, hop: RouteHop): SimChannel | null {
  return from.network.channelsOf(from.nodeId).find((c) => c.short_channel_id === hop.channel && peerOf(c, from.nodeId) === hop.id) ?? null;
}

function usable(from: SimNode, ch: SimChannel, nextId: string): boolean {
  const next = from.network.nodeById(nextId);
  return ch.state === 'CHANNELD_NORMAL' && !!next?.running && !!from.peers.get(nextId)?.connected && !from.network.link(from.nodeId, nextId).partitioned;
}

/** Walk the route hop by hop; settle every HTLC on success, record the failing node's forward otherwise. */
function forward(payer: SimNode, route: readonly RouteHop[], hash: string, secret: string | null, record: Record<string, unknown>, now_s: number): SendpayAttempt['outcome'] {
  const hops: Hop[] = [];
  let from = payer;
  for (let i = 0; i < route.length; i++) {
    const hop = route[i]!;
    const ch = channelTo(from, hop);
    const failAt = (name: FailName) => failure(from, route, i, name, record, now_s, ch);
    if (!ch) return failAt('WIRE_UNKNOWN_NEXT_PEER');
    if (!usable(from, ch, hop.id) || spendable(ch, from.nodeId) < hop.amount_msat || hop.amount_msat > ch.policy.get(from.nodeId)!.htlc_maximum_msat) return failAt('WIRE_TEMPORARY_CHANNEL_FAILURE');
    if (i > 0) {
      const p = ch.policy.get(from.nodeId)!;
      const into = route[i - 1]!;
      if (into.amount_msat < hop.amount_msat + p.fee_base_msat + Math.floor((hop.amount_msat * p.fee_proportional_millionths) / 1_000_000)) return failAt('WIRE_FEE_INSUFFICIENT');
      if (into.delay < hop.delay + p.cltv_expiry_delta) return failAt('WIRE_INCORRECT_CLTV_EXPIRY');
    }
    const to = payer.network.nodeById(hop.id)!;
    hops.push({ channel: ch, from, to, amount_msat: hop.amount_msat });
    from = to;
  }
  const last = route[route.length - 1]!;
  const invoice = [...from.invoices.values()].find((inv) => inv.payment_hash === hash);
  if (!invoice || invoice.status === 'paid' || invoice.expires_at <= now_s || last.amount_msat < invoice.amount_msat || secret !== invoice.payment_secret) {
    return failure(from, route, route.length, 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', record, now_s, null);
  }
  recordHops(hops, now_s);
  invoice.status = 'paid';
  invoice.paid_at = now_s;
  invoice.amount_received_msat = last.amount_msat;
  return { status: 'complete', preimage: invoice.preimage };
}

/**
 * The routing-failure outcome raised by route node `index` (0 = us) about the hop it should have
 * sent on (`route[index]`, or the final hop for the destination); an intermediate node records its
 * `local_failed` forward.
 */
function failure(at: SimNode, route: readonly RouteHop[], index: number, name: FailName, record: Record<string, unknown>, now_s: number, ch: SimChannel | null): SendpayAttempt['outcome'] {
  const atDestination = index === route.length;
  const hop = route[Math.min(index, route.length - 1)]!;
  if (index > 0 && !atDestination) {
    const into = route[index - 1]!;
    at.forwards.push({
      created_index: at.forwards.length + 1,
      in_channel: into.channel,
      in_htlc_id: at.forwards.length,
      in_msat: into.amount_msat,
      out_channel: hop.channel,
      out_msat: hop.amount_msat,
      fee_msat: into.amount_msat - hop.amount_msat,
      status: 'local_failed',
      failreason: name,
      style: 'tlv',
      received_time: now_s,
      resolved_time: now_s,
    });
  }
  const direction = ch ? (at.nodeId < peerOf(ch, at.nodeId) ? 0 : 1) : at.nodeId < hop.id ? 1 : 0;
  const code = atDestination ? SENDPAY_ERROR.DESTINATION_PERM_FAIL : SENDPAY_ERROR.TRY_OTHER_ROUTE;
  return {
    status: 'failed',
    code,
    message: `failed: ${name} (reply from remote)`,
    data: { ...record, status: 'failed', erring_index: index, failcode: FAILCODE[name], failcodename: name, erring_node: at.nodeId, erring_channel: hop.channel, erring_direction: direction },
  };
}
