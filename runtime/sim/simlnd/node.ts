/**
 * A simulated LND node in simnet's network: stands for lnd v0.19 as Hivebox reaches it — LND's own
 * gRPC services (lnrpc.Lightning, routerrpc.Router, walletrpc.WalletKit from the `lightning`
 * package's .proto files) over real gRPC with TLS (`tls.cert`) and macaroon checks
 * (`admin.macaroon`, permissions per RPC), in the node's directory. It is a simnet node (same
 * peers, channels, graph and BOLT-8-like links), so simulated CLN and LND nodes exchange custom
 * messages; what differs from lightningd is LND's:
 *  - no plugins: incoming custom messages go to `SubscribeCustomMessages` streams — types
 *    ≥ 32768, or listed in `protocol.custom-message`; others are dropped (never a disconnect);
 *  - connections are reported on `SubscribePeerEvents` (PEER_ONLINE / PEER_OFFLINE);
 *  - channel opens from peers are offered to `ChannelAcceptor` clients (each must accept; none = accept),
 *    a refusal's `error` goes back to the opener.
 * Answers come from rpc.ts; the server and streams live here.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lndProtoDir } from '../../../services/lnd/protos.ts';
import { toHex } from '../../core/types.ts';
import { peekType } from '../simnet/wire-types.ts';
import { SimNode, type SimNodeSpec } from '../simnet/node.ts';
import type { SimNetwork } from '../simnet/network.ts';
import { ADMIN_PERMISSIONS, bakeMacaroon, checkMacaroon, type LndPermission } from './macaroons.ts';
import { GraphAnswer, graphSerializer } from './describe-graph.ts';
import { deliveredToSubscribers, describeGraph, LndRpcError, UNARY_METHODS, type LndCallContext } from './rpc.ts';
import { lndTlsPair } from './tls.ts';

/** How to build a simulated LND node. */
export interface SimLndSpec extends SimNodeSpec {
  /** lnd.conf `protocol.custom-message=N` lines: types below 32768 lnd sends and passes on. */
  readonly customMessages?: readonly number[];
}

/** Where a client finds the node: `host:port`, TLS certificate and macaroon files (lnd's layout). */
export interface SimLndEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tlsCertPath: string;
  readonly macaroonPath: string;
}


/** lightning's own proto-loader options (lnd_grpc/grpc_options.js). */
const PROTO_OPTIONS = { defaults: true, enums: String, keepCase: true, longs: String, oneofs: true } as const;

const STREAM_PERMS: Readonly<Record<string, readonly LndPermission[]>> = {
  SubscribeCustomMessages: ['offchain:read'],
  SubscribePeerEvents: ['peers:read'],
  ChannelAcceptor: ['onchain:write', 'offchain:write'],
};

interface Acceptor {
  readonly call: grpc.ServerDuplexStream<Record<string, unknown>, Record<string, unknown>>;
  readonly waiting: Map<string, (answer: { accept: boolean; error: string }) => void>;
}

/** One simulated LND. */
export class SimLndNode extends SimNode {
  readonly macaroonPath: string;
  private readonly rootKey: Uint8Array;
  private readonly ctx: LndCallContext;
  private grpcServer: grpc.Server | null = null;
  private port = 0;
  private tlsCertPath = '';
  private readonly customSubscribers = new Set<grpc.ServerWritableStream<unknown, Record<string, unknown>>>();
  private readonly peerSubscribers = new Set<grpc.ServerWritableStream<unknown, Record<string, unknown>>>();
  private readonly acceptors = new Set<Acceptor>();
  private pendingId = 0;

  constructor(network: SimNetwork, spec: SimLndSpec) {
    super(network, { ...spec, plugins: [] });
    this.rootKey = new Uint8Array(32).map((_, i) => this.key.secretKey[i]! ^ 0x5a);
    this.macaroonPath = join(this.dir, 'admin.macaroon');
    this.ctx = { node: this, customOverrides: new Set(spec.customMessages ?? []) };
  }

  /** The gRPC endpoint (valid once started). */
  get endpoint(): SimLndEndpoint {
    return { host: 'localhost', port: this.port, tlsCertPath: this.tlsCertPath, macaroonPath: this.macaroonPath };
  }

  /** A macaroon with only `permissions` (what `lncli bakemacaroon` gives), written to `dir/name`. */
  bakeMacaroon(name: string, permissions: readonly LndPermission[]): string {
    const path = join(this.dir, name);
    writeFileSync(path, bakeMacaroon(this.rootKey, permissions, crypto.getRandomValues(new Uint8Array(8))), { mode: 0o600 });
    return path;
  }

  /** Start lnd: TLS pair and admin.macaroon in the node dir, gRPC on 127.0.0.1 (a free port, kept across restarts). */
  override async start(): Promise<void> {
    if (this.status === 'running') return;
    mkdirSync(this.dir, { recursive: true });
    const tls = lndTlsPair(this.dir);
    this.tlsCertPath = tls.certPath;
    this.bakeMacaroon('admin.macaroon', ADMIN_PERMISSIONS);
    const server = new grpc.Server();
    const protos = lndProtoDir();
    for (const [file, pkg, service] of [['lightning.proto', 'lnrpc', 'Lightning'], ['router.proto', 'routerrpc', 'Router'], ['walletkit.proto', 'walletrpc', 'WalletKit']] as const) {
      const def = grpc.loadPackageDefinition(loadSync(join(protos, file), { ...PROTO_OPTIONS, includeDirs: [protos] })) as unknown as Record<string, Record<string, { service: grpc.ServiceDefinition }>>;
      const svc = def[pkg]![service]!.service;
      const graph = svc.DescribeGraph ? graphSerializer(svc.DescribeGraph.responseSerialize, describeGraph) : null;
      // Like lnd loading its channel graph at start: the public graph is encoded now, not in the first caller's time.
      graph?.(new GraphAnswer(this.network, { nodes: [], edges: [] }));
      server.addService(graph ? { ...svc, DescribeGraph: { ...svc.DescribeGraph!, responseSerialize: graph } } : svc, this.implementation(svc));
    }
    const creds = grpc.ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false);
    this.port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${this.port}`, creds, (e, port) => (e ? reject(e) : resolve(port))));
    this.grpcServer = server;
    this.status = 'running';
    this.log('info', 'lnd', `gRPC proxy started at 127.0.0.1:${this.port}`);
  }

  /** Stop lnd: streams end, the server closes, peers see the connections drop. */
  override async stop(mode: 'clean' | 'crash'): Promise<void> {
    if (!this.running) return;
    for (const s of [...this.customSubscribers, ...this.peerSubscribers]) s.end();
    for (const a of this.acceptors) a.call.end();
    this.customSubscribers.clear();
    this.peerSubscribers.clear();
    this.acceptors.clear();
    const server = this.grpcServer;
    this.grpcServer = null;
    await new Promise<void>((resolve) => (server ? server.tryShutdown(() => resolve()) : resolve()));
    server?.forceShutdown();
    await super.stop(mode);
  }

  /** lnd's peer: custom-range (or overridden) types go to every SubscribeCustomMessages stream; others are dropped. */
  override receivePeerMessage(peerId: string, msgHex: string): void {
    if (!this.running || !this.peers.get(peerId)?.connected) return;
    const type = peekType(msgHex);
    if (type === null) return;
    if (!deliveredToSubscribers(this.ctx, type)) {
      this.log('debug', peerId, `unknown message type ${type}, ignoring`);
      return;
    }
    const msg = { peer: Buffer.from(peerId, 'hex'), type, data: Buffer.from(msgHex.slice(4), 'hex') };
    for (const s of this.customSubscribers) s.write(msg);
  }

  /** lnd has no peer_connected hook: connections are always accepted. */
  override async peerConnectedHook(): Promise<boolean> {
    return true;
  }

  /** Connection events become SubscribePeerEvents updates. */
  override notify(topic: string, body: Record<string, unknown>): void {
    if (topic !== 'connect' && topic !== 'disconnect') return;
    const ev = { pub_key: String(body.id), type: topic === 'connect' ? 'PEER_ONLINE' : 'PEER_OFFLINE' };
    for (const s of this.peerSubscribers) s.write(ev);
  }

  /** A peer opens a channel to us: every ChannelAcceptor client must accept (lnd's chainedAcceptor). */
  override async openChannelHook(_hook: 'openchannel' | 'openchannel2', params: Record<string, unknown>): Promise<{ result: 'continue' } | { result: 'reject'; error_message: string }> {
    const open = (params.openchannel ?? params.openchannel2 ?? {}) as Record<string, unknown>;
    for (const a of this.acceptors) {
      const id = `${++this.pendingId}`.padStart(64, '0');
      const answer = await new Promise<{ accept: boolean; error: string }>((resolve) => {
        a.waiting.set(id, resolve);
        a.call.write({ node_pubkey: Buffer.from(String(open.id), 'hex'), chain_hash: Buffer.alloc(32), pending_chan_id: Buffer.from(id, 'hex'), funding_amt: String(Math.floor(Number(String(open.funding_msat ?? open.their_funding_msat ?? 0).replace('msat', '')) / 1000)), push_amt: '0', channel_flags: 1 });
      });
      if (!answer.accept) return { result: 'reject', error_message: answer.error || 'channel rejected' };
    }
    return { result: 'continue' };
  }

  /** The service object: each method checks the macaroon, then runs. */
  private implementation(service: grpc.ServiceDefinition): grpc.UntypedServiceImplementation {
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [name, def] of Object.entries(service)) {
      const unary = UNARY_METHODS[def.path];
      const refusal = (md: grpc.Metadata, perms: readonly LndPermission[]) => checkMacaroon(md.get('macaroon').map(String), this.rootKey, perms);
      if (unary) {
        impl[name] = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, cb: grpc.sendUnaryData<unknown>) => {
          const denied = refusal(call.metadata, unary.perms);
          if (denied) return cb({ code: grpc.status.UNKNOWN, details: denied });
          unary.run(this.ctx, call.request).then(
            (r) => cb(null, r),
            (e: unknown) => cb({ code: grpc.status.UNKNOWN, details: e instanceof LndRpcError || e instanceof Error ? e.message : String(e) }),
          );
        };
      } else if (name in STREAM_PERMS) {
        impl[name] = ((call: grpc.ServerWritableStream<unknown, Record<string, unknown>> & grpc.ServerDuplexStream<Record<string, unknown>, Record<string, unknown>>) => {
          const denied = refusal(call.metadata, STREAM_PERMS[name]!);
          if (denied) {
            call.destroy(Object.assign(new Error(denied), { code: grpc.status.UNKNOWN, details: denied }));
            return;
          }
          this.openStream(name, call);
        }) as grpc.UntypedHandleCall;
      } else {
        impl[name] = (_call: unknown, cb?: grpc.sendUnaryData<unknown>) => cb?.({ code: grpc.status.UNIMPLEMENTED, details: `simulated lnd does not implement ${def.path}` });
      }
    }
    return impl;
  }

  private openStream(name: string, call: grpc.ServerWritableStream<unknown, Record<string, unknown>> & grpc.ServerDuplexStream<Record<string, unknown>, Record<string, unknown>>): void {
    if (name === 'ChannelAcceptor') {
      const a: Acceptor = { call, waiting: new Map() };
      this.acceptors.add(a);
      call.on('data', (r: Record<string, unknown>) => {
        const id = r.pending_chan_id instanceof Uint8Array ? toHex(r.pending_chan_id) : '';
        a.waiting.get(id)?.({ accept: r.accept === true, error: typeof r.error === 'string' ? r.error : '' });
        a.waiting.delete(id);
      });
      const gone = () => {
        this.acceptors.delete(a);
        for (const resolve of a.waiting.values()) resolve({ accept: false, error: 'channel acceptor went away' });
      };
      call.on('end', gone);
      call.on('cancelled', gone);
      return;
    }
    const set = name === 'SubscribeCustomMessages' ? this.customSubscribers : this.peerSubscribers;
    set.add(call);
    call.on('cancelled', () => set.delete(call));
  }
}

/** Add a simulated LND node to `network` and start it. */
export async function addLndNode(network: SimNetwork, spec: SimLndSpec): Promise<SimLndNode> {
  let made: SimLndNode | null = null;
  await network.addNode(spec, (net, s) => (made = new SimLndNode(net, s)));
  return made!;
}

