/**
 * Building the engine for the daemon: ask lightningd who we are (getinfo), open the membership
 * store, pick the signer, and hand back a `HiveboxEngine`. `configuredEngineFactory` is what
 * `hivebox run` uses (store path, signer and planner settings from the `[hive]` / `[signer]` /
 * `[planner]` config sections, and the management sub-engine from `[mgmt]` composed with it);
 * `hiveEngineFactory` takes its parts explicitly (simnet fleets, `hivebox demo`, tests).
 */
import { gossipStoreGraph } from '../../../services/graph/gossip-store-file.ts';
import type { PublicGraphSource } from '../planner/planner-inputs.ts';
import type { Signer } from '../../core/ports.ts';
import type { BindingStatement } from '../../core/swarm/index.ts';
import { isNodeId } from '../../core/types.ts';
import { composeEngines } from './compose-engines.ts';
import type { EngineContext, EngineFactory } from '../engine.ts';
import { createSigner, type SignerConfig } from '../../../hw/host/signer-config.ts';
import { mgmtWanted, type MgmtSettings } from '../mgmt/config.ts';
import type { OpenedMgmt } from '../mgmt/open-mgmt.ts';
import { openFleetStore } from '../../../services/store/fleet-store.ts';
import { openPlannerStore } from '../../../services/store/planner-store.ts';
import type { HiveSettings } from '../hive/config.ts';
import type { EngineEventSink } from '../events.ts';
import { HiveboxEngine } from '../hive/hive-engine.ts';
import { DEFAULT_PLANNER_SETTINGS, type PlannerSettings } from '../planner/planner-settings.ts';
import { secureRandom, type RandomSource } from '../random.ts';

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
  /** Our current swarm binding for outgoing GOSSIP (HiveEngineDeps.swarmBinding); absent: swarm off. */
  readonly swarmBinding?: () => BindingStatement | null;
  /** The resident gossip_store graph for the planner (absent: `listchannels` every cycle). */
  readonly publicGraph?: PublicGraphSource;
}

/**
 * Build the Hive engine over explicit parts for the daemon's context.
 * @throws Error (a daemon startup error) when lightningd's getinfo fails or the store cannot open.
 */
export async function buildHiveEngine(setup: EngineSetup, ctx: EngineContext): Promise<HiveboxEngine> {
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
    ...(setup.swarmBinding ? { swarmBinding: setup.swarmBinding } : {}),
    planner: { store: plannerStore.value, settings: setup.planner ?? DEFAULT_PLANNER_SETTINGS, ...(setup.publicGraph ? { publicGraph: setup.publicGraph } : {}) },
  });
}

/**
 * An EngineFactory over explicit parts (simnet fleets, `hivebox demo`, tests).
 * @throws Error (a daemon startup error) as {@link buildHiveEngine}.
 */
export function hiveEngineFactory(setup: EngineSetup): EngineFactory {
  return (ctx) => buildHiveEngine(setup, ctx);
}

/** The config sections the engines of `hivebox run` are built with (each engine gets its own). */
export interface NodeSettings {
  /** `[hive]`: the Hive engine's store and handshake settings. */
  readonly hive: HiveSettings;
  /** `[planner]`: the planner loop's settings. */
  readonly planner: PlannerSettings;
  /** `[signer]`: how the fleet signer is reached. */
  readonly signer: SignerConfig;
  /** `[mgmt]`: the remote-management engine's settings. */
  readonly mgmt: MgmtSettings;
  /** lightningd's `gossip_store` file (beside its `lightning-rpc` socket): the planner's resident graph. */
  readonly gossip_store_path: string;
}

/** What the caller of `configuredEngineFactory` supplies or wants back. */
export interface ConfiguredEngineParts {
  /** The engines' config sections. */
  readonly settings: NodeSettings;
  /** The fleet signer (default: `createSigner(settings.signer)`); pass it when the caller also watches it. */
  readonly signer?: Signer;
  readonly onEvent?: EngineEventSink;
  /** Receives the Hive engine itself (status views) once built. */
  readonly onHiveEngine?: (engine: HiveboxEngine) => void;
  /** Our current swarm binding for outgoing GOSSIP (`[swarm]`, runtime/node/swarm/swarm-link.ts). */
  readonly swarmBinding?: () => BindingStatement | null;
}

/**
 * The engine `hivebox run` starts: the Hive engine over the `[hive]` store with the `[signer]`
 * signer, composed with the management sub-engine when `[mgmt]` enables it (or sets an advisor
 * key): management traffic and `hive-mgmt-*` commands go to it, the rest to the Hive engine;
 * its pending actions (advisor proposals, payouts) join the operator's queue.
 * @throws Error (startup) as `hiveEngineFactory`, or when the mgmt store or advisor key cannot be opened.
 */
export function configuredEngineFactory(parts: ConfiguredEngineParts): EngineFactory {
  return async (ctx) => {
    const config = parts.settings;
    const signer = parts.signer ?? createSigner(config.signer);
    const publicGraph = gossipStoreGraph(config.gossip_store_path);
    const hive = await buildHiveEngine({ store_path: config.hive.store_path, signer, settings: config.hive, planner: config.planner, publicGraph, ...(parts.onEvent ? { onEvent: parts.onEvent } : {}), ...(parts.swarmBinding ? { swarmBinding: parts.swarmBinding } : {}) }, ctx);
    parts.onHiveEngine?.(hive);
    if (!mgmtWanted(config.mgmt)) return hive;
    // The management engine and its adapters (Cashu, L402 macaroons, the mgmt store) load only when [mgmt] asks for them (issue 19 §4).
    const [{ openMgmt }, { MgmtEngine }, { mgmtActionSource }] = await Promise.all([import('../mgmt/open-mgmt.ts'), import('../mgmt/mgmt-engine.ts'), import('../mgmt/pending-queue.ts')]);
    let opened: OpenedMgmt;
    try {
      opened = openMgmt(config.mgmt);
    } catch (e) {
      await hive.close();
      throw new Error(`cannot start remote management: ${e instanceof Error ? e.message : String(e)}`);
    }
    const fleetMembers = () => new Set(hive.state.fleet.membership.members.keys());
    if (opened.options.managed) hive.planner.attachActions(mgmtActionSource(opened.options.fleet.store, () => Math.floor(ctx.now_ms() / 1000)));
    return composeEngines(hive, [new MgmtEngine(ctx, { ...opened.options, fleetMembers, close: opened.close })]);
  };
}
