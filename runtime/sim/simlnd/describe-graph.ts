/**
 * DescribeGraph of the simulated LND on a real-size graph (17k nodes, 51k channels): the public
 * part never changes, so it is built and protobuf-encoded once per network and the fleet's own
 * part is appended per call. Protobuf concatenation is merging, and `nodes`/`edges` are repeated
 * fields, so `encode(public) ‖ encode(fleet)` decodes as one ChannelGraph with both lists. (lnd
 * likewise answers DescribeGraph from a cache, `caches.rpc-graph-cache-duration`.)
 */
import type { NodeAnnouncement, NodeChannel } from '../../core/ports.ts';
import type { SimNetwork } from '../simnet/network.ts';

/** A DescribeGraph answer: the network's public graph plus the fleet's part (a ChannelGraph message). */
export class GraphAnswer {
  constructor(
    readonly network: SimNetwork,
    readonly fleet: Record<string, unknown>,
  ) {}
}

type Encode = (message: Record<string, unknown>) => Buffer;
type Build = (channels: readonly NodeChannel[], nodes: readonly NodeAnnouncement[]) => Record<string, unknown>;

const encodedPublic = new WeakMap<SimNetwork, Buffer>();

/**
 * The gRPC response serializer for DescribeGraph: a `GraphAnswer` is the cached encoding of the
 * public graph followed by the fleet part's; anything else is encoded as is.
 */
export function graphSerializer(encode: Encode, build: Build): (v: unknown) => Buffer {
  return (v) => {
    if (!(v instanceof GraphAnswer)) return encode(v as Record<string, unknown>);
    let pub = encodedPublic.get(v.network);
    if (!pub) {
      pub = encode(build(v.network.publicGraph.channels, v.network.publicGraph.nodes));
      encodedPublic.set(v.network, pub);
    }
    return Buffer.concat([pub, encode(v.fleet)]);
  };
}
