/**
 * Performance settlement (spec 002 §2 "Performance-Based Payment"): when a credential has expired,
 * compare the 7-day routing revenue ending at its expiry with the baseline recorded at its start
 * and queue `bonus = max(0, current − baseline) × performance_share` as a pending payout.
 * Called from the daemon's tick; idempotent per credential.
 */
import { parseCredential, performanceBonus, routingRevenueMsat, type PerformanceSettlement } from '../../core/mgmt/index.ts';
import type { NodeBackend } from '../../core/ports.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';

/** A settlement made by {@link settleExpiredCredentials}. */
export interface CredentialSettlement extends PerformanceSettlement {
  readonly credential_id: string;
  readonly agent_did: string;
}

/**
 * Settle every expired, unsettled performance credential in the store.
 * @returns the settlements made now (empty when `listforwards` fails; retried next tick).
 */
export async function settleExpiredCredentials(store: MgmtStore, backend: NodeBackend, now: number): Promise<CredentialSettlement[]> {
  const due = store.listCredentials().filter((c) => c.expires_at <= now && store.getSettlement(c.id) === null);
  if (due.length === 0) return [];
  const fw = await backend.listforwards({ status: 'settled' });
  if (!fw.ok) return [];
  const out: CredentialSettlement[] = [];
  for (const row of due) {
    const c = parseCredential(row.json);
    if (!c.ok || c.value.compensation.model !== 'performance') continue;
    const baseline = store.getBaseline(row.id)?.baseline_msat ?? routingRevenueMsat(fw.value, row.issued_at);
    const s = { credential_id: row.id, agent_did: row.agent_did, ...performanceBonus(baseline, routingRevenueMsat(fw.value, row.expires_at), c.value.compensation.performance_share_pct ?? 0) };
    if (!store.putSettlement(row.id, now, JSON.stringify(s))) continue;
    if (s.bonus_msat > 0) store.addPendingAction({ kind: 'performance_payout', agent_did: row.agent_did, credential_id: row.id, json: JSON.stringify(s), created_at: now });
    out.push(s);
  }
  return out;
}
