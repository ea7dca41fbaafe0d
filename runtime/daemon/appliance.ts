/**
 * `hivebox run` as an appliance (issue 6 §2–4): composition only — the logic lives in the modules
 * it wires together.
 *
 * Start: sd_notify watchdog pings from the event loop at once (services/systemd/sd-notify.ts); the
 * IPC socket answers from the first second with the start-up line (starting-ipc.ts) until the
 * daemon takes the same socket over; STATUS= "starting: waiting for lightningd …" until lightningd answers `getinfo` (bounded by
 * `[supervisor] startup_timeout_s`); the daemon shell with the configured engine (Hive engine +
 * management sub-engine, runtime/node/compose/engine-factory.ts); the MQTT status publisher when
 * `[mqtt] url` is set; then the supervisor over the appliance's components
 * (appliance-components.ts). READY=1 goes out when the health machine leaves `starting`: the
 * store and lightningd have been up and the signer has been checked (an absent signer is reported
 * as `degraded`, not waited for). Every health transition is logged, sent as STATUS= and published.
 *
 * Enrolment: the hive role first boot wrote (`[daemon] hive_role_file`) is applied once the engine
 * runs — genesis or join with the ticket — while this node is in no hive (hive-role.ts).
 *
 * Swarm (`[swarm] enabled`, swarm-link.ts): the engine's backend and inbound path are wrapped for
 * the hyperswarm fallback transport, which starts once the node is in a hive; admitted GOSSIP
 * bindings go to it, and its health is the supervisor's `swarm` component.
 *
 * Engine events become MQTT `event/<kind>` messages and republish the retained state
 * (appliance-status.ts). A health of `failed` (a critical component given up on, or startup timed
 * out) calls `onFailed`: `hivebox run` stops and exits non-zero for systemd's Restart=.
 *
 * Stop (SIGTERM): STOPPING=1, supervisor off, the swarm transport stops (its sidecar shuts down,
 * frames already admitted are handed to the daemon), the daemon stops intake, drains in-flight events,
 * lets the running tick finish and closes the engine (each step's writes — the outbox rows
 * included — are already committed; closing checkpoints the WAL), then `offline` is published
 * (retained; a clean disconnect keeps the last will from firing) and the signer is released.
 */
import { dirname, join } from 'node:path';
import type { HealthState } from '../core/health/health-machine.ts';
import type { NodeBackend, Signer } from '../core/ports.ts';
import type { HiveboxConfig } from '../config/schema.ts';
import { configuredEngineFactory, type ConfiguredEngineParts, type NodeSettings } from '../node/compose/engine-factory.ts';
import type { ChannelsResult } from '../node/hive/channel-monitor.ts';

import type { EngineEvent } from '../node/events.ts';
import type { HiveboxEngine } from '../node/hive/hive-engine.ts';
import type { StatusResult } from '../node/hive/rpc/status.ts';
import { versionLine } from './version.ts';
import pkg from '../../package.json' with { type: 'json' };
import { createSigner } from '../../hw/host/signer-config.ts';
import { ClnNodeBackend, clnPluginRpc, LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import { mqttConfigOf } from '../../services/mqtt/config.ts';
import type { StatusPublisher } from '../../services/mqtt/publisher.ts';
import type { ProbedSigner } from '../../services/systemd/components.ts';
import { openNotifier, type Notifier } from '../../services/systemd/sd-notify.ts';
import { systemctl, type UnitControl } from '../../services/systemd/systemctl.ts';
import { createSupervisor, type Supervisor } from '../../services/systemd/supervisor.ts';
import { applianceComponents } from './appliance-components.ts';
import { changesState, mqttEventOf, statusSnapshot, statusText } from './appliance-status.ts';
import { startDaemon, type Daemon } from './daemon.ts';
import { startHiveRole } from './hive-role.ts';
import { listenWhileStarting, type StartupListener } from './starting-ipc.ts';
import type { EngineFactory, LogFn } from '../node/engine.ts';
import { jsonLogger } from './log.ts';
import { openNodeBackend } from './node-backend.ts';
import type { SwarmLink } from '../node/swarm/swarm-link.ts';

/** The fleet signer as the appliance holds it: probed by the supervisor, released on stop. */
export type ApplianceSigner = Signer & ProbedSigner & { close?: () => Promise<void> };

/** Inputs of `startAppliance`. */
export interface ApplianceOptions {
  /** Validated configuration (`loadConfig`). */
  readonly config: HiveboxConfig;
  /** Environment systemd started us with (NOTIFY_SOCKET, WATCHDOG_USEC); default `process.env`. */
  readonly env?: Record<string, string | undefined>;
  /** The fleet signer; default `createSigner(config.signer)` (the USB signer). */
  readonly signer?: ApplianceSigner;
  /** Builds the engine from the appliance's parts; default `configuredEngineFactory`. */
  readonly engineFactory?: (parts: ConfiguredEngineParts) => EngineFactory;
  /** systemd unit control for restarts; default the `systemctl` binary. */
  readonly units?: UnitControl;
  /** Log sink; default JSON lines on stderr at `config.log.level`. */
  readonly log?: LogFn;
  /** Clock, unix ms; default `Date.now`. */
  readonly now_ms?: () => number;
  /** Health reached `failed`; the caller stops the appliance and exits non-zero. */
  readonly onFailed?: (health: HealthState) => void;
}

/** A running appliance. */
export interface Appliance {
  readonly daemon: Daemon;
  readonly supervisor: Supervisor;
  readonly notifier: Notifier;
  /** The MQTT publisher, or null when `[mqtt] url` is unset. */
  readonly publisher: StatusPublisher | null;
  /** The swarm transport's link, or null unless `[swarm] enabled`. */
  readonly swarm: SwarmLink | null;
  /** Graceful stop (see the file header). Idempotent. */
  stop(reason?: string): Promise<void>;
}

/** Delay that collects a burst of engine events into one state publish, ms. */
const REFRESH_DEBOUNCE_MS = 200;

/** Engine events after which the retained channel health summary is republished at once. */
const CHANNEL_ALERT_EVENTS: ReadonlySet<string> = new Set(['channel_alert', 'channel_alert_cleared']);

/** The engine's channel health summary (`hive-channels`), or null when its engine has none (a test engine). */
async function channelSummary(d: Daemon): Promise<ChannelsResult['summary']> {
  try {
    return ((await d.engine.rpc('hive-channels', {})) as ChannelsResult).summary;
  } catch {
    return null;
  }
}

/** The engines' own sections of the configuration (`[hive]`, `[planner]`, `[signer]`, `[mgmt]`, lightningd's gossip_store beside its socket). */
function nodeSettingsOf(config: HiveboxConfig): NodeSettings {
  return { hive: config.hive, planner: config.planner, signer: config.signer, mgmt: config.mgmt, gossip_store_path: join(dirname(config.lightning.rpc_file), 'gossip_store') };
}

/**
 * Wait until lightningd answers `getinfo`, saying so (`say`: STATUS= and the start-up socket) while it does not.
 * @throws Error after `timeout_s` with the last reason.
 */
async function waitForLightningd(rpc: Pick<NodeBackend, 'getinfo'>, say: (line: string) => void, config: HiveboxConfig, log: LogFn): Promise<string> {
  const where = nodeLabel(config);
  const deadline = Date.now() + config.supervisor.startup_timeout_s * 1000;
  let said = '';
  for (;;) {
    const r = await rpc.getinfo();
    if (r.ok) return r.value.id;
    const line = `starting: waiting for ${where} (${r.error.message})`;
    if (line !== said) {
      said = line;
      say(line);
      log('warn', 'lightningd_unavailable', { rpc_file: config.lightning.rpc_file, error: r.error.message });
    }
    if (Date.now() > deadline) throw new Error(`${config.lnd.enabled ? 'lnd' : 'lightningd'} did not answer getinfo within ${config.supervisor.startup_timeout_s} s: ${r.error.message}`);
    await Bun.sleep(Math.min(1000, config.supervisor.interval_ms));
  }
}

/** The node the appliance waits for, as the operator configured it. */
function nodeLabel(config: HiveboxConfig): string {
  return config.lnd.enabled ? `lnd at ${config.lnd.host}:${config.lnd.port}` : `lightningd at ${config.lightning.rpc_file}`;
}

/**
 * Start the appliance.
 * @throws Error at startup only: lightningd never answered, the IPC socket is taken, the engine
 *   or the MQTT CA file could not be opened. STATUS= says why before the throw.
 */
export async function startAppliance(opts: ApplianceOptions): Promise<Appliance> {
  const { config } = opts;
  const log = opts.log ?? jsonLogger(config.log.level);
  const now_ms = opts.now_ms ?? Date.now;
  const now = () => Math.floor(now_ms() / 1000);
  const notifier = openNotifier(opts.env ?? process.env);
  const stopWatchdog = notifier.startWatchdog({ onError: (e) => log('warn', 'sd_notify_failed', { ...e }) });
  const signer = opts.signer ?? createSigner(config.signer);
  const rpc = new LightningRpcClient({ socketPath: config.lightning.rpc_file, callTimeoutMs: config.supervisor.probe_timeout_ms, idPrefix: 'hivebox-supervisor' });
  // Probes use their own connection, so a busy engine never delays one.
  const lndProbes = config.lnd.enabled ? await openNodeBackend({ ...config, lnd: { ...config.lnd, rpc_timeout_ms: config.supervisor.probe_timeout_ms } }) : null;
  const probes: Pick<NodeBackend, 'getinfo'> = lndProbes?.backend ?? new ClnNodeBackend(rpc);
  const mqttConfig = mqttConfigOf(config.mqtt);

  let daemon: Daemon | null = null;
  let publisher: StatusPublisher | null = null;
  let supervisor: Supervisor | null = null;
  let lastStatus: StatusResult | null = null;
  let lastGossipAt: number | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let hiveEngine: HiveboxEngine | null = null;
  // The swarm link (sidecar client, transport, dedup) is loaded only with `[swarm] enabled` (issue 19 §4).
  const swarmLink = config.swarm.enabled ? await import('../node/swarm/swarm-link.ts') : null;
  const swarm = swarmLink ? new swarmLink.SwarmLink({ settings: config.swarm, log, now_ms }) : null;

  async function readStatus(): Promise<StatusResult> {
    lastStatus = { ...((await daemon!.engine.rpc('hive-status', {})) as StatusResult), inbound: daemon!.stats().inbound };
    return lastStatus;
  }

  let lastLine = '';
  let lastState = '';
  const snapshotOf = (status: StatusResult) => statusSnapshot({ status, health: supervisor!.health(), now: now(), last_gossip_at: lastGossipAt });

  /** Say `line` in STATUS= unless it is what systemd shows already. */
  function sayStatus(line: string): void {
    if (line === lastLine) return;
    lastLine = line;
    notifier.status(line);
  }

  /**
   * Re-read the status; when it changed, update STATUS= (after READY) and republish the retained
   * MQTT state (the publisher also republishes every `state_interval_s` to keep ages fresh).
   */
  async function refresh(): Promise<void> {
    if (!daemon || !supervisor) return;
    const status = await readStatus().catch((e: unknown) => void log('warn', 'status_read_failed', { error: e instanceof Error ? e.message : String(e) }));
    if (!status) return;
    if (supervisor.health().ready) sayStatus(statusText(supervisor.health(), status));
    const state = JSON.stringify({ ...snapshotOf(status), last_gossip_age_s: null });
    if (state === lastState) return;
    lastState = state;
    await publisher?.publishState();
  }

  function onEvent(e: EngineEvent): void {
    if (e.kind === 'fleet_event' && CHANNEL_ALERT_EVENTS.has(e.name)) void publisher?.publishState();
    if (e.kind === 'received' && e.type === 'GOSSIP') lastGossipAt = now();
    if (e.kind === 'swarm_binding') swarm?.learnBinding(e.statement);
    if (changesState(e)) void swarm?.sync();
    const ev = mqttEventOf(e);
    if (ev && publisher) void publisher.publishEvent(ev.kind, ev.payload).then((r) => !r.ok && log('warn', 'mqtt_event_not_published', { kind: ev.kind, error: r.error.kind }));
    if (changesState(e) && !refreshTimer) {
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void refresh();
      }, REFRESH_DEBOUNCE_MS);
    }
  }

  async function release(): Promise<void> {
    if (refreshTimer) clearTimeout(refreshTimer);
    stopWatchdog();
    await signer.close?.();
    rpc.close();
    lndProbes?.close();
  }

  let startLine = `starting: waiting for ${nodeLabel(config)}`;
  const sayStarting = (line: string) => {
    startLine = line;
    notifier.status(line);
  };
  let starting: StartupListener | null = null;
  try {
    // The MQTT client loads while lightningd is awaited, not after the engine is up (issue 19 §4, READY).
    const publisherModule = mqttConfig ? import('../../services/mqtt/publisher.ts') : null;
    publisherModule?.catch(() => undefined); // a load failure is thrown where it is awaited below
    starting = await listenWhileStarting(config, () => startLine, log);
    const nodeId = await waitForLightningd(probes, sayStarting, config, log);
    sayStarting(`starting: opening the node store ${config.hive.store_path}`);
    const engineFactory = (opts.engineFactory ?? configuredEngineFactory)({
      settings: nodeSettingsOf(config),
      signer,
      onEvent,
      onHiveEngine: (e) => (hiveEngine = e),
      ...(swarm ? { swarmBinding: () => swarm.binding } : {}),
    });
    daemon = await startDaemon({ config, engineFactory: swarm ? swarm.engineFactory(engineFactory) : engineFactory, log, now_ms, listener: starting });
    starting = null;
    await readStatus();
    const running = daemon;
    if (swarm && swarmLink) await swarm.attach({ deliver: (peerId, hex) => running.deliver(peerId, hex), backend: running.backend, view: () => (hiveEngine ? swarmLink.swarmViewOf(hiveEngine.state.fleet.membership) : null) });

    const parts = applianceComponents({
      config,
      backend: probes,
      plugins: clnPluginRpc(rpc, { 'hivebox-socket': config.daemon.ipc_socket }),
      signer,
      units: opts.units ?? systemctl(),
      mqtt: mqttConfig ? { url: mqttConfig.url, connectedWithin: (ms) => publisher?.connectedWithin(ms) ?? Promise.resolve(false) } : null,
      swarm,
    });
    const sup = createSupervisor({
      components: parts.components,
      startup_timeout_s: config.supervisor.startup_timeout_s,
      probe_timeout_ms: config.supervisor.probe_timeout_ms,
      now,
      onReady: (h) => {
        lastLine = statusText(h, lastStatus);
        notifier.ready(lastLine);
        log('info', 'ready', { health: h.status, version: versionLine() });
      },
      onTransition: (t, h) => {
        log(t.to === 'healthy' ? 'info' : 'warn', 'health_transition', { from: t.from, to: t.to, reasons: t.reasons });
        void refresh();
        if (t.to === 'failed') opts.onFailed?.(h);
      },
      onEvent: (e) => log(e.kind === 'gave_up' ? 'error' : 'warn', `supervisor_${e.kind}`, { ...e }),
    });
    supervisor = sup;
    if (mqttConfig && publisherModule) {
      // The MQTT client (u8-mqtt) loads only when MQTT is configured (issue 19 §4).
      const { startStatusPublisher } = await publisherModule;
      publisher = await startStatusPublisher({
        config: mqttConfig,
        device: { nodeId, swVersion: pkg.version, model: `${process.platform}-${process.arch}` },
        now,
        log: (line) => log('info', 'mqtt', { message: line }),
        snapshot: async () => snapshotOf(await readStatus()),
        channelHealth: () => channelSummary(daemon!),
      });
    }
    const stopSupervisor = sup.start(config.supervisor.interval_ms);
    const statusTimer = setInterval(() => void refresh(), config.supervisor.interval_ms);
    const enrolment = startHiveRole({ path: config.daemon.hive_role_file, retry_s: config.daemon.hive_role_retry_s, engine: daemon.engine, log, now });
    void enrolment.settled.then(() => refresh());

    const d = daemon;
    const pub = publisher;
    let stopping: Promise<void> | null = null;
    return {
      daemon: d,
      supervisor: sup,
      notifier,
      publisher: pub,
      swarm,
      stop: (reason = 'SIGTERM') => {
        stopping ??= (async () => {
          notifier.stopping(`stopping (${reason}): finishing in-flight events, closing the store`);
          log('info', 'stopping', { reason });
          stopSupervisor();
          clearInterval(statusTimer);
          enrolment.stop();
          await swarm?.stop();
          await d.stop();
          parts.close();
          await pub?.close();
          await release();
        })();
        return stopping;
      },
    };
  } catch (e) {
    notifier.status(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await starting?.server.close();
    await swarm?.stop();
    await daemon?.stop();
    await publisher?.close();
    await release();
    throw e;
  }
}
