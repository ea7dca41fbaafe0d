/**
 * simnet's node-level commands, shaped as CLN v26.06 doc/schemas: `getinfo`, `listconfigs`
 * (v23.08+ `configs` object with value_str/value_int/value_bool and source), `feerates`
 * (a fixed, realistic mainnet fee environment), `invoice` (real BOLT 11 signed by the node key),
 * and `plugin start|stop|list` (dynamic plugins; a crashed plugin is only restarted this way;
 * `plugin start` takes the plugin's options as further keyword params, lightning-plugin(7)).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../core/types.ts';
import { encodeBolt11 } from './bolt11.ts';
import { badParam, fail, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { CLN_VERSION, SIM_NODE_DEFAULTS, SIMNET_LIMITS } from './limits.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** `getinfo`. */
export const getinfoCommand: CommandDef = {
  params: [],
  required: 0,
  run({ node }: CommandCall) {
    const channels = node.network.channelsOf(node.nodeId);
    const active = channels.filter((c) => node.peers.get(c.a === node.nodeId ? c.b : c.a)?.connected).length;
    return ok({
      id: node.nodeId,
      alias: node.alias,
      color: node.nodeId.slice(2, 8),
      num_peers: node.peers.size,
      num_pending_channels: channels.filter((c) => c.state !== 'CHANNELD_NORMAL').length,
      num_active_channels: active,
      num_inactive_channels: channels.length - active,
      address: [],
      binding: [{ type: 'ipv4', address: '127.0.0.1', port: node.network.portOf(node.nodeId) }],
      version: CLN_VERSION,
      blockheight: node.network.blockheight,
      network: 'bitcoin',
      fees_collected_msat: 0,
      'lightning-dir': node.dir,
      our_features: { init: node.features, node: node.features, channel: '', invoice: '02000002024100' },
    });
  },
};

function configValue(v: unknown): Record<string, unknown> {
  if (typeof v === 'number') return { value_int: v };
  if (typeof v === 'boolean') return { value_bool: v };
  return { value_str: String(v) };
}

/** `listconfigs [config]`. */
export const listconfigsCommand: CommandDef = {
  params: ['config'],
  required: 0,
  run({ node, params }: CommandCall) {
    const configs: Record<string, unknown> = {
      alias: { value_str: node.alias, source: 'cmdline' },
      network: { value_str: 'bitcoin', source: 'default' },
      'lightning-dir': { value_str: node.dir, source: 'cmdline' },
      'rpc-file': { value_str: 'lightning-rpc', source: 'default' },
      'fee-base': { value_int: SIM_NODE_DEFAULTS.fee_base_msat, source: 'default' },
      'fee-per-satoshi': { value_int: SIM_NODE_DEFAULTS.fee_ppm, source: 'default' },
      'cltv-delta': { value_int: SIM_NODE_DEFAULTS.cltv_expiry_delta, source: 'default' },
      plugin: { values_str: node.activePlugins().map((p) => p.path), sources: node.activePlugins().map(() => 'cmdline') },
    };
    for (const p of node.activePlugins()) {
      for (const o of p.manifest!.options) {
        const v = node.optionValue(o.name);
        if (v) configs[o.name] = { ...configValue(v.value), source: 'default', plugin: p.path, dynamic: false };
      }
    }
    if (params.config === undefined) return ok({ configs });
    if (typeof params.config !== 'string' || !(params.config in configs)) return fail(CLN_ERROR.INVALID_PARAMS, `Unknown config option ${JSON.stringify(params.config)}`);
    return ok({ configs: { [params.config]: configs[params.config] } });
  },
};

/** Simulated mempool: sat per 1000 vbytes (perkb) — 4 sat/vB opening, 1.012 sat/vB floor. */
export const PERKB = { opening: 4000, mutual_close: 2000, unilateral_close: 5000, penalty: 4000, min_acceptable: 1012, max_acceptable: 100_000, floor: 1012 };

/** `feerates style` (style = perkb | perkw; perkw = perkb / 4). */
export const feeratesCommand: CommandDef = {
  params: ['style'],
  required: 1,
  run({ params }: CommandCall) {
    if (params.style !== 'perkb' && params.style !== 'perkw') return badParam('style', "'perkw' or 'perkb'", params.style);
    const div = params.style === 'perkw' ? 4 : 1;
    const rates = Object.fromEntries(Object.entries(PERKB).map(([k, v]) => [k, Math.floor(v / div)]));
    const estimates = [2, 6, 12, 100].map((blockcount, i) => ({ blockcount, feerate: Math.floor([8000, 4000, 2000, 1012][i]! / div), smoothed_feerate: Math.floor([8000, 4000, 2000, 1012][i]! / div) }));
    return ok({
      [params.style]: { ...rates, estimates },
      onchain_fee_estimates: { opening_channel_satoshis: 702, mutual_close_satoshis: 338, unilateral_close_satoshis: 2240, htlc_timeout_satoshis: 1104, htlc_success_satoshis: 1180 },
    });
  },
};

/** `invoice amount_msat label description [expiry]`: a real BOLT 11 invoice; the preimage stays in the node. */
export const invoiceCommand: CommandDef = {
  params: ['amount_msat', 'label', 'description', 'expiry', 'fallbacks', 'preimage', 'exposeprivatechannels', 'cltv', 'deschashonly'],
  required: 3,
  run({ node, params }: CommandCall) {
    const amount = params.amount_msat;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return badParam('amount_msat', 'a positive msat amount', amount);
    if (typeof params.label !== 'string' && typeof params.label !== 'number') return badParam('label', 'a string or number', params.label);
    if (typeof params.description !== 'string') return badParam('description', 'a string', params.description);
    const label = String(params.label);
    if (node.invoices.has(label)) return fail(CLN_ERROR.INVOICE_LABEL_ALREADY_EXISTS, `Duplicate label '${label}'`);
    const expiry = params.expiry === undefined ? 604_800 : params.expiry;
    if (typeof expiry !== 'number' || !Number.isSafeInteger(expiry) || expiry <= 0) return badParam('expiry', 'a positive number of seconds', expiry);
    const preimage = crypto.getRandomValues(new Uint8Array(32));
    const payment_secret = crypto.getRandomValues(new Uint8Array(32));
    const payment_hash = sha256(preimage);
    const now_s = Math.floor(Date.now() / 1000);
    const bolt11 = encodeBolt11(
      { amount_msat: amount, timestamp_s: now_s, payment_hash, payment_secret, description: params.description, expiry_s: expiry, min_final_cltv_expiry: 18 },
      node.key.secretKey,
    );
    node.invoices.set(label, { label, preimage: toHex(preimage), payment_hash: toHex(payment_hash), payment_secret: toHex(payment_secret), amount_msat: amount, expires_at: now_s + expiry, status: 'unpaid' });
    return ok({ payment_hash: toHex(payment_hash), expires_at: now_s + expiry, bolt11, payment_secret: toHex(payment_secret), created_index: node.invoices.size });
  },
};

/** `plugin start PATH [name=value …] | stop NAME | list`. */
export const pluginCommand: CommandDef = {
  params: ['subcommand', 'plugin'],
  required: 1,
  keywordOptions: true,
  async run({ node, params }: CommandCall) {
    const { subcommand: _s, plugin: _p, ...options } = params;
    const list = () => node.activePlugins().map((p) => ({ name: p.path, active: true, dynamic: p.manifest!.dynamic }));
    switch (params.subcommand) {
      case 'list':
        return ok({ command: 'list', plugins: list() });
      case 'start': {
        if (typeof params.plugin !== 'string') return badParam('plugin', 'a plugin path', params.plugin);
        if (node.activePlugins().some((p) => p.path === params.plugin)) return fail(CLN_ERROR.PLUGIN_ERROR, `${params.plugin}: already registered`);
        const given = Object.entries(options).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1]));
        const refused = await node.launchPlugin({ path: params.plugin, options: { ...node.pluginOptionsFor(params.plugin), ...Object.fromEntries(given) } }, false);
        if (refused) return fail(CLN_ERROR.PLUGIN_ERROR, `${params.plugin}: ${refused}`);
        return ok({ command: 'start', plugins: list() });
      }
      case 'stop': {
        const name = params.plugin;
        const p = node.activePlugins().find((h) => h.path === name || h.name === name);
        if (!p) return fail(CLN_ERROR.PLUGIN_ERROR, `Could not find plugin ${String(name)}`);
        if (p.manifest!.subscriptions.includes('shutdown')) p.notify('shutdown', {});
        await Promise.race([p.exited(), Bun.sleep(SIMNET_LIMITS.plugin_shutdown_grace_ms)]);
        p.kill('SIGKILL');
        await p.exited();
        return ok({ command: 'stop', result: `Successfully stopped ${p.name}.` });
      }
      default:
        return badParam('subcommand', 'one of start, stop, list', params.subcommand);
    }
  },
};
