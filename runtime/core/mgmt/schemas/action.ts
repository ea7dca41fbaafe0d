/**
 * What a management schema action is (spec 002 §4 "Schema Registry": parameters with ranges,
 * required tier, expected response) and the effects actions produce for the executor.
 */
import type { z } from 'zod';
import type { VerifiedCredential } from '../credential.ts';
import type { Permission, Tier } from '../tiers.ts';

/** The managed node's channels as the schema checks see them (from `listpeerchannels`). */
export interface ChannelView {
  readonly scid: string;
  readonly peer_id: string;
  /** Our outgoing proportional fee, ppm. */
  readonly fee_ppm: number;
  readonly base_fee_msat: number;
  readonly to_us_msat: number;
  readonly total_msat: number;
  readonly state: string;
}

/** Node facts a constraint check may read. */
export interface NodeView {
  readonly channels: ReadonlyMap<string, ChannelView>;
}

/** A credential-constraint violation (spec 002 §4 "Constraints"). */
export interface ConstraintViolation {
  readonly rule: 'max_fee_change_pct' | 'max_rebalance_sats' | 'max_fee_ppm' | 'unknown_channel';
  readonly detail: string;
}

/** Work the executor performs for an accepted command; plain data, executed by services/mgmt. */
export type MgmtEffect =
  | { readonly kind: 'set_channel_fee'; readonly scid: string; readonly fee_ppm: number; readonly ttl_hours: number }
  | {
      readonly kind: 'rebalance';
      readonly from_scid: string;
      readonly to_scid: string;
      readonly amount_sats: number;
      readonly max_fee_ppm: number;
      readonly prefer_hive_route: boolean;
    }
  | { readonly kind: 'set_config'; readonly parameter: string; readonly value: number; readonly ttl_hours: number }
  | { readonly kind: 'health_summary'; readonly include_channels: boolean; readonly include_forwards: boolean; readonly hours: number }
  | { readonly kind: 'pending_channel_open'; readonly peer_id: string; readonly capacity_sats: number; readonly push_sats: number; readonly reasoning: string };

/** One action of a schema. `P` is the validated params type. */
export interface ActionDef<P> {
  /** Lowest tier that may run it (spec 002 §4 "Required tier"). */
  readonly tier: Tier;
  /** Credential permission flag it needs. */
  readonly permission: Permission;
  /** False for read-only actions (exempt from quiet hours and conflict windows). */
  readonly mutates: boolean;
  /** Parameter schema with ranges; unknown parameters are rejected. */
  readonly params: z.ZodType<P>;
  /** Credential constraint checks; null when within bounds. */
  constraints(params: P, credential: VerifiedCredential, node: NodeView): ConstraintViolation | null;
  /** Targets for the multi-advisor conflict rule (conflict.ts), e.g. `fee:<scid>`. */
  targets(params: P): readonly string[];
  /** Channels the action touches (local policy: protected channels). */
  channels(params: P): readonly string[];
  /** The effect to execute. */
  plan(params: P): MgmtEffect;
}

/** A versioned schema: its id (`hive:<name>/v<N>`) and actions. */
export interface SchemaDef {
  readonly id: string;
  readonly actions: Readonly<Record<string, ActionDef<never>>>;
}

/** Identity helper that keeps an action's params type while storing it in a {@link SchemaDef}. */
export function defineAction<P>(def: ActionDef<P>): ActionDef<never> {
  return def as unknown as ActionDef<never>;
}

/** short_channel_id text form `BLOCKxTXxOUT` (BOLT 7), as the schemas carry it. */
export const SCID_RE = /^\d{1,8}x\d{1,5}x\d{1,5}$/;
