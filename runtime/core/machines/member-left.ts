/**
 * MEMBER_LEFT: a voluntary, signed leave (clhive-protocol.md §2.3, §6.6). The leaver signs
 * `hive:leave:{peer_id}:{timestamp}:{reason}`, sends it reliably to every member and then drops
 * the fleet locally (every member row goes, so every channel's fee policy is restored). The last
 * full member may not leave (cl-hive's "headless" protection). Receivers remove the member and
 * keep a departure tombstone so a stale FULL_SYNC cannot bring it back.
 */
import { Change, refuse } from '../fleet/change.ts';
import { requestSignature } from '../fleet/outgoing.ts';
import { dropFleet, removeMember } from '../fleet/removal.ts';
import { broadcastRecipients, isCertified, isFullMember } from '../fleet/roster.ts';
import type { FleetCommand, FleetState, FleetStep } from '../fleet/types.ts';
import type { Admitted } from './admit.ts';
import type { UnixSeconds } from '../types.ts';

/** Command: leave the hive. */
export function leaveCommand(s: FleetState, cmd: Extract<FleetCommand, { name: 'leave' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  if (!isCertified(s, us, now_s)) return refuse(s, { reason: 'not_in_hive', msg_type: 'MEMBER_LEFT' });
  if (cmd.reason.length === 0 || cmd.reason.length > 512) return refuse(s, { reason: 'bad_command', msg_type: 'MEMBER_LEFT' });
  const others = [...s.membership.members.keys()].filter((id) => id !== us && isFullMember(s, id, now_s));
  if (isFullMember(s, us, now_s) && others.length === 0) return refuse(s, { reason: 'last_member', msg_type: 'MEMBER_LEFT' });
  const c = new Change(s);
  requestSignature(c, { type: 'MEMBER_LEFT', payload: { peer_id: us, timestamp: now_s, reason: cmd.reason }, purpose: 'member_left', recipients: broadcastRecipients(s, now_s), reliable: true, self_apply: true });
  return c.done();
}

/** MEMBER_LEFT from a member, or our own once signed. */
export function onMemberLeft(s: FleetState, a: Admitted<'MEMBER_LEFT'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const c = new Change(s);
  if (a.sender_id !== s.config.our_node_id) {
    removeMember(c, a.sender_id, 'left', p.reason, now_s);
    return c.done();
  }
  dropFleet(c, 'left_hive', { reason: p.reason });
  return c.done();
}
