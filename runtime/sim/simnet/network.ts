/**
 * simnet: a simulated Lightning network of CLN v26.06 nodes (README.md in this folder). It owns
 * the simulated nodes, the connections and channels between them, the public graph they all see
 * (real data through an injected `GraphProvider`, plus the fleet's own public channels), and the
 * fault controls tests use: per-link latency and loss, partition/heal, node restart, plugin crash.
 *
 * Connections stand for BOLT 8 sessions: both ends track the peer; a disconnect (manual,
 * unknown-even-type, node stop, partition with `disconnect`) is seen by both. Like lightningd,
 * a node reconnects to channel peers when it starts and when a partition heals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeAnnouncement, NodeChannel } from '../../core/ports.ts';
import { listchannelsEntries, newChannel, peerOf, type SimChannel } from './channel.ts';
import { channelOutputScript, fundingTransaction, maxFundingSat, openHookFor, openHookPayload } from './channel-open.ts';
import { emptyGraph, type GraphProvider, type PublicGraph } from './graph.ts';
import { healthyLink, linkKey, seededRandom, type LinkFaults } from './link.ts';
import { SIM_NODE_DEFAULTS } from './limits.ts';
import { SimNode, type SimNodeSpec } from './node.ts';
import type { SimReservation } from './wallet.ts';
import { peekType } from './wire-types.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** Options of `SimNetwork.create`. */
export interface SimNetworkOptions {
  /** Directory for node dirs (default: a fresh short dir under the OS tmpdir, removed on stop). */
  readonly root?: string;
  /** The public network (default: empty). */
  readonly graph?: GraphProvider;
  /** Seed of the loss PRNG (default 1). */
  readonly seed?: number;
  /**
   * How long after reaching CHANNELD_NORMAL a public channel appears in `listchannels` (ms,
   * default 0). A real lightningd lists it only after 6 confirmations and gossip propagation,
   * seconds to a minute later on regtest (real-cln-facts.md), so a peer can hear of a channel
   * before its own lightningd does.
   */
  readonly announce_delay_ms?: number;
}

/** Outcome of `fundChannel`: the new channel and its funding transaction (hex) and txid, or CLN's error code and message. */
export type FundOutcome = { ok: true; channel: SimChannel; tx: string; txid: string } | { ok: false; code: number; message: string };

/** Outcome of a connection attempt, with CLN's error code and message on failure. */
export type ConnectOutcome = { ok: true; direction: 'out'; features: string; port: number } | { ok: false; code: number; message: string };

/** The simulated network. */
export class SimNetwork {
  readonly root: string;
  readonly nodes = new Map<string, SimNode>();
  readonly channels: SimChannel[] = [];
  /** Chain tip every node reports (getinfo `blockheight`); `mineBlocks` advances it. */
  blockheight: number = SIM_NODE_DEFAULTS.blockheight;
  private readonly byId = new Map<string, SimNode>();
  private readonly links = new Map<string, LinkFaults>();
  private readonly passivePeers = new Set<string>();
  private readonly ownsRoot: boolean;
  private readonly random: () => number;
  private readonly announceDelayMs: number;
  private graph: PublicGraph = emptyGraph();
  private readonly graphBySource = new Map<string, NodeChannel[]>();
  private readonly graphByDestination = new Map<string, NodeChannel[]>();
  private readonly graphByScid = new Map<string, NodeChannel[]>();
  private readonly graphNodes = new Map<string, NodeAnnouncement>();

  private constructor(opts: SimNetworkOptions) {
    this.ownsRoot = opts.root === undefined;
    this.root = opts.root ?? mkdtempSync(join(tmpdir(), 'hbx-'));
    this.random = seededRandom(opts.seed ?? 1);
    this.announceDelayMs = opts.announce_delay_ms ?? 0;
  }

  /** Build a network and load (and index) its public graph. */
  static async create(opts: SimNetworkOptions = {}): Promise<SimNetwork> {
    const net = new SimNetwork(opts);
    if (opts.graph) net.graph = await opts.graph();
    for (const c of net.graph.channels) {
      for (const [index, key] of [
        [net.graphBySource, c.source],
        [net.graphByDestination, c.destination],
        [net.graphByScid, c.short_channel_id],
      ] as const) {
        const list = index.get(key);
        if (list) list.push(c);
        else index.set(key, [c]);
      }
    }
    for (const n of net.graph.nodes) net.graphNodes.set(n.nodeid, n);
    return net;
  }

  /** The public network loaded at creation (real data; never changes): its channels and nodes. */
  get publicGraph(): PublicGraph {
    return this.graph;
  }

  /** Add and start a node (`build` makes another implementation's node, e.g. runtime/sim/simlnd). */
  async addNode<S extends SimNodeSpec>(spec: S, build: (net: SimNetwork, spec: S) => SimNode = (net, s) => new SimNode(net, s)): Promise<SimNode> {
    if (this.nodes.has(spec.name)) throw new Error(`simnet: node ${spec.name} already exists`);
    const node = build(this, spec);
    this.nodes.set(spec.name, node);
    this.byId.set(node.nodeId, node);
    await node.start();
    return node;
  }

  /** The node called `name`. @throws Error for an unknown name (test programming error). */
  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`simnet: no node ${name}`);
    return n;
  }

  /** The simulated node with this id, if any. */
  nodeById(nodeId: string): SimNode | undefined {
    return this.byId.get(nodeId);
  }

  /** Port a node "listens" on (stable per node, shown in addresses). */
  portOf(nodeId: string): number {
    return 9735 + [...this.byId.keys()].indexOf(nodeId) + 1;
  }

  // ---- connections -------------------------------------------------------------------------

  /** `connect` from `from` to `toId` (lightningd connectd semantics, CLN error codes 400/401). */
  async connect(from: SimNode, toId: string): Promise<ConnectOutcome> {
    const to = this.byId.get(toId);
    if (!to) {
      if (this.passivePeers.has(linkKey(from.nodeId, toId)) || this.inGraph(toId)) return this.connectPassive(from, toId);
      return { ok: false, code: CLN_ERROR.CONNECT_NO_KNOWN_ADDRESS, message: 'Unable to connect, no address known for peer' };
    }
    const port = this.portOf(toId);
    if (!to.running || this.link(from.nodeId, toId).partitioned) return { ok: false, code: CLN_ERROR.CONNECT_ALL_ADDRESSES_FAILED, message: `All addresses failed: 127.0.0.1:${port}: Connection refused` };
    if (from.peers.get(toId)?.connected) return { ok: true, direction: 'out', features: to.features, port };
    const okFrom = await from.peerConnectedHook(toId, 'out', to.features, port);
    const okTo = await to.peerConnectedHook(from.nodeId, 'in', from.features, this.portOf(from.nodeId));
    if (!okFrom || !okTo) return { ok: false, code: CLN_ERROR.CONNECT_ALL_ADDRESSES_FAILED, message: 'All addresses failed: peer_connected hook disconnected' };
    from.peers.set(toId, { connected: true, direction: 'out' });
    to.peers.set(from.nodeId, { connected: true, direction: 'in' });
    from.notify('connect', { id: toId, direction: 'out', address: { type: 'ipv4', address: '127.0.0.1', port } });
    to.notify('connect', { id: from.nodeId, direction: 'in', address: { type: 'ipv4', address: '127.0.0.1', port: this.portOf(from.nodeId) } });
    return { ok: true, direction: 'out', features: to.features, port };
  }

  private async connectPassive(from: SimNode, toId: string): Promise<ConnectOutcome> {
    if (!from.peers.get(toId)?.connected) {
      if (!(await from.peerConnectedHook(toId, 'out', '', 9735))) return { ok: false, code: CLN_ERROR.CONNECT_ALL_ADDRESSES_FAILED, message: 'All addresses failed: peer_connected hook disconnected' };
      from.peers.set(toId, { connected: true, direction: 'out' });
      from.notify('connect', { id: toId, direction: 'out', address: { type: 'ipv4', address: '127.0.0.1', port: 9735 } });
    }
    return { ok: true, direction: 'out', features: '', port: 9735 };
  }

  /** Tear down the connection between `node` and `peerId` on both ends (disconnect notifications). */
  disconnectPair(node: SimNode, peerId: string): void {
    this.markDisconnected(node, peerId);
    const other = this.byId.get(peerId);
    if (other) this.markDisconnected(other, node.nodeId);
  }

  private markDisconnected(node: SimNode, peerId: string): void {
    const p = node.peers.get(peerId);
    if (!p?.connected) return;
    p.connected = false;
    if (!this.channelsOf(node.nodeId).some((c) => peerOf(c, node.nodeId) === peerId)) node.peers.delete(peerId);
    if (node.running) node.notify('disconnect', { id: peerId });
  }

  /** Called by a stopping node: every peer sees the connection drop. */
  dropConnectionsOf(node: SimNode): void {
    for (const [peerId, p] of node.peers) {
      if (p.connected) {
        const other = this.byId.get(peerId);
        if (other) this.markDisconnected(other, node.nodeId);
      }
      p.connected = false;
      if (!this.channelsOf(node.nodeId).some((c) => peerOf(c, node.nodeId) === peerId)) node.peers.delete(peerId);
    }
  }

  /** Reconnect `node` to its channel peers that are reachable (lightningd does this at start and after outages). */
  async reconnectChannelPeers(node: SimNode): Promise<void> {
    for (const ch of this.channelsOf(node.nodeId)) {
      const peer = peerOf(ch, node.nodeId);
      if (!node.peers.get(peer)?.connected) await this.connect(node, peer);
    }
  }

  // ---- channels and graph ------------------------------------------------------------------

  /**
   * Open a channel between two fleet nodes (connecting them first), or from a fleet node to a real
   * graph node (`to` is a node id not in the fleet: an attachment, which also makes that node a
   * passive peer that ignores odd custom messages). Funding is not simulated: the channel is
   * CHANNELD_NORMAL at once.
   */
  async openChannel(from: SimNode, toId: string, opts: { capacity_sat: number; public?: boolean }): Promise<SimChannel> {
    const ch = newChannel(this.channels.length, from.nodeId, toId, opts.capacity_sat, opts.public ?? true, Math.floor(Date.now() / 1000));
    if (!this.byId.has(toId)) this.passivePeers.add(linkKey(from.nodeId, toId));
    const c = await this.connect(from, toId);
    if (!c.ok) throw new Error(`simnet: cannot open channel, connect failed: ${c.message}`);
    this.channels.push(ch);
    return ch;
  }

  /**
   * `fundchannel` as the opener's lightningd runs it (single-funded): the amount within what both
   * peers' features allow, the opener's wallet reserved for amount + fee, connect (a simnet node, or
   * a real graph node as lightningd does with an address from gossip), then the fundee's
   * `openchannel` or `openchannel2` hook chain (channel-open.ts picks the protocol from both init
   * features). A refusal comes back as CLN reports the peer's error (-1 "They sent ERROR channel
   * <id>: <error_message>"), the fundee drops the connection (hooks.md) and the wallet is released;
   * a real graph node (a passive peer, standing for a current node that negotiates large channels)
   * always accepts. Accepted: the wallet is spent by the funding transaction, `push_msat` is on the
   * fundee's side, and the channel waits in CHANNELD_AWAITING_LOCKIN until block
   * `blockheight + minDepth` (`mineBlocks`).
   * @returns the channel and its funding transaction, or CLN's error (300 too large, 301 cannot
   * afford, connect's 400/401, -1 refused or peer died); a failure changes no wallet or channel.
   */
  async fundChannel(from: SimNode, toId: string, opts: { capacity_sat: number; fee_sat: number; push_msat?: number; public: boolean; minDepth: number }): Promise<FundOutcome> {
    const to = this.byId.get(toId);
    const max = maxFundingSat(from.features, to ? to.features : SIM_NODE_DEFAULTS.init_features);
    if (opts.capacity_sat > max) return { ok: false, code: CLN_ERROR.FUND_MAX_EXCEEDED, message: `Amount exceeded ${max}sat` };
    const count = from.wallet.spendableCount();
    const coins = from.wallet.reserve(opts.capacity_sat, opts.fee_sat);
    if (!coins) {
      const short = opts.capacity_sat + opts.fee_sat - from.wallet.spendableSat();
      return { ok: false, code: CLN_ERROR.FUND_CANNOT_AFFORD, message: `Could not afford ${opts.capacity_sat}sat using all ${count} available UTXOs: ${short}sat short` };
    }
    const opened = await this.openFunded(from, toId, to, coins, opts, max);
    if (!opened.ok) from.wallet.release(coins);
    return opened;
  }

  /** `fundChannel` after the wallet is reserved: connect, the fundee's hooks, the funding transaction. */
  private async openFunded(from: SimNode, toId: string, to: SimNode | undefined, coins: SimReservation, opts: { capacity_sat: number; push_msat?: number; public: boolean; minDepth: number }, max_funding_sat: number): Promise<FundOutcome> {
    const c = await this.connect(from, toId);
    if (!c.ok) return c;
    if (!to) this.passivePeers.add(linkKey(from.nodeId, toId));
    const first = coins.inputs[0]!;
    const outputs = [{ amount_sat: opts.capacity_sat, script: channelOutputScript(from.nodeId, toId, first) }, ...(coins.change_sat > 0 ? [{ amount_sat: coins.change_sat, script: from.wallet.scriptpubkey }] : [])];
    const { tx, txid } = fundingTransaction(coins.inputs, outputs, this.blockheight);
    const ch = newChannel(this.channels.length, from.nodeId, toId, opts.capacity_sat, opts.public, Math.floor(Date.now() / 1000), { txid, confirm_at_block: this.blockheight + opts.minDepth });
    const push = opts.push_msat ?? 0;
    if (to) {
      const hook = openHookFor(from.features, to.features);
      const answer = await to.openChannelHook(hook, openHookPayload(hook, ch, { opener_id: from.nodeId, push_msat: push, blockheight: this.blockheight, max_funding_sat }));
      if (answer.result === 'crashed') return { ok: false, code: CLN_ERROR.LIGHTNINGD, message: 'Peer died' };
      if (answer.result === 'reject') {
        this.disconnectPair(from, toId);
        return { ok: false, code: CLN_ERROR.LIGHTNINGD, message: `They sent ERROR channel ${ch.channel_id}: ${answer.error_message}` };
      }
    }
    from.wallet.spend(coins, txid);
    ch.to_msat.set(from.nodeId, ch.capacity_msat - push);
    ch.to_msat.set(toId, push);
    this.channels.push(ch);
    return { ok: true, channel: ch, tx, txid };
  }

  /**
   * Mine `n` blocks: funding transactions that reach their depth lock in (CHANNELD_NORMAL, scid
   * assigned, announced in `listchannels`) and their change outputs confirm.
   */
  mineBlocks(n: number): void {
    this.blockheight += n;
    for (const ch of this.channels) {
      if (ch.state !== 'CHANNELD_AWAITING_LOCKIN' || !ch.funding || ch.funding.confirm_at_block > this.blockheight) continue;
      ch.state = 'CHANNELD_NORMAL';
      ch.normal_since_ms = Date.now();
      this.byId.get(ch.a)?.wallet.confirm(ch.funding.txid, ch.funding.confirm_at_block);
    }
  }

  /** True when `nodeId` is in the injected public graph (lightningd would know its address from gossip). */
  private inGraph(nodeId: string): boolean {
    return this.graphNodes.has(nodeId) || this.graphBySource.has(nodeId);
  }

  /** Channels with `nodeId` at one end. */
  channelsOf(nodeId: string): SimChannel[] {
    return this.channels.filter((c) => c.a === nodeId || c.b === nodeId);
  }

  /** `listchannels` view: real graph plus the fleet's public channels, filtered like CLN (one filter at a time). */
  listchannels(filter: { short_channel_id?: string; source?: string; destination?: string }): NodeChannel[] {
    const sim = this.channels.filter((c) => c.public && this.announced(c)).flatMap(listchannelsEntries);
    if (filter.short_channel_id !== undefined) return [...(this.graphByScid.get(filter.short_channel_id) ?? []), ...sim.filter((c) => c.short_channel_id === filter.short_channel_id)];
    if (filter.source !== undefined) return [...(this.graphBySource.get(filter.source) ?? []), ...sim.filter((c) => c.source === filter.source)];
    if (filter.destination !== undefined) return [...(this.graphByDestination.get(filter.destination) ?? []), ...sim.filter((c) => c.destination === filter.destination)];
    return [...this.graph.channels, ...sim];
  }

  /** A public channel is in the graph `announce_delay_ms` after it reached CHANNELD_NORMAL. */
  private announced(c: SimChannel): boolean {
    return c.state === 'CHANNELD_NORMAL' && c.normal_since_ms !== null && Date.now() - c.normal_since_ms >= this.announceDelayMs;
  }

  /** `listnodes` view: graph nodes plus fleet nodes that have a public channel (only those have a node_announcement). */
  listnodes(id?: string): NodeAnnouncement[] {
    const now = Math.floor(Date.now() / 1000);
    const fleet = [...this.byId.values()]
      .filter((n) => this.channelsOf(n.nodeId).some((c) => c.public && this.announced(c)))
      .map((n) => ({ nodeid: n.nodeId, alias: n.alias, color: n.nodeId.slice(2, 8), last_timestamp: now, features: n.features, addresses: [{ type: 'ipv4', address: '127.0.0.1', port: this.portOf(n.nodeId) }] }));
    if (id !== undefined) {
      const known = this.graphNodes.get(id);
      return [...(known ? [known] : []), ...fleet.filter((n) => n.nodeid === id)];
    }
    return [...this.graph.nodes, ...fleet];
  }

  // ---- message transport and faults --------------------------------------------------------

  /** Faults of the link between two node ids (a fresh healthy link if never configured). */
  link(a: string, b: string): LinkFaults {
    const k = linkKey(a, b);
    let l = this.links.get(k);
    if (!l) {
      l = healthyLink();
      this.links.set(k, l);
    }
    return l;
  }

  /** Set latency (ms) and/or loss probability on the link between two nodes. */
  setLink(a: SimNode, b: SimNode, faults: { latency_ms?: number; loss?: number }): void {
    Object.assign(this.link(a.nodeId, b.nodeId), faults);
  }

  /**
   * Cut the link: messages vanish. With `disconnect`, both ends also see the connection drop
   * (as after ping timeouts); without it the sessions look alive but carry nothing.
   */
  partition(a: SimNode, b: SimNode, opts: { disconnect?: boolean } = {}): void {
    this.link(a.nodeId, b.nodeId).partitioned = true;
    if (opts.disconnect) this.disconnectPair(a, b.nodeId);
  }

  /** Restore the link; channel peers reconnect like lightningd's reconnect loop. */
  async heal(a: SimNode, b: SimNode): Promise<void> {
    this.link(a.nodeId, b.nodeId).partitioned = false;
    if (a.running && b.running && this.channelsOf(a.nodeId).some((c) => peerOf(c, a.nodeId) === b.nodeId)) await this.connect(a, b.nodeId);
  }

  /**
   * Carry a message from `from` to `toId` over their link (called after `sendcustommsg` queued it).
   * Partitioned or lost → gone; otherwise delivered after the link latency. Passive graph peers
   * ignore odd types and, per BOLT 1, drop the connection on an unknown even type.
   */
  transmit(from: SimNode, toId: string, msgHex: string): void {
    const to = this.byId.get(toId);
    if (!to) {
      if ((peekType(msgHex) ?? 1) % 2 === 0) this.disconnectPair(from, toId);
      return;
    }
    const l = this.link(from.nodeId, toId);
    if (l.partitioned || (l.loss > 0 && this.random() < l.loss)) return;
    if (l.latency_ms > 0) setTimeout(() => to.receivePeerMessage(from.nodeId, msgHex), l.latency_ms);
    else queueMicrotask(() => to.receivePeerMessage(from.nodeId, msgHex));
  }

  /** Restart a node: clean stop, start (plugins relaunched), reconnect channel peers. */
  async restartNode(node: SimNode): Promise<void> {
    await node.stop('clean');
    await node.start();
    await this.reconnectChannelPeers(node);
  }

  /** Crash a plugin (SIGKILL); lightningd keeps running without it until `plugin start`. */
  async crashPlugin(node: SimNode, pluginName: string): Promise<void> {
    const p = node.plugins.find((h) => h.name === pluginName);
    if (!p) throw new Error(`simnet: ${node.name} has no plugin ${pluginName}`);
    p.kill('SIGKILL');
    await p.exited();
  }

  /** Stop every node and remove the temporary root. */
  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.stop('clean')));
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
  }
}
