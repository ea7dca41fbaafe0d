/**
 * The parts of the appliance `hivebox run` supervises (issue 6 §3), built from the `[supervisor]`
 * and `[mqtt]` sections. READY=1 waits for the first three (`required_for_ready`):
 *  - `store`      the node store answers on its own read-only SQLite connection (critical);
 *  - `lightningd` its RPC answers `getinfo` — observed only: lightningd.service restarts it on a
 *                 crash, and restarting a Lightning node because one call was slow would be worse;
 *  - `signer`     the signer check: ready once it has been probed, up or not — an unplugged signer
 *                 makes the box `degraded` with the reason, it does not hold READY back;
 * and, when configured:
 *  - `lnd`        (`[lnd] enabled`, in place of lightningd and the plugin) its unit is active and
 *                 GetInfo answers; restarted through the unit;
 *  - `plugin`     listed active in `plugin list`; restarted with `plugin start` (lightningd never
 *                 restarts a plugin that died); it runs in lightningd, so while lightningd is down
 *                 the supervisor waits for it instead of spending the plugin's restart budget;
 *  - `mosquitto`  the MQTT client holds a broker session; the local broker's unit is restarted;
 *  - `swarm`      with `[swarm] enabled`: the swarm transport's sidecar (swarm-link.ts), down with
 *                 "swarm down" while it is; restarted through `swarm_unit` when one is named (a
 *                 spawned sidecar is restarted by the transport itself). Without `[swarm] enabled`,
 *                 a named `swarm_unit` is only watched as a unit.
 */
import { Database } from 'bun:sqlite';
import type { RestartPolicy } from '../core/health/restart-policy.ts';
import type { NodeBackend } from '../core/ports.ts';
import type { HiveboxConfig } from '../config/schema.ts';
import { lightningdComponent, pluginComponent, signerComponent, unitComponent, type PluginRpc, type ProbedSigner } from '../../services/systemd/components.ts';
import type { ProbeResult, SupervisedComponent } from '../../services/systemd/supervisor.ts';
import type { UnitControl } from '../../services/systemd/systemctl.ts';
import { restartPolicyOf } from '../config/supervisor.ts';

/** What the components are built over. */
export interface ApplianceParts {
  readonly config: HiveboxConfig;
  /** lightningd RPC for probes (its own connection, so a busy engine never delays a probe). */
  readonly backend: Pick<NodeBackend, 'getinfo'>;
  readonly plugins: PluginRpc;
  readonly signer: ProbedSigner;
  readonly units: UnitControl;
  /** The MQTT broker session, when `[mqtt] url` is set. */
  readonly mqtt: { readonly url: string; connectedWithin(timeout_ms: number): Promise<boolean> } | null;
  /** The swarm transport's probe (SwarmLink.probe), when `[swarm] enabled`. */
  readonly swarm: { probe(): Promise<ProbeResult> } | null;
}

/** A set of components and what must be released with them. */
export interface ApplianceComponents {
  readonly components: readonly SupervisedComponent[];
  close(): void;
}

/** How long the MQTT probe waits for a session being (re)established before calling it down, ms. */
const MQTT_CONNECT_GRACE_MS = 2_000;

/** The store: `SELECT count(*) FROM sqlite_master` on a separate read-only connection. */
function storeComponent(path: string): { component: SupervisedComponent; close(): void } {
  let db: Database | null = null;
  return {
    component: {
      name: 'store',
      required_for_ready: true,
      critical: true,
      async probe() {
        try {
          db ??= new Database(path, { readonly: true });
          db.query('SELECT count(*) AS n FROM sqlite_master').get();
          return { up: true };
        } catch (e) {
          db?.close();
          db = null;
          return { up: false, reason: `${path}: ${e instanceof Error ? e.message : String(e)}` };
        }
      },
    },
    close: () => db?.close(),
  };
}

/** The broker session of the MQTT publisher; restarts the local broker unit when one is named. */
function mqttComponent(mqtt: { url: string; connectedWithin(timeout_ms: number): Promise<boolean> }, unit: string, units: UnitControl, policy: RestartPolicy): SupervisedComponent {
  const restart = unit === '' ? {} : { restart: unitComponent('mosquitto', unit, units).restart! };
  return {
    name: 'mosquitto',
    required_for_ready: false,
    critical: false,
    policy,
    async probe() {
      return (await mqtt.connectedWithin(MQTT_CONNECT_GRACE_MS)) ? { up: true } : { up: false, reason: `broker ${mqtt.url} not connected` };
    },
    ...restart,
  };
}

/** LND: up when its unit is active and `GetInfo` answers; restarted through its unit (`[lnd] service`). */
function lndComponent(backend: Pick<NodeBackend, 'getinfo'>, unit: string, units: UnitControl, policy: RestartPolicy): SupervisedComponent {
  const service = unitComponent('lnd', unit, units, { required_for_ready: true, policy });
  return {
    ...service,
    async probe() {
      const state = await service.probe();
      if (!state.up) return state;
      const r = await backend.getinfo();
      return r.ok ? { up: true } : { up: false, reason: `GetInfo: ${r.error.message}` };
    },
  };
}

/** The swarm transport: its own probe; restarts `unit` (systemd/hivebox-swarm.service) when one is named. */
function swarmComponent(swarm: { probe(): Promise<ProbeResult> }, unit: string, units: UnitControl, policy: RestartPolicy): SupervisedComponent {
  const restart = unit === '' ? {} : { restart: unitComponent('swarm', unit, units).restart! };
  return { name: 'swarm', required_for_ready: false, critical: false, policy, probe: () => swarm.probe(), ...restart };
}

/** Build the supervised components from the configuration. */
export function applianceComponents(p: ApplianceParts): ApplianceComponents {
  const s = p.config.supervisor;
  const policy = restartPolicyOf(s);
  const store = storeComponent(p.config.hive.store_path);
  // On LND there is no plugin: the supervisor watches lnd's unit (its gRPC answers are the daemon's own streams).
  const lnd = p.config.lnd.enabled;
  const components: SupervisedComponent[] = [
    store.component,
    lnd ? lndComponent(p.backend, p.config.lnd.service, p.units, policy) : lightningdComponent(p.backend, undefined, { required_for_ready: true }),
    signerComponent(p.signer, 'invite', { required_for_ready: false }),
  ];
  if (!lnd && s.plugin_path !== '') components.push({ ...pluginComponent(p.plugins, s.plugin_path, { policy }), runs_in: 'lightningd' });
  if (p.mqtt) components.push(mqttComponent(p.mqtt, s.mosquitto_unit, p.units, policy));
  if (p.swarm) components.push(swarmComponent(p.swarm, s.swarm_unit, p.units, policy));
  else if (s.swarm_unit !== '') components.push(unitComponent('swarm', s.swarm_unit, p.units, { policy }));
  return { components, close: store.close };
}
