/**
 * Ready-made supervised components (issue 6 §3): systemd units (mosquitto, the hyperswarm sidecar,
 * lightningd itself), lightningd's RPC (`getinfo`), the Hivebox CLN plugin (`plugin list` /
 * `plugin start`: lightningd never restarts a plugin that died, CLN doc lightning-plugin(7)), and
 * the hardware signer. Each returns a {@link SupervisedComponent} for createSupervisor.
 */
import type { NodeBackend, NodeResult, Signer, SignerPurpose } from '../../runtime/core/ports.ts';
import { err, ok } from '../../runtime/core/result.ts';
import type { SupervisedComponent } from './supervisor.ts';
import type { UnitControl } from './systemctl.ts';

/** Flags shared by every factory: see ComponentSpec; `policy` overrides the restart policy. */
export type ComponentFlags = Partial<Pick<SupervisedComponent, 'required_for_ready' | 'critical' | 'policy'>>;

const spec = (name: string, flags: ComponentFlags) => ({
  name,
  required_for_ready: flags.required_for_ready ?? false,
  critical: flags.critical ?? false,
  ...(flags.policy ? { policy: flags.policy } : {}),
});

/**
 * A systemd unit: up while `ActiveState=active`; restarted with `systemctl restart --no-block`.
 * Down reasons read like `mosquitto.service failed/failed` or `… not installed`.
 */
export function unitComponent(name: string, unit: string, units: UnitControl, flags: ComponentFlags = {}): SupervisedComponent {
  return {
    ...spec(name, flags),
    async probe() {
      const r = await units.state(unit);
      if (!r.ok) return { up: false, reason: r.error.kind === 'BadUnitName' ? `bad unit name ${unit}` : `systemctl: ${r.error.stderr || `exit ${r.error.exit_code}`}` };
      if (r.value.load_state === 'not-found') return { up: false, reason: `${unit} not installed` };
      return r.value.active_state === 'active' ? { up: true } : { up: false, reason: `${unit} ${r.value.active_state}/${r.value.sub_state}` };
    },
    async restart() {
      const r = await units.restart(unit);
      return r.ok ? ok(undefined) : err(r.error.kind === 'BadUnitName' ? `bad unit name ${unit}` : r.error.stderr);
    },
  };
}

/**
 * lightningd as the daemon needs it: its RPC answers `getinfo`. `restart` is injected (normally the
 * `lightningd.service` unit's restart from {@link unitComponent}); omit it to only observe.
 */
export function lightningdComponent(
  backend: Pick<NodeBackend, 'getinfo'>,
  restart?: SupervisedComponent['restart'],
  flags: ComponentFlags = {},
): SupervisedComponent {
  return {
    ...spec('lightningd', flags),
    async probe() {
      const r = await backend.getinfo();
      return r.ok ? { up: true } : { up: false, reason: `getinfo: ${r.error.message}` };
    },
    ...(restart ? { restart } : {}),
  };
}

/** One entry of CLN's `plugin list` result (doc/schemas/plugin.json, CLN v26.06). */
export interface PluginListEntry {
  /** Full path of the plugin executable. */
  readonly name: string;
  readonly active: boolean;
  readonly dynamic?: boolean;
}

/** The two `plugin` RPC subcommands the supervisor uses (lightning-rpc or simnet). */
export interface PluginRpc {
  /** `plugin list` → `{command: "list", plugins: [...]}`. */
  pluginList(): Promise<NodeResult<{ plugins: readonly PluginListEntry[] }>>;
  /** `plugin start <path>` (blocks until the plugin answered `getmanifest`/`init`). */
  pluginStart(path: string): Promise<NodeResult<unknown>>;
}

/** The Hivebox plugin inside lightningd: up while `plugin list` shows `path` active; restarted with `plugin start path`. */
export function pluginComponent(rpc: PluginRpc, path: string, flags: ComponentFlags = {}): SupervisedComponent {
  return {
    ...spec('plugin', flags),
    async probe() {
      const r = await rpc.pluginList();
      if (!r.ok) return { up: false, reason: `plugin list: ${r.error.message}` };
      const entry = r.value.plugins.find((p) => p.name === path);
      if (!entry) return { up: false, reason: `${path} not in plugin list` };
      return entry.active ? { up: true } : { up: false, reason: `${path} not active` };
    },
    async restart() {
      const r = await rpc.pluginStart(path);
      return r.ok ? ok(undefined) : err(`plugin start: ${r.error.message}`);
    },
  };
}

/**
 * The fleet-admin hardware signer: up while it answers `publicKey(purpose)`. Observe-only: a USB
 * device is re-plugged by a person, not restarted by software.
 */
export function signerComponent(signer: Pick<Signer, 'publicKey'>, purpose: SignerPurpose = 'governance', flags: ComponentFlags = {}): SupervisedComponent {
  return {
    ...spec('signer', flags),
    async probe() {
      const r = await signer.publicKey(purpose);
      if (r.ok) return { up: true };
      const e = r.error;
      return { up: false, reason: 'reason' in e ? `${e.kind}: ${e.reason}` : e.kind };
    },
  };
}
