/**
 * The Lightning node stand-ins of this repository, each started for the conformance suite
 * (suite.ts) as node A connected to a peer B that records what it receives:
 *  - simnet's lightningd (services/simnet) through the CLN backend on its `lightning-rpc` socket;
 *  - the simulated LND (runtime/sim/simlnd) through the LND backend over gRPC/TLS with its admin.macaroon;
 *  - the engine tests' loopback node (tests/engine/fixtures/loopback.ts);
 *  - the management tests' CLN simulator (tests/mgmt/support/cln-sim.ts).
 * (tests/cln/fixtures/scripted-lightningd.ts is a framing script for the socket client, not a node:
 * it answers whatever each test scripts, so it has no node behaviour to conform.)
 */
import type { NodeBackend } from '../../runtime/core/ports.ts';
import { connectLnd } from '../../services/lnd/client.ts';
import { LndNodeBackend } from '../../services/lnd/backend.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { SimNetwork } from '../../runtime/sim/simnet/network.ts';
import { SimNode } from '../../runtime/sim/simnet/node.ts';
import { addLndNode } from '../../runtime/sim/simlnd/node.ts';
import { LoopbackNet } from '../engine/fixtures/loopback.ts';
import { ClnSim } from '../mgmt/support/cln-sim.ts';
import { secretKey } from '../ticket/fixtures.ts';
import type { StandIn, StandInHarness } from './suite.ts';

/** A simnet lightningd without plugins that records every custom message it receives. */
export class RecordingSimNode extends SimNode {
  readonly received: string[] = [];
  override receivePeerMessage(peerId: string, msgHex: string): void {
    if (this.running && this.peers.get(peerId)?.connected) this.received.push(msgHex);
    super.receivePeerMessage(peerId, msgHex);
  }
}

/** Add a recording peer `b` to `network`. */
export async function addRecordingNode(network: SimNetwork, name: string): Promise<RecordingSimNode> {
  let made: RecordingSimNode | null = null;
  await network.addNode({ name }, (net, s) => (made = new RecordingSimNode(net, s)));
  return made!;
}

/** An LND backend on the simulated LND's endpoint and admin.macaroon. */
export function lndBackendFor(endpoint: { host: string; port: number; tlsCertPath: string; macaroonPath: string }): { backend: LndNodeBackend; close(): void } {
  const lnd = connectLnd({ host: endpoint.host, port: endpoint.port, tls_cert_path: endpoint.tlsCertPath, macaroon_path: endpoint.macaroonPath });
  if (!lnd.ok) throw new Error(JSON.stringify(lnd.error));
  return { backend: new LndNodeBackend(lnd.value, 10_000), close: lnd.value.close };
}

async function simnetHarness(a: (net: SimNetwork) => Promise<{ node: SimNode; backend: NodeBackend; close(): void }>): Promise<StandInHarness> {
  const network = await SimNetwork.create();
  const made = await a(network);
  const b = await addRecordingNode(network, 'b');
  const ch = await network.openChannel(made.node, b.nodeId, { capacity_sat: 1_000_000 });
  return {
    backend: made.backend,
    peer_id: b.nodeId,
    scid: ch.short_channel_id,
    received: () => b.received,
    stop: async () => {
      made.close();
      await network.stop();
    },
  };
}

export const SIMNET_CLN: StandIn = {
  name: "simnet's lightningd through the CLN backend",
  start: () =>
    simnetHarness(async (net) => {
      const node = await net.addNode({ name: 'a' });
      const { backend, client } = createLightningBackend({ socketPath: node.rpcPath });
      return { node, backend, close: () => client.close() };
    }),
};

export const SIMULATED_LND: StandIn = {
  name: 'the simulated LND through the LND backend',
  start: () =>
    simnetHarness(async (net) => {
      const node = await addLndNode(net, { name: 'a' });
      return { node, ...lndBackendFor(node.endpoint) };
    }),
};

export const LOOPBACK_NODE: StandIn = {
  name: "the engine tests' loopback node",
  async start() {
    const net = new LoopbackNet();
    const a = net.add(1);
    const b = net.add(2);
    net.link(a, b, 'CHANNELD_NORMAL');
    const received: string[] = [];
    net.keep = (from, to, hex) => {
      if (from === a && to === b) received.push(hex);
      return false;
    };
    return { backend: a, peer_id: b.node_id, scid: null, received: () => received, stop: () => net.close() };
  },
};

export const MGMT_CLN_SIM: StandIn = {
  name: "the management tests' CLN simulator",
  async start() {
    const b = new ClnSim(secretKey(2), []);
    const a = new ClnSim(secretKey(1), [{ scid: '800000x1x0', peer_id: b.id, fee_ppm: 10, base_fee_msat: 1000, to_us_msat: 500_000_000, total_msat: 1_000_000_000 }]);
    const received: string[] = [];
    a.onSend = (id, hex) => {
      if (id === b.id) received.push(hex);
    };
    return { backend: a, peer_id: b.id, scid: '800000x1x0', received: () => received, stop: async () => {} };
  },
};

/** Every stand-in. */
export const STAND_INS: readonly StandIn[] = [SIMNET_CLN, SIMULATED_LND, LOOPBACK_NODE, MGMT_CLN_SIM];
