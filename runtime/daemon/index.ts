/**
 * runtime/daemon: the `hivebox run` shell. `startDaemon` runs one daemon against a NodeBackend with an
 * injected engine; `startAppliance` wraps it for systemd (sd_notify, supervisor, MQTT status;
 * appliance.ts). Simulated fleets of daemons are in runtime/sim.
 */
export { startAppliance, type Appliance, type ApplianceOptions, type ApplianceSigner } from './appliance.ts';
export { DAEMON_INTERNAL_ERROR, startDaemon, type Daemon, type DaemonOptions, type DaemonStats } from './daemon.ts';
export { jsonLogger, type LogLevel } from './log.ts';
