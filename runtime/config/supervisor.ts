/**
 * The `[supervisor]` section of the hivebox configuration (issue 6 §2–3): how `hivebox run`
 * watches the parts of the appliance (probe period and timeout, startup and stop limits, restart
 * backoff and budget) and which of them it may restart. Defaults match the shipped units in
 * systemd/ (hivebox.service: TimeoutStartSec=180, TimeoutStopSec=20; hivebox-lightningd.service
 * loads /usr/lib/hivebox/hivebox-plugin; the polkit rule allows restarting mosquitto.service and
 * hivebox-swarm.service).
 */
import { z } from 'zod';
import type { RestartPolicy } from '../core/health/restart-policy.ts';

const unitName = z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9:_.\\@-]{1,255}\.service$/, 'a systemd service name (or "" for none)')]);

/** `[supervisor]`. */
export const SupervisorSection = z
  .object({
    /** Period of the health probes, ms. */
    interval_ms: z.number().int().min(100).max(600_000).default(5_000),
    /** Bound on one probe, ms. */
    probe_timeout_ms: z.number().int().min(50).max(60_000).default(5_000),
    /** Longest wait for the store, signer check and lightningd before the daemon gives up (below TimeoutStartSec=180). */
    startup_timeout_s: z.number().int().min(1).max(3_600).default(120),
    /** Graceful stop budget on SIGTERM, s; the process exits non-zero when it runs out (below TimeoutStopSec=20). */
    stop_timeout_s: z.number().int().min(1).max(600).default(15),
    /** The Hivebox plugin as lightningd knows it (`plugin list` name, `plugin start` path); "" = not supervised. */
    plugin_path: z.string().default('/usr/lib/hivebox/hivebox-plugin'),
    /** Local broker unit restarted when the MQTT connection is down; "" = observe only (remote broker). Used only with `[mqtt] url`. */
    mosquitto_unit: unitName.default('mosquitto.service'),
    /** The hyperswarm sidecar's unit (systemd/hivebox-swarm.service) once it ships; "" = no sidecar. */
    swarm_unit: unitName.default(''),
    /** Restart backoff: first wait, s (doubles up to `restart_max_backoff_s`). */
    restart_base_backoff_s: z.number().int().min(0).max(600).default(2),
    restart_max_backoff_s: z.number().int().min(1).max(3_600).default(60),
    /** At most this many restarts of one component per `restart_window_s`, then it is given up on. */
    restart_budget: z.number().int().min(1).max(100).default(5),
    restart_window_s: z.number().int().min(1).max(86_400).default(600),
  })
  .strict();

/** Validated `[supervisor]` section. */
export type SupervisorSettings = z.infer<typeof SupervisorSection>;

/** The restart policy a section selects (runtime/core/health/restart-policy.ts). */
export function restartPolicyOf(s: SupervisorSettings): RestartPolicy {
  return { base_backoff_s: s.restart_base_backoff_s, max_backoff_s: s.restart_max_backoff_s, budget: s.restart_budget, window_s: s.restart_window_s };
}
