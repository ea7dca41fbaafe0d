/**
 * runtime/node: the drivers between the pure core and the adapters. At the bottom the engine contract
 * (`engine.ts`: what the daemon shell calls, what it hands an engine), then one folder per subsystem:
 * `hive/` (the Hive engine and its `hive-*` commands), `planner/` (the planner loop the Hive engine
 * ticks), `mgmt/` (the remote-management engine), `swarm/` (the swarm fallback link), and
 * `engine-factory.ts`, which builds them for `hivebox run`. Re-exports only.
 */
export { RpcFailure, type EngineContext, type EngineFactory, type HiveEngine, type LogFn, type SubEngine } from './engine.ts';
export { composeEngines } from './compose/compose-engines.ts';
export { withStages, type EngineStage } from './stages.ts';
export { configuredEngineFactory, hiveEngineFactory, type ConfiguredEngineParts, type EngineSetup } from './compose/engine-factory.ts';
export type { EngineEvent, EngineEventSink } from './events.ts';
