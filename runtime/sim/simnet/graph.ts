/**
 * The public Lightning graph simnet nodes see in `listchannels`/`listnodes`. It is injected as a
 * provider so the real 2026-02-03 mainnet graph (services/graph loaders), a slice of it (tests) or
 * nothing can be plugged in; simnet adds the fleet's own public channels on top.
 */
import type { NodeAnnouncement, NodeChannel } from '../../core/ports.ts';

/** Gossip as CLN `listchannels` (one entry per direction) and `listnodes` return it. */
export interface PublicGraph {
  readonly channels: readonly NodeChannel[];
  readonly nodes: readonly NodeAnnouncement[];
}

/** Loads the public graph once, when the network is created. */
export type GraphProvider = () => Promise<PublicGraph>;

/** A network with no public gossip besides the fleet's own channels. */
export function emptyGraph(): PublicGraph {
  return { channels: [], nodes: [] };
}
