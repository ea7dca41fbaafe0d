/**
 * The one admission rule for a binding statement, whichever way it came (first swarm frame,
 * renewal frame, GOSSIP `hivebox_swarm_binding`): shape, hive, validity, signature, then fleet
 * standing (not ourselves, not banned, a current member) and replay order against the newest
 * statement we hold for that node (issue 10 §2).
 */
import { err, ok, type Result } from '../result.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import { compareBinding, decodeBinding, verifyBinding, type BindingReject, type BindingStatement } from './binding.ts';
import type { SwarmLimits } from './limits.ts';

/**
 * Reasons beyond `BindingReject`: `self_binding` names our own node_id; `banned` a banned node;
 * `not_member` a node that is not a current member (neophyte or member); `stale_binding` is
 * older than (or conflicts at the same issued_at with) the newest statement we hold.
 */
export type StatementReject = BindingReject | 'self_binding' | 'banned' | 'not_member' | 'stale_binding';

/** What the gate knows about the fleet when it admits a statement. */
export interface FleetView {
  readonly hive_id: string;
  readonly self_node_id: NodeId;
  readonly members: ReadonlySet<NodeId>;
  readonly banned: ReadonlySet<NodeId>;
  readonly bindings: ReadonlyMap<NodeId, BindingStatement>;
}

/**
 * Admit an untrusted statement value at `now_s`.
 * @returns the statement and whether it is `newer` than the one held (store it) or the `same`;
 *   or the first failing `StatementReject`. Never throws.
 */
export function admitStatement(
  fleet: FleetView,
  value: unknown,
  now_s: UnixSeconds,
  limits: SwarmLimits,
): Result<{ statement: BindingStatement; order: 'newer' | 'same' }, StatementReject> {
  const decoded = decodeBinding(value);
  if (!decoded.ok) return decoded;
  const verified = verifyBinding(decoded.value, fleet.hive_id, now_s, limits);
  if (!verified.ok) return verified;
  const st = verified.value;
  if (st.node_id === fleet.self_node_id) return err('self_binding');
  if (fleet.banned.has(st.node_id)) return err('banned');
  if (!fleet.members.has(st.node_id)) return err('not_member');
  const known = fleet.bindings.get(st.node_id);
  const order = known ? compareBinding(known, st) : 'newer';
  if (order === 'stale') return err('stale_binding');
  return ok({ statement: st, order });
}
