/**
 * Composition for simulation: a simnet (runtime/sim/simnet) with N simulated CLN v26.06 nodes, each
 * running the real `hivebox plugin` process and its own in-process daemon (`startDaemon`) with an
 * injected engine, reached through the node's `lightning-rpc` socket exactly as on a real node.
 * Members marked `lnd` are simulated LND nodes in the same network, reached over gRPC with no
 * plugin (lnd-member.ts).
 * `hivebox demo` and end-to-end tests build on this.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { CONFIG_SCHEMA, type DaemonSection } from '../config/schema.ts';
import type { NodeBackend } from '../core/ports.ts';
import { pluginExecutable } from '../../services/cln-plugin/executable.ts';
import { PLUGIN_LINKED_LOG } from '../../services/daemon-ipc/index.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { SimNetwork, type GraphProvider, type SimNode } from './simnet/index.ts';
import { startDaemon, type Daemon } from '../daemon/daemon.ts';
import { addLndMember, daemonCli, type FleetCli } from './lnd-member.ts';
import type { EngineFactory, LogFn } from '../node/engine.ts';

/** One fleet node to create. */
export interface SimFleetNodeSpec {
  readonly name: string;
  readonly alias?: string;
  /** init features hex the node presents (capability probes). */
  readonly features?: string;
  /** `lnd`: a simulated LND (runtime/sim/simlnd) reached over gRPC, no plugin; default `cln`. */
  readonly implementation?: 'cln' | 'lnd';
}

/** Options of `startSimFleet`. */
export interface SimFleetOptions {
  /** Nodes to create (names are short: they become directory names). */
  readonly nodes: readonly (string | SimFleetNodeSpec)[];
  /** Engine for each node's daemon (called once per daemon start, with that node's backend). */
  readonly engineFactory: (nodeName: string) => EngineFactory;
  /** Public graph (default: empty). */
  readonly graph?: GraphProvider;
  /** Root directory (default: fresh tmp dir, removed on stop). */
  readonly root?: string;
  /** Plugin executable (default: services/cln-plugin/hivebox-plugin, or in a compiled binary the binary itself: executable.ts). */
  readonly pluginPath?: string;
  /** Daemon tick period, ms (default 1000). */
  readonly tick_ms?: number;
  /** Logger per node (default: warnings and errors as JSON lines on stderr). */
  readonly log?: (nodeName: string) => LogFn;
  /** More `[daemon]` keys for every daemon (e.g. the inbound budgets; runtime/config/schema.ts). */
  readonly daemon?: Partial<z.input<typeof DaemonSection>>;
}

/** A fleet node: simulated lightningd + daemon + the daemon's backend. */
export interface SimFleetMember {
  readonly name: string;
  readonly node: SimNode;
  daemon: Daemon;
  readonly backend: NodeBackend;
  /** A lightning-cli stand-in on the node's socket (hive-* commands go through lightningd to the plugin); on LND the daemon's IPC socket. */
  readonly cli: FleetCli;
}

/** A running simulated fleet. */
export interface SimFleet {
  readonly network: SimNetwork;
  readonly members: readonly SimFleetMember[];
  member(name: string): SimFleetMember;
  /**
   * Wait until every plugin is linked: its daemon holds the connection and the plugin has read the
   * daemon's hello answer (its `connected to hivebox daemon` log line), so events it forwards from
   * here on reach the daemon. @throws Error after `timeout_ms`.
   */
  waitPluginsConnected(timeout_ms?: number): Promise<void>;
  /** Stop and start one daemon (state lives in the engine's store; the plugin reconnects). */
  restartDaemon(name: string): Promise<void>;
  /** Stop daemons, nodes, clients; remove the tmp root. */
  stop(): Promise<void>;
}

function defaultLog(name: string): LogFn {
  return (level, event, fields = {}) => {
    if (level === 'warn' || level === 'error') process.stderr.write(`${JSON.stringify({ node: name, level, event, ...fields })}\n`);
  };
}

/**
 * Start simnet with one daemon per node.
 * @throws Error when a node or daemon cannot start (test/demo set-up failure); what had started is stopped first.
 */
export async function startSimFleet(opts: SimFleetOptions): Promise<SimFleet> {
  const network = await SimNetwork.create({ root: opts.root, graph: opts.graph });
  const members: SimFleetMember[] = [];
  const clients: FleetCli[] = [];
  const closers: (() => void)[] = [];
  const configFor = (dir: string, rpcFile: string) =>
    CONFIG_SCHEMA.parse({ lightning: { rpc_file: rpcFile }, daemon: { ...opts.daemon, ipc_socket: join(dir, 'hivebox.sock'), ipc_socket_mode: 0o600, tick_ms: opts.tick_ms ?? 1000 } });
  const launch = async (m: { name: string; backend: NodeBackend; dir: string; rpcPath: string }) =>
    startDaemon({ config: configFor(m.dir, m.rpcPath), engineFactory: opts.engineFactory(m.name), backend: m.backend, log: (opts.log ?? defaultLog)(m.name) });
  const stop = async () => {
    await Promise.all(members.map((m) => m.daemon.stop()));
    for (const c of clients) c.close();
    for (const c of closers) c();
    await network.stop();
  };
  try {
    const plugin = opts.pluginPath ?? pluginExecutable(network.root);
    for (const raw of opts.nodes) {
      const spec = typeof raw === 'string' ? { name: raw } : raw;
      const dir = join(network.root, spec.name);
      mkdirSync(dir, { recursive: true });
      if (spec.implementation === 'lnd') {
        const { node, backend, close } = await addLndMember(network, spec);
        closers.push(close);
        const daemon = await launch({ name: spec.name, backend, dir, rpcPath: node.rpcPath });
        const cli = daemonCli(join(dir, 'hivebox.sock'));
        clients.push(cli);
        members.push({ name: spec.name, node, daemon, backend, cli });
        continue;
      }
      const node = await network.addNode({
        ...spec,
        plugins: [{ path: plugin, options: { 'hivebox-socket': join(dir, 'hivebox.sock') } }],
      });
      const { backend, client } = createLightningBackend({ socketPath: node.rpcPath, idPrefix: `hivebox-${spec.name}` });
      const cli = createLightningBackend({ socketPath: node.rpcPath, idPrefix: 'cli' }).client;
      const daemon = await launch({ name: spec.name, backend, dir, rpcPath: node.rpcPath });
      members.push({ name: spec.name, node, daemon, backend, cli });
      clients.push(client, cli);
    }
  } catch (e) {
    // A node or daemon that failed to start must not leave the others (and their plugin processes) running.
    await stop();
    throw e;
  }
  const member = (name: string) => {
    const m = members.find((x) => x.name === name);
    if (!m) throw new Error(`sim fleet: no member ${name}`);
    return m;
  };
  return {
    network,
    members,
    member,
    async waitPluginsConnected(timeout_ms = 10_000) {
      const deadline = Date.now() + timeout_ms;
      // An LND member has no plugin: its daemon reads lnd's streams itself.
      const linked = (m: SimFleetMember) => !m.backend.capabilities.plugin || (m.daemon.stats().plugin_connections > 0 && m.node.logs.some((l) => l.message.startsWith(PLUGIN_LINKED_LOG)));
      while (!members.every(linked)) {
        if (Date.now() > deadline) throw new Error(`sim fleet: plugins not connected after ${timeout_ms} ms`);
        await Bun.sleep(20);
      }
    },
    async restartDaemon(name) {
      const m = member(name);
      await m.daemon.stop();
      m.daemon = await launch({ name, backend: m.backend, dir: m.node.dir, rpcPath: m.node.rpcPath });
    },
    stop,
  };
}
