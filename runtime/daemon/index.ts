/**
 * runtime/daemon: the `hivebox run` driver (composition only) and its simulation twin.
 * `startDaemon` runs one daemon against a NodeBackend with an injected engine; `startAppliance`
 * wraps it for systemd (sd_notify, supervisor, MQTT status; appliance.ts); `startSimFleet` runs
 * N simulated CLN nodes, each with the real plugin and its own daemon.
 */
export { startAppliance, type Appliance, type ApplianceOptions, type ApplianceSigner } from './appliance.ts';
export { SupervisorSection, type SupervisorSettings } from './appliance-config.ts';
export { DAEMON_INTERNAL_ERROR, startDaemon, type Daemon, type DaemonOptions, type DaemonStats } from './daemon.ts';
export { RpcFailure, type EngineContext, type EngineFactory, type HiveEngine, type LogFn } from './engine.ts';
export { jsonLogger, type LogLevel } from './log.ts';
export { startSimFleet, type SimFleet, type SimFleetMember, type SimFleetNodeSpec, type SimFleetOptions } from './sim-fleet.ts';
