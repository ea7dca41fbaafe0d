/**
 * simnet's `pay` (CLN v26.06 `pay` plugin command, doc/schemas/pay.json): pay a BOLT 11 invoice
 * issued by another simnet node, over simnet channels (payments.ts), and answer with CLN's result
 * shape — `payment_preimage`, `destination`, `payment_hash`, `created_at`, `parts`, `amount_msat`,
 * `amount_sent_msat`, `status: "complete"` — or its error codes (common/jsonrpc_errors.h):
 * -32602 invalid bolt11 / amount parameter, 203 PAY_DESTINATION_PERM_FAIL, 205
 * PAY_ROUTE_NOT_FOUND, 206 PAY_ROUTE_TOO_EXPENSIVE, 207 PAY_INVOICE_EXPIRED. Paying an invoice
 * this node already paid returns the stored result, as `pay` does.
 */
import { decodeBolt11 } from './bolt11.ts';
import { badParam, fail, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { settlePayment } from './payments.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** `pay` error codes (CLN common/jsonrpc_errors.h). */
export const PAY_ERROR = {
  DESTINATION_PERM_FAIL: 203,
  ROUTE_NOT_FOUND: 205,
  ROUTE_TOO_EXPENSIVE: 206,
  INVOICE_EXPIRED: 207,
} as const;

/** `pay` defaults: fee budget 0.5 % of the amount, but never below 5000 msat (`exemptfee`). */
const DEFAULT_MAXFEEPERCENT = 0.5;
const DEFAULT_EXEMPTFEE_MSAT = 5000;

const msat = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+(msat)?$/.test(v)) return Number.parseInt(v, 10);
  return null;
};

/** `pay bolt11 [amount_msat] [label] [riskfactor] [maxfeepercent] [retry_for] [maxdelay] [exemptfee] [localinvreqid] [exclude] [maxfee] [description]`. */
export const payCommand: CommandDef = {
  params: ['bolt11', 'amount_msat', 'label', 'riskfactor', 'maxfeepercent', 'retry_for', 'maxdelay', 'exemptfee', 'localinvreqid', 'exclude', 'maxfee', 'description'],
  required: 1,
  run({ node, params }: CommandCall) {
    if (typeof params.bolt11 !== 'string') return badParam('bolt11', 'a bolt11 string', params.bolt11);
    const inv = decodeBolt11(params.bolt11);
    if (typeof inv === 'string') return fail(CLN_ERROR.INVALID_PARAMS, `Invalid bolt11: ${inv}`);
    if (inv.currency !== 'bc') return fail(CLN_ERROR.INVALID_PARAMS, `Invalid bolt11: Invoice is for another network ${inv.currency}`);
    const given = params.amount_msat === undefined ? null : msat(params.amount_msat);
    if (params.amount_msat !== undefined && given === null) return badParam('amount_msat', 'a millisatoshi amount', params.amount_msat);
    if (inv.amount_msat !== null && given !== null) return fail(CLN_ERROR.INVALID_PARAMS, 'amount_msat parameter unnecessary');
    const amount = inv.amount_msat ?? given;
    if (amount === null) return fail(CLN_ERROR.INVALID_PARAMS, 'amount_msat parameter required');
    if (inv.payee === node.nodeId) return fail(CLN_ERROR.INVALID_PARAMS, 'This payment is destined for ourselves. Self-payments are not supported');
    const previous = node.payments.get(inv.payment_hash);
    if (previous) return ok(previous);
    const now = Date.now() / 1000;
    if (inv.timestamp_s + inv.expiry_s <= now) return fail(PAY_ERROR.INVOICE_EXPIRED, 'Invoice expired');
    const maxfee = params.maxfee === undefined ? null : msat(params.maxfee);
    if (params.maxfee !== undefined && maxfee === null) return badParam('maxfee', 'a millisatoshi amount', params.maxfee);
    const pct = typeof params.maxfeepercent === 'number' ? params.maxfeepercent : DEFAULT_MAXFEEPERCENT;
    const exempt = params.exemptfee === undefined ? DEFAULT_EXEMPTFEE_MSAT : (msat(params.exemptfee) ?? DEFAULT_EXEMPTFEE_MSAT);
    const budget = maxfee ?? Math.max(exempt, Math.floor((amount * pct) / 100));
    const payee = node.network.nodeById(inv.payee);
    if (!payee) return fail(PAY_ERROR.ROUTE_NOT_FOUND, 'Ran out of routes to try after 1 attempt: see `paystatus`');
    const r = settlePayment(node.network, node, payee, inv.payment_hash, amount, budget, Math.floor(now));
    if (!r.ok) {
      switch (r.error.kind) {
        case 'no_route':
          return fail(PAY_ERROR.ROUTE_NOT_FOUND, 'Ran out of routes to try after 1 attempt: see `paystatus`');
        case 'too_expensive':
          return fail(PAY_ERROR.ROUTE_TOO_EXPENSIVE, `Fee exceeds our fee budget: ${r.error.fee_msat}msat > ${r.error.budget_msat}msat, discarding route`);
        case 'destination_refused':
          return fail(PAY_ERROR.DESTINATION_PERM_FAIL, `failed: ${r.error.reason} (reply from remote)`);
      }
    }
    const result = {
      destination: inv.payee,
      payment_hash: inv.payment_hash,
      created_at: now,
      parts: 1,
      amount_msat: amount,
      amount_sent_msat: r.value.amount_sent_msat,
      payment_preimage: r.value.preimage,
      status: 'complete',
    };
    node.payments.set(inv.payment_hash, result);
    return ok(result);
  },
};
