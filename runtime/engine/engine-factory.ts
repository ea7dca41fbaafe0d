/**
 * Building the engine for the daemon: ask lightningd who we are (getinfo), open the membership
 * store, pick the signer, and hand back a `HiveboxEngine`. `configuredEngineFactory` is what
 * `hivebox run` uses (store path and signer from the `[hive]` / `[signer]` config sections);
 * `hiveEngineFactory` takes them explicitly (simnet fleets, `hivebox demo`, tests).
 */
import type { Signer } from '../core/ports.ts';
import { isNodeId } from '../core/types.ts';
import type { EngineContext, EngineFactory } from '../daemon/engine.ts';
import { createSigner } from '../../hw/host/signer-config.ts';
import { openFleetStore } from '../../services/store/fleet-store.ts';
import { openPlannerStore } from '../../services/store/planner-store.ts';
import type { HiveSettings } from './config.ts';
import type { EngineEventSink } from './events.ts';
import { HiveboxEngine } from './hive-engine.ts';
import { DEFAULT_PLANNER_SETTINGS, type PlannerSettings } from './planner-settings.ts';
import { secureRandom, type RandomSource } from './random.ts';

/** What an engine is built with besides the daemon's context. */
export interface EngineSetup {
  /** SQLite node store path (membership and fleet tables; `:memory:` for throwaway tests). */
  readonly store_path: string;
  readonly signer: Signer;
  readonly settings: HiveSettings;
  /** `[planner]` settings (default: defaults). */
  readonly planner?: PlannerSettings;
  /** Default: the OS CSPRNG. */
  readonly random?: RandomSource;
  readonly onEvent?: EngineEventSink;
}

/**
 * An EngineFactory over explicit parts.
 * @throws Error (a daemon startup error) when lightningd's getinfo fails or the store cannot open.
 */
export function hiveEngineFactory(setup: EngineSetup): EngineFactory {
  return async (ctx: EngineContext) => {
    const info = await ctx.backend.getinfo();
    if (!info.ok) throw new Error(`cannot start the Hive engine: lightningd getinfo failed: ${info.error.message}`);
    if (!isNodeId(info.value.id)) throw new Error(`cannot start the Hive engine: getinfo id ${JSON.stringify(info.value.id)} is not a node id`);
    const store = openFleetStore(setup.store_path, Math.floor(ctx.now_ms() / 1000));
    if (!store.ok) {
      const e = store.error;
      throw new Error(`cannot open the node store ${setup.store_path}: ${e.kind === 'schema_too_new' ? `written by a newer hivebox (schema ${e.found})` : e.reason}`);
    }
    const plannerStore = openPlannerStore(setup.store_path, Math.floor(ctx.now_ms() / 1000));
    if (!plannerStore.ok) throw new Error(`cannot open the planner tables of ${setup.store_path}: ${plannerStore.error.kind}`);
    return new HiveboxEngine({
      backend: ctx.backend,
      signer: setup.signer,
      store: store.value,
      settings: setup.settings,
      our_node_id: info.value.id,
      our_features_hex: info.value.our_features?.init ?? '',
      now_ms: ctx.now_ms,
      random: setup.random ?? secureRandom,
      log: ctx.log,
      ...(setup.onEvent ? { onEvent: setup.onEvent } : {}),
      planner: { store: plannerStore.value, settings: setup.planner ?? DEFAULT_PLANNER_SETTINGS },
    });
  };
}

/** The engine `hivebox run` starts: store and signer from the daemon configuration. */
export const configuredEngineFactory: EngineFactory = (ctx) =>
  hiveEngineFactory({ store_path: ctx.config.hive.store_path, signer: createSigner(ctx.config.signer), settings: ctx.config.hive, planner: ctx.config.planner })(ctx);
