/**
 * Remote management's pending actions in the operator's one queue (runtime/node/planner/external-actions.ts):
 * an advisor's expansion proposal (`hive:expansion/v1 propose_channel_open`) and a performance
 * payout settled at a credential's expiry (settlement.ts), as `mg-<id>` in `hivebox actions`.
 * Approving a channel open announces a pre-approved intent through the fleet's Intent Lock
 * Protocol (after the hold, `fundchannel` opens it — the operator may lower the amount); approving
 * a payout pays the bonus out of the node's Cashu earnings as a token for the advisor (payout.ts),
 * printed in the outcome for the operator to hand over. Rejecting records the refusal. Decisions are
 * stored in the management store's `pending_actions.status`.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { ActionView } from '../planner/action-queue.ts';
import type { ExternalActionSource, FleetOps } from '../planner/external-actions.ts';
import type { DecisionError, DecisionOutcome, OperatorDecision } from '../planner/planner-decisions.ts';
import type { MgmtStore, PendingAction } from '../../../services/mgmt-store/mgmt-store.ts';
import { payFromEarnings } from '../../../services/mgmt/payout.ts';

const PREFIX = 'mg-';

interface OpenProposal {
  readonly peer_id: string;
  readonly capacity_sats: number;
  readonly push_sats?: number;
  readonly reasoning?: string;
}

interface Payout {
  readonly bonus_msat: number;
}

function view(p: PendingAction): ActionView {
  const body = JSON.parse(p.json) as Partial<OpenProposal & Payout>;
  const open = p.kind === 'channel_open';
  return {
    action_id: `${PREFIX}${p.id}`,
    source: 'mgmt',
    kind: open ? 'channel_open' : 'performance_payout',
    intent_type: open ? 'channel_open' : null,
    target: open ? (body.peer_id ?? null) : null,
    amount_sats: open ? (body.capacity_sats ?? null) : Math.floor((body.bonus_msat ?? 0) / 1000),
    status: p.status,
    created_at: p.created_at,
    expires_at: null,
    decided_at: null,
    reason: open ? `advisor ${p.agent_did}: ${body.reasoning ?? ''}` : `performance bonus of credential ${p.credential_id} for ${p.agent_did}`,
    intent: null,
  };
}

/** The queue source over `store`. */
export function mgmtActionSource(store: MgmtStore, now: () => number): ExternalActionSource {
  return {
    owns: (id) => id.startsWith(PREFIX),
    list: (all) => store.pendingActions().filter((p) => all || p.status === 'pending').map(view),
    async decide(d: OperatorDecision, fleet: FleetOps): Promise<Result<DecisionOutcome, DecisionError>> {
      const id = Number(d.action_id.slice(PREFIX.length));
      const row = Number.isSafeInteger(id) ? store.getPendingAction(id) : null;
      if (!row) return err({ kind: 'unknown_action', action_id: d.action_id });
      if (row.status !== 'pending') return err({ kind: 'action_not_pending', action_id: d.action_id, status: row.status });
      const v = view(row);
      const done = (outcome: string): Result<DecisionOutcome, DecisionError> =>
        store.decidePendingAction(id, d.decision === 'approve' ? 'approved' : 'rejected')
          ? ok({ action_id: d.action_id, decision: d.decision, kind: v.kind, target: v.target, outcome })
          : err({ kind: 'action_not_pending', action_id: d.action_id, status: 'decided' });
      if (d.decision === 'reject') return done(`rejected${d.reason ? `: ${d.reason}` : ''}`);
      if (row.kind !== 'channel_open') {
        if (d.amount_sat !== undefined) return err({ kind: 'bad_amount', action_id: d.action_id, reason: 'a payout keeps its settled amount' });
        const paid = await payFromEarnings(store, v.amount_sats!, now());
        if (!paid.ok) return err({ kind: 'refused', action_id: d.action_id, reason: `cannot pay the bonus: ${paid.error}` });
        return done(`approved: ${paid.value.amount_sats} sat for ${row.agent_did} as a Cashu token (hand it to the advisor): ${paid.value.token}`);
      }
      const amount = d.amount_sat ?? v.amount_sats!;
      if (amount > v.amount_sats!) return err({ kind: 'bad_amount', action_id: d.action_id, reason: `above the proposed ${v.amount_sats} sat` });
      const refused = await fleet.proposeOpen(v.target!, amount);
      if (refused !== null) return err({ kind: 'refused', action_id: d.action_id, reason: refused });
      return done(`pre-approved intent for ${amount} sat announced; it commits after its hold and the channel is funded`);
    },
  };
}
