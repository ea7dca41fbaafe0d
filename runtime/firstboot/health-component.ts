/**
 * The `firstboot` component for the daemon's supervisor (services/systemd/supervisor.ts): up when
 * the last `hivebox firstboot` run was clean, down with the settings problems as reason otherwise,
 * so the box reports `degraded` and `health_reasons` on MQTT (e.g. `firstboot (bitcoind.rpc_host:
 * missing: lightningd cannot reach bitcoind)`). Observe-only (no restart: the fix is editing
 * hivebox.toml and rebooting); not needed for READY and never fatal. Add it on the appliance only:
 * elsewhere there is no status file and the component would always be down.
 */
import { readFile } from 'node:fs/promises';
import type { SupervisedComponent } from '../../services/systemd/supervisor.ts';
import { BOX_PATHS } from '../config/box-paths.ts';
import { FIRSTBOOT_COMPONENT, firstbootObservation } from './status.ts';

/** A supervised component reading the firstboot status file at `statusPath`. */
export function firstbootComponent(statusPath: string = BOX_PATHS.status): SupervisedComponent {
  return {
    name: FIRSTBOOT_COMPONENT,
    required_for_ready: false,
    critical: false,
    async probe() {
      const text = await readFile(statusPath, 'utf8').catch(() => null);
      const o = firstbootObservation(text);
      return o.up ? { up: true } : { up: false, reason: o.reason ?? 'firstboot problem' };
    },
  };
}
