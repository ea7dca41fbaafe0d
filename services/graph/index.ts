/**
 * services/graph: readers that turn Lightning graph files (lightningd's gossip_store, kept resident;
 * CLN gossmap-compressed, CLN listchannels / listnodes JSON; gzip, xz or plain) into the compact
 * in-memory graph of runtime/core/graph.
 */
export { loadGraphFile, loadNodeNames, type LoadedGraph, type LoadGraphOptions, type LoadStage } from './load.ts';
export { describeGraphLoadError, type GraphLoadError } from './errors.ts';
export { decodeGossmapCompressed } from './gossmap-compressed.ts';
export { graphFromListChannels } from './listchannels-json.ts';
export { parseNodeMap, nodeNamesFromListNodes, type NodeNames } from './node-names.ts';
export { GRAPH_LIMITS } from './limits.ts';
export { ResidentGossipStore, isGossipStore, type ApplyReport } from './gossip-store.ts';
export { GossipStoreFile, gossipStoreGraph } from './gossip-store-file.ts';
