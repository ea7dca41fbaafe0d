/**
 * The `hivebox run` daemon shell: composition only. It listens on the IPC socket for the plugin,
 * holds the NodeBackend (lightning-rpc, or whatever the caller passes), builds the engine through
 * the injected `EngineFactory`, feeds it plugin events in order, answers `hive-*` commands through
 * `engine.rpc`, drives `onTick`, and stops gracefully.
 *
 * Connection events: lightningd reports a new connection twice (the `peer_connected` hook, then
 * the `connect` notification); the daemon calls `onPeerConnected` once per connection, on
 * whichever arrives first, and again only after a `disconnect`.
 *
 * Other inbound paths (the swarm transport, runtime/node/swarm/swarm-link.ts) hand custom messages to
 * `deliver`, which queues them behind the plugin's events: the engine is never called from two
 * paths at once.
 *
 * Inbound budgets (inbound-budget.ts): every custom message from the plugin or another transport passes
 * the per-peer budgets and the bounded queue before it is queued; drops are counted per reason and
 * peer (`stats().inbound`) and reported under `inbound` in `hive-status` answered over IPC and in the
 * appliance's MQTT state.
 *
 * Without a plugin (LND, `backend.eventStreams`), the node's own streams feed the same queue: custom
 * messages, connections, and channel opens refused for ignored peers (services/lnd/events.ts).
 *
 * Ignore list: the engine's `ignoredPeers()` goes to every plugin after its hello and again
 * whenever it changed after an event, a command or a tick (daemon-ipc `ignore_list` push), so the
 * plugin's `openchannel` hooks refuse those peers without asking the daemon.
 */
import type { HiveboxConfig } from '../config/schema.ts';
import type { NodeBackend } from '../core/ports.ts';
import type { DeliveryPath } from '../core/swarm/index.ts';
import { IPC_LIMITS, listenIpc, type DaemonPush, type IpcEvent, type IpcHandlers, type IpcServer } from '../../services/daemon-ipc/index.ts';
import { RpcFailure, type EngineFactory, type HiveEngine, type LogFn } from '../node/engine.ts';
import { EventQueue } from './event-queue.ts';
import { InboundGate, type InboundStatus } from '../../services/daemon-ipc/inbound-budget.ts';
import { jsonLogger } from './log.ts';
import { openNodeBackend } from './node-backend.ts';
import type { StartupListener } from './starting-ipc.ts';

/** Inputs of `startDaemon`. */
export interface DaemonOptions {
  /** Validated configuration (`loadConfig`). */
  readonly config: HiveboxConfig;
  /** Builds the engine once the backend exists. */
  readonly engineFactory: EngineFactory;
  /** Node backend; default: LND when `[lnd] enabled`, else lightning-rpc on `config.lightning.rpc_file` (node-backend.ts). */
  readonly backend?: NodeBackend;
  /** Log sink; default JSON lines on stderr at `config.log.level`. */
  readonly log?: LogFn;
  /** Clock, unix ms; default `Date.now`. */
  readonly now_ms?: () => number;
  /** The IPC socket already listening since start-up (starting-ipc.ts): taken over instead of binding a new one. */
  readonly listener?: StartupListener;
}

/** Counters for status output and tests. */
export interface DaemonStats {
  readonly events_handled: number;
  readonly events_queued: number;
  readonly rejected_lines: number;
  readonly plugin_connections: number;
  readonly ticks: number;
  /** Inbound budgets: admitted and dropped custom messages, per reason and top peers. */
  readonly inbound: InboundStatus;
}

/** A running daemon. */
export interface Daemon {
  readonly ipcPath: string;
  readonly backend: NodeBackend;
  readonly engine: HiveEngine;
  stats(): DaemonStats;
  /**
   * Queue a custom message from another transport (`payloadHex` incl. the 2-byte type) behind the
   * plugin's events, handled exactly like a `custommsg` hook delivery.
   * @returns resolves once the engine handled it, or at once when the daemon is stopping (dropped).
   */
  deliver(peerId: string, payloadHex: string): Promise<void>;
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  /** Graceful stop: no new events, drain (bounded by `shutdown_grace_ms`), engine.close, release sockets. Idempotent. */
  stop(): Promise<void>;
}

/** At most one `inbound_dropped` log line per this many ms (the counters hold every drop). */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * A command's result with the daemon's inbound counters added to `hive-status` as `inbound`, so
 * `hivebox status` and lightning-cli show them (the appliance adds them to the MQTT state itself).
 */
export function withInboundStatus(method: string, result: unknown, inbound: InboundStatus): unknown {
  return method === 'hive-status' && typeof result === 'object' && result !== null ? { ...result, inbound } : result;
}

/** JSON-RPC code for an engine fault that is not an `RpcFailure`. */
export const DAEMON_INTERNAL_ERROR = -32603;

/**
 * Start the daemon.
 * @throws Error at startup only: the IPC socket is held by another live process, or the engine factory failed.
 */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { config } = opts;
  const log = opts.log ?? jsonLogger(config.log.level);
  const now_ms = opts.now_ms ?? Date.now;
  const owned = opts.backend ? null : await openNodeBackend(config);
  const backend = opts.backend ?? owned!.backend;
  const engine = await opts.engineFactory({ backend, log, now_ms });
  const gate = new InboundGate(config.daemon, (peerId) => engine.isMember?.(peerId) ?? false, now_ms);

  let ipc: IpcServer | null = null;
  let pushedIgnoreList = '';
  const ignoreListPush = (): DaemonPush => ({ op: 'ignore_list', node_ids: [...(engine.ignoredPeers?.() ?? [])].sort().slice(0, IPC_LIMITS.max_ignore_list) });
  const { inbound_member_msgs_per_s, inbound_member_bytes_per_s, inbound_nonmember_msgs_per_s, inbound_nonmember_bytes_per_s, inbound_nonmember_total_msgs_per_s, inbound_queue_max } = config.daemon;
  const budget = { inbound_member_msgs_per_s, inbound_member_bytes_per_s, inbound_nonmember_msgs_per_s, inbound_nonmember_bytes_per_s, inbound_nonmember_total_msgs_per_s, inbound_queue_max };
  const membersPush = (): DaemonPush => ({ op: 'members', node_ids: [...(engine.memberIds?.() ?? [])].sort().slice(0, IPC_LIMITS.max_ignore_list), budget });
  let pushedMembers = '';
  const syncIgnoreList = () => {
    const push = ignoreListPush();
    const key = push.node_ids.join(',');
    const members = membersPush();
    const membersKey = members.node_ids.join(',');
    if (membersKey !== pushedMembers) {
      pushedMembers = membersKey;
      ipc?.broadcast(members);
    }
    if (key === pushedIgnoreList) return;
    pushedIgnoreList = key;
    ipc?.broadcast(push);
    log('info', 'ignore_list_pushed', { peers: push.node_ids.length });
  };

  const connected = new Set<string>();
  const handle = async (ev: IpcEvent, via: DeliveryPath): Promise<void> => {
    switch (ev.op) {
      case 'custommsg':
        await engine.onCustomMsg(ev.peer_id, ev.payload, via);
        break;
      case 'peer_connected':
      case 'connect':
        if (connected.has(ev.peer_id)) return;
        connected.add(ev.peer_id);
        await engine.onPeerConnected(ev.peer_id);
        break;
      case 'disconnect':
        connected.delete(ev.peer_id);
        await engine.onPeerDisconnected(ev.peer_id);
        break;
    }
    syncIgnoreList();
  };
  const queue = new EventQueue<{ readonly ev: IpcEvent; readonly via?: DeliveryPath; readonly done?: () => void }>(async ({ ev, via, done }) => {
    try {
      await handle(ev, via ?? 'lightning');
    } finally {
      done?.();
    }
  }, log);

  let rejected = 0;
  let accepting = true;
  let lastDropLog_ms = Number.NEGATIVE_INFINITY;
  /** Budget check of a custom message; connection events always pass. */
  const admitted = (ev: IpcEvent): boolean => {
    if (ev.op !== 'custommsg') return true;
    const reason = gate.admit(ev.peer_id, ev.payload.length / 2, queue.length);
    if (reason === null) return true;
    const now = now_ms();
    if (now - lastDropLog_ms >= DROP_LOG_INTERVAL_MS) {
      lastDropLog_ms = now;
      log('warn', 'inbound_dropped', { peer_id: ev.peer_id, reason, dropped_total: gate.status(queue.length).dropped_total });
    }
    return false;
  };
  const handlers: IpcHandlers = {
    onEvent: (ev) => {
      if (ev.op === 'inbound_drops') {
        for (const d of ev.drops) gate.countReported(d.peer_id, d.member, d.reason, d.count);
        return;
      }
      if (accepting && admitted(ev)) queue.push({ ev });
    },
    onRpc: async (method, params) => {
      try {
        return { result: withInboundStatus(method, await engine.rpc(method, params), gate.status(queue.length)) ?? null };
      } catch (e) {
        if (e instanceof RpcFailure) return { error: { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) } };
        log('error', 'engine_rpc_failed', { method, error: e instanceof Error ? e.message : String(e) });
        return { error: { code: DAEMON_INTERNAL_ERROR, message: `internal error in ${method}` } };
      } finally {
        syncIgnoreList();
      }
    },
    onHello: (h) => {
      log('info', 'plugin_connected', { plugin_version: h.plugin_version, ...h.lightning });
      return [ignoreListPush(), membersPush()];
    },
    onReject: (reason) => {
      rejected++;
      log('warn', 'ipc_line_rejected', { reason });
    },
  };
  if (opts.listener) {
    opts.listener.handOver(handlers);
    ipc = opts.listener.server;
    // Plugins that said hello while the daemon was starting got neither push yet.
    for (const push of [ignoreListPush(), membersPush()]) ipc.broadcast(push);
  } else ipc = await listenIpc(config.daemon.ipc_socket, handlers, config.daemon.ipc_socket_mode);
  // A node without the plugin (LND) reports its events itself; they join the same queue and budgets.
  const nodeEvents = backend.eventStreams?.subscribe(
    {
      custommsg: (peer_id, payload) => handlers.onEvent({ op: 'custommsg', peer_id, payload }),
      // LND's PeerEvent carries no direction; the daemon reads only the peer id of a connect.
      connected: (peer_id) => handlers.onEvent({ op: 'connect', peer_id, direction: 'in' }),
      disconnected: (peer_id) => handlers.onEvent({ op: 'disconnect', peer_id }),
      acceptChannel: (peer_id) => !(engine.ignoredPeers?.().includes(peer_id) ?? false),
    },
    (level, event, fields) => log(level, event, fields),
  );

  let ticks = 0;
  let tickInFlight: Promise<void> | null = null;
  const tickTimer = setInterval(() => {
    if (tickInFlight) return;
    ticks++;
    tickInFlight = engine
      .onTick(now_ms())
      .catch((e: unknown) => log('error', 'engine_tick_failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        tickInFlight = null;
        syncIgnoreList();
      });
  }, config.daemon.tick_ms);

  log('info', 'daemon_started', { ipc_socket: ipc.path, rpc_file: opts.backend ? null : config.lightning.rpc_file });

  let stopping: Promise<void> | null = null;
  return {
    ipcPath: ipc.path,
    backend,
    engine,
    stats: () => ({ events_handled: queue.handled, events_queued: queue.length, rejected_lines: rejected, plugin_connections: ipc?.connections() ?? 0, ticks, inbound: gate.status(queue.length) }),
    deliver: (peerId, payloadHex) =>
      new Promise<void>((resolve) => {
        if (!accepting || !admitted({ op: 'custommsg', peer_id: peerId, payload: payloadHex })) return resolve();
        queue.push({ ev: { op: 'custommsg', peer_id: peerId, payload: payloadHex }, via: 'swarm', done: resolve });
      }),
    idle: () => queue.idle(),
    stop: () => {
      stopping ??= (async () => {
        accepting = false;
        nodeEvents?.stop();
        clearInterval(tickTimer);
        await ipc?.close();
        let grace: ReturnType<typeof setTimeout> | undefined;
        const expired = new Promise<boolean>((resolve) => {
          grace = setTimeout(() => resolve(false), config.daemon.shutdown_grace_ms);
        });
        const drained = await Promise.race([queue.idle().then(() => true), expired]);
        clearTimeout(grace);
        if (!drained) log('warn', 'shutdown_grace_expired', { events_left: queue.length });
        await tickInFlight;
        await engine.close?.();
        owned?.close();
        log('info', 'daemon_stopped', {});
      })();
      return stopping;
    },
  };
}
