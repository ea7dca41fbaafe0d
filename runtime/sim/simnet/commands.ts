/**
 * simnet's lightningd command dispatcher (CLN v26.06 lightningd/jsonrpc.c behaviour): one JSON-RPC
 * request in, one response out. Positional (array) params are named in the command's order;
 * unknown or missing parameters are -32602; an unknown method is -32601 "Unknown command";
 * a method a plugin registered is passed through to that plugin with the caller's id prefixed
 * ("<id>/cln:<method>#n") and its answer returned verbatim, or -4 if the plugin dies first.
 */
import { checkmessageCommand, signmessageCommand } from './cmd-sign.ts';
import { listchannelsCommand, listforwardsCommand, listnodesCommand, listpeerchannelsCommand, setchannelCommand } from './cmd-channels.ts';
import { fundchannelCommand, listfundsCommand } from './cmd-fund.ts';
import { feeratesCommand, getinfoCommand, invoiceCommand, listconfigsCommand, pluginCommand } from './cmd-node.ts';
import { payCommand } from './cmd-pay.ts';
import { sendpayCommand, waitsendpayCommand } from './cmd-sendpay.ts';
import { addpsbtoutputCommand, fundpsbtCommand, signpsbtCommand, spliceInitCommand, spliceSignedCommand, spliceUpdateCommand } from './cmd-splice.ts';
import { connectCommand, disconnectCommand, listpeersCommand, sendcustommsgCommand } from './cmd-peers.ts';
import { fail, type CommandAnswer, type CommandDef } from './command-types.ts';
import { SIMNET_LIMITS } from './limits.ts';
import type { SimNode } from './node.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** Built-in commands of the simulated lightningd. */
export const BUILTIN_COMMANDS: Readonly<Record<string, CommandDef>> = {
  getinfo: getinfoCommand,
  listpeers: listpeersCommand,
  listpeerchannels: listpeerchannelsCommand,
  listchannels: listchannelsCommand,
  listnodes: listnodesCommand,
  listforwards: listforwardsCommand,
  connect: connectCommand,
  disconnect: disconnectCommand,
  sendcustommsg: sendcustommsgCommand,
  signmessage: signmessageCommand,
  checkmessage: checkmessageCommand,
  setchannel: setchannelCommand,
  listconfigs: listconfigsCommand,
  feerates: feeratesCommand,
  invoice: invoiceCommand,
  pay: payCommand,
  sendpay: sendpayCommand,
  waitsendpay: waitsendpayCommand,
  addpsbtoutput: addpsbtoutputCommand,
  fundpsbt: fundpsbtCommand,
  signpsbt: signpsbtCommand,
  splice_init: spliceInitCommand,
  splice_update: spliceUpdateCommand,
  splice_signed: spliceSignedCommand,
  plugin: pluginCommand,
  listfunds: listfundsCommand,
  fundchannel: fundchannelCommand,
};

/** True for a name lightningd itself implements (a plugin may not register it). */
export function isBuiltinCommand(name: string): boolean {
  return Object.hasOwn(BUILTIN_COMMANDS, name);
}

function nameParams(def: CommandDef, params: unknown): { ok: true; named: Record<string, unknown> } | { ok: false; answer: CommandAnswer } {
  let named: Record<string, unknown> = {};
  if (Array.isArray(params)) {
    if (params.length > def.params.length) return { ok: false, answer: fail(CLN_ERROR.INVALID_PARAMS, `too many parameters: got ${params.length}, expected ${def.params.length}`) };
    params.forEach((v, i) => {
      if (v !== null) named[def.params[i]!] = v;
    });
  } else if (typeof params === 'object' && params !== null) {
    named = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null));
    const unknown = Object.keys(named).find((k) => !def.params.includes(k));
    if (unknown !== undefined && !def.keywordOptions) return { ok: false, answer: fail(CLN_ERROR.INVALID_PARAMS, `unknown parameter: ${unknown}`) };
  } else if (params !== undefined) return { ok: false, answer: fail(CLN_ERROR.INVALID_PARAMS, 'Expected array or object for params') };
  const missing = def.params.slice(0, def.required).find((p) => named[p] === undefined);
  if (missing !== undefined) return { ok: false, answer: fail(CLN_ERROR.INVALID_PARAMS, `missing required parameter: ${missing}`) };
  return { ok: true, named };
}

/**
 * Execute one request (raw JSON text) on `node`.
 * @returns the JSON-RPC response object, or null for a notification (no id).
 */
export async function executeRequest(node: SimNode, raw: string): Promise<Record<string, unknown> | null> {
  let req: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  try {
    req = JSON.parse(raw);
  } catch {
    return { jsonrpc: '2.0', id: null, error: { code: CLN_ERROR.INVALID_REQUEST, message: 'Invalid JSON' } };
  }
  if (req.id === undefined) return null;
  let answer: CommandAnswer;
  try {
    answer = await answerRequest(node, req, raw);
  } catch (e) {
    node.log('broken', 'jsonrpc', `${String(req.method)} failed: ${e instanceof Error ? e.message : String(e)}`);
    answer = fail(CLN_ERROR.LIGHTNINGD, `internal error in ${String(req.method)}`);
  }
  return { jsonrpc: '2.0', id: req.id, ...answer };
}

async function answerRequest(node: SimNode, req: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }, raw: string): Promise<CommandAnswer> {
  if (req.jsonrpc !== '2.0') return fail(CLN_ERROR.INVALID_REQUEST, 'jsonrpc" field must be "2.0"');
  if (typeof req.method !== 'string') return fail(CLN_ERROR.INVALID_REQUEST, 'Expected string for method');
  const def = BUILTIN_COMMANDS[req.method];
  if (def && Object.hasOwn(BUILTIN_COMMANDS, req.method)) {
    const p = nameParams(def, req.params);
    if (!p.ok) return p.answer;
    return def.run({ node, params: p.named, raw, id: req.id });
  }
  const plugin = node.pluginForMethod(req.method);
  if (!plugin) return fail(CLN_ERROR.METHOD_NOT_FOUND, `Unknown command '${req.method}'`);
  const r = await plugin.call(req.method, req.params ?? {}, SIMNET_LIMITS.passthrough_timeout_ms, `${typeof req.id === 'string' ? req.id : JSON.stringify(req.id)}/`);
  if ('failure' in r) return fail(CLN_ERROR.PLUGIN_TERMINATED, 'Plugin terminated before replying to RPC call.');
  return r;
}
