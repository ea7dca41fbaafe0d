/**
 * Executes an accepted command's effect (spec 002 §4) through the node backend — `setchannel` for
 * fee anchors, the pluggable rebalancer, Hivebox's own config (mgmt store settings, which the
 * running node applies: `min_fee_ppm`/`max_fee_ppm` bound every anchor, `base_fee_msat` is the
 * base fee anchors set, `rebalance_max_fee_ppm` caps every rebalance's fee), read-only
 * health queries (which also advertise `supported_schemas`, spec 002 §4 "Schema Versioning"),
 * pending actions for channel-open proposals — never through a shell. Returns the
 * result for the receipt and the store writes to commit with it.
 */
import { type RecentChange, type ChannelView, type MgmtEffect, SUPPORTED_SCHEMAS } from '../../core/mgmt/index.ts';
import type { NodeBackend } from '../../core/ports.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { CommandWrites } from '../../../services/mgmt-store/mgmt-store.ts';
import type { Rebalancer } from '../../../services/mgmt/rebalancer.ts';

/** Who ran the command (for change records and pending actions). */
export interface ExecutionContext {
  readonly agent_did: string;
  readonly credential_id: string;
  readonly contender: Omit<RecentChange, 'target' | 'at'>;
  readonly channels: ReadonlyMap<string, ChannelView>;
  readonly config: Readonly<Record<string, number>>;
  /** Unix seconds. */
  readonly now: number;
}

/** Result JSON and the writes that record it. */
export interface Execution {
  readonly result: Record<string, unknown>;
  readonly writes: Pick<CommandWrites, 'changes' | 'pending' | 'config'>;
}

function change(ctx: ExecutionContext, target: string, before: unknown, after: unknown) {
  return { ...ctx.contender, target, at: ctx.now, credential_id: ctx.credential_id, before_json: JSON.stringify(before), after_json: JSON.stringify(after) };
}

/** Runs effects against the backend and rebalancer. */
export class Executor {
  constructor(
    private readonly backend: NodeBackend,
    private readonly rebalancer: Rebalancer,
  ) {}

  /** Execute `e`. @returns the execution, or an error message (`execution/backend_error`). */
  async run(e: MgmtEffect, ctx: ExecutionContext): Promise<Result<Execution, string>> {
    switch (e.kind) {
      case 'set_channel_fee': {
        const before = ctx.channels.get(e.scid)?.fee_ppm ?? 0;
        const { min_fee_ppm: min, max_fee_ppm: max, base_fee_msat: feebase } = ctx.config;
        if ((min !== undefined && e.fee_ppm < min) || (max !== undefined && e.fee_ppm > max)) return err(`fee ${e.fee_ppm} ppm is outside this node's min_fee_ppm..max_fee_ppm (${min ?? 0}..${max ?? '∞'})`);
        const r = await this.backend.setchannel({ id: e.scid, feeppm: e.fee_ppm, ...(feebase === undefined ? {} : { feebase }) });
        if (!r.ok) return err(`setchannel: ${r.error.message}`);
        const anchor_until = ctx.now + e.ttl_hours * 3600;
        return ok({
          result: { scid: e.scid, fee_ppm_before: before, fee_ppm_after: e.fee_ppm, anchor_until },
          writes: { changes: [change(ctx, `fee:${e.scid}`, { fee_ppm: before }, { fee_ppm: e.fee_ppm, until: anchor_until })] },
        });
      }
      case 'rebalance': {
        const cap = ctx.config.rebalance_max_fee_ppm;
        const r = await this.rebalancer.rebalance(cap === undefined ? e : { ...e, max_fee_ppm: Math.min(e.max_fee_ppm, cap) });
        if (!r.ok) return err(`rebalance: ${r.error}`);
        const after = { amount_sats: e.amount_sats, ...r.value };
        return ok({
          result: { from_channel: e.from_scid, to_channel: e.to_scid, ...after },
          writes: { changes: [e.from_scid, e.to_scid].map((scid) => change(ctx, `rebalance:${scid}`, {}, after)) },
        });
      }
      case 'set_config': {
        const before = ctx.config[e.parameter] ?? null;
        const until = ctx.now + e.ttl_hours * 3600;
        return ok({
          result: { parameter: e.parameter, before, after: e.value, until },
          writes: { config: { key: e.parameter, value: e.value }, changes: [change(ctx, `config:${e.parameter}`, { value: before }, { value: e.value, until })] },
        });
      }
      case 'health_summary':
        return this.health(e, ctx);
      case 'pending_channel_open': {
        const proposal = { peer_id: e.peer_id, capacity_sats: e.capacity_sats, push_sats: e.push_sats, reasoning: e.reasoning };
        return ok({
          result: { pending: true, proposal },
          writes: {
            pending: { kind: 'channel_open', agent_did: ctx.agent_did, credential_id: ctx.credential_id, json: JSON.stringify(proposal), created_at: ctx.now },
            changes: [change(ctx, `open:${e.peer_id}`, {}, proposal)],
          },
        });
      }
    }
  }

  private async health(e: Extract<MgmtEffect, { kind: 'health_summary' }>, ctx: ExecutionContext): Promise<Result<Execution, string>> {
    const channels = [...ctx.channels.values()];
    const result: Record<string, unknown> = {
      channel_count: channels.length,
      active_channels: channels.filter((c) => c.state === 'CHANNELD_NORMAL').length,
      total_msat: channels.reduce((s, c) => s + c.total_msat, 0),
      to_us_msat: channels.reduce((s, c) => s + c.to_us_msat, 0),
      config: { ...ctx.config },
      supported_schemas: SUPPORTED_SCHEMAS,
    };
    if (e.include_channels) {
      result.channels = channels.map((c) => ({ scid: c.scid, peer_id: c.peer_id, fee_ppm: c.fee_ppm, to_us_msat: c.to_us_msat, total_msat: c.total_msat, state: c.state }));
    }
    if (e.include_forwards) {
      const f = await this.backend.listforwards({ status: 'settled' });
      if (!f.ok) return err(`listforwards: ${f.error.message}`);
      const since = ctx.now - e.hours * 3600;
      const recent = f.value.filter((x) => (x.resolved_time ?? x.received_time) > since);
      result.forwards = { hours: e.hours, settled: recent.length, fee_msat: recent.reduce((s, x) => s + (x.fee_msat ?? 0), 0) };
    }
    return ok({ result, writes: {} });
  }
}
