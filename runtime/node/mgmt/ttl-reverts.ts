/**
 * TTLs of advisor changes run out (spec 002 §4 `set_anchor` `ttl_hours`, `hive:config/v1 adjust`
 * `ttl_hours`): on the management engine's tick every change whose `until` passed and that is still
 * the latest change of its target is reverted — a fee anchor through lightningd's `setchannel` back
 * to the fee before it, a config value back to its previous value (or unset). A value someone
 * changed since (the operator's own `setchannel`, a newer command) is left alone and the record
 * says so. Each outcome is stored once (`ttl_reverts`), so a revert never repeats.
 */
import type { NodeBackend } from '../../core/ports.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';

/** One TTL that ran out and what was done about it. */
export interface TtlRevert {
  readonly change_id: number;
  readonly target: string;
  readonly agent_did: string;
  readonly outcome: string;
}

/**
 * Revert every change whose TTL ran out by `now`.
 * @returns what was done per change (a failed `setchannel` is left for the next tick).
 */
export async function revertExpiredChanges(store: MgmtStore, backend: NodeBackend, now: number): Promise<TtlRevert[]> {
  const due = store.expiredTtlChanges(now);
  if (due.length === 0) return [];
  const out: TtlRevert[] = [];
  for (const c of due) {
    const before = JSON.parse(c.before_json) as { fee_ppm?: number; value?: number | null };
    const after = JSON.parse(c.after_json) as { fee_ppm?: number; value?: number };
    let outcome: string | null;
    if (c.target.startsWith('fee:')) outcome = await revertFee(backend, c.target.slice(4), before.fee_ppm ?? 0, after.fee_ppm ?? 0);
    else if (c.target.startsWith('config:')) outcome = revertConfig(store, c.target.slice(7), before.value ?? null, after.value ?? null);
    else outcome = `no TTL revert for ${c.target}`;
    if (outcome === null) continue;
    store.recordTtlRevert(c.id, now, outcome);
    out.push({ change_id: c.id, target: c.target, agent_did: c.agent_did, outcome });
  }
  return out;
}

/** Set `scid`'s fee back to `before` if it is still the anchored `anchored`. null: lightningd failed, try again. */
async function revertFee(backend: NodeBackend, scid: string, before: number, anchored: number): Promise<string | null> {
  const chans = await backend.listpeerchannels();
  if (!chans.ok) return null;
  const ch = chans.value.find((x) => x.short_channel_id === scid);
  if (!ch) return `channel ${scid} is gone; nothing to revert`;
  const current = ch.updates?.local?.fee_proportional_millionths;
  if (current !== anchored) return `left at ${current} ppm: changed since the anchor (${anchored} ppm)`;
  const set = await backend.setchannel({ id: scid, feeppm: before });
  return set.ok ? `reverted ${anchored} → ${before} ppm` : null;
}

function revertConfig(store: MgmtStore, key: string, before: number | null, set: number | null): string {
  const current = store.getConfig()[key] ?? null;
  if (current !== set) return `left at ${current}: changed since (${set})`;
  if (before === null) store.deleteConfig(key);
  else store.setConfig(key, before);
  return `reverted ${set} → ${before ?? 'unset'}`;
}
