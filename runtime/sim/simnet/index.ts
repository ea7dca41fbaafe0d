/**
 * simnet: a simulated Lightning network of Core Lightning v26.06 nodes that launch the real
 * `hivebox plugin` and serve a `lightning-rpc`-compatible socket (README.md in this folder).
 */
export { listchannelsEntries, listpeerchannelsEntry, type ChannelPolicy, type SimChannel } from './channel.ts';
export { decodeBolt11, type DecodedBolt11 } from './bolt11.ts';
export { PAY_ERROR } from './cmd-pay.ts';
export { BUILTIN_COMMANDS, executeRequest, isBuiltinCommand } from './commands.ts';
export { emptyGraph, type GraphProvider, type PublicGraph } from './graph.ts';
export { nodeKeyFromSeed, type SimNodeKey } from './keys.ts';
export { CLN_VERSION, SIM_NODE_DEFAULTS, SIMNET_LIMITS } from './limits.ts';
export { type LinkFaults } from './link.ts';
export { SimNetwork, type ConnectOutcome, type SimNetworkOptions } from './network.ts';
export { SimNode, type SimInvoice, type SimLogLine, type SimNodeSpec, type SimNodeStatus, type SimPluginSpec } from './node.ts';
export { settlePayment, type PaymentFailure, type PaymentSuccess, type SimForward } from './payments.ts';
export { PluginHost, type PluginManifest } from './plugin-host.ts';
