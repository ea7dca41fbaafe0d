/**
 * Taking a member out of the fleet, the same way for a voluntary leave, a ban by vote and an
 * admin revocation (clhive-protocol.md §6.5 "Execute", §6.6; spec 000 §5.2): the member row goes,
 * a ban is recorded for bans and revocations, a departure tombstone keeps FULL_SYNC from bringing
 * it back, and its fleet state, remote intents and outbox rows are dropped. Fees on our channels
 * with it are restored by the step's membership diff (machines/fee-routing.ts). `dropFleet` is the
 * same from our own side: after we leave or are revoked every member row goes, so every channel's
 * fee policy is restored.
 */
import type { NodeId, UnixSeconds } from '../types.ts';
import type { Change } from './change.ts';
import { keyOf, type DepartureRow } from './tables.ts';
import type { FleetEventName } from './types.ts';

const EVENT: Record<DepartureRow['how'], FleetEventName> = { left: 'member_left', banned: 'member_banned', revoked: 'member_revoked' };

/** Remove `node_id` from the fleet (no-op parts are skipped). */
export function removeMember(c: Change, node_id: NodeId, how: DepartureRow['how'], reason: string, now_s: UnixSeconds): void {
  if (how !== 'left') c.member({ op: 'put_ban', ban: { node_id, reason: `${how}: ${reason}`, banned_at: now_s, expires_at: null } });
  if (c.state.membership.members.has(node_id)) c.member({ op: 'delete_member', node_id });
  c.put('departures', { node_id, departed_at: now_s, how, reason });
  c.del('states', keyOf(node_id));
  const remote = [...c.state.remote_intents].filter(([, r]) => r.initiator !== node_id);
  if (remote.length !== c.state.remote_intents.size) c.set({ remote_intents: new Map(remote) });
  for (const row of c.state.tables.outbox.values()) if (row.peer_id === node_id) c.del('outbox', keyOf(row.msg_id, row.peer_id));
  c.emit({ kind: 'event', name: EVENT[how], fields: { node_id, reason } });
}

/** We are out (left, or revoked by the admin): drop every member row and tell the operator. */
export function dropFleet(c: Change, event: FleetEventName, fields: Readonly<Record<string, unknown>>): void {
  for (const id of [...c.state.membership.members.keys()]) c.member({ op: 'delete_member', node_id: id });
  c.emit({ kind: 'event', name: event, fields });
}
