/**
 * Admin revocation (spec 000 §5.2 "Granular Revocation", §6 "Compromised Member"; issue 4 §3):
 * HIVE_REVOKE of a member node id, signed by a fleet admin key this hive trusts (the gate checks
 * the key and the signature). It takes effect on receipt: the member is removed and banned, its
 * fees restored and its state and intents dropped; nothing shared is rotated. The revocation is
 * kept for good and re-broadcast once, reliably, by every node that applies it (the event-id table
 * stops a second application; every copy is acknowledged), so it arrives even if the admin's node
 * goes down right after sending. The revoked node itself drops the fleet (its 0-fee policies are
 * restored too). Producing one: the `revoke` command asks for an `admin_sign` (Signer, purpose
 * `revoke`, physical approval).
 */
import { Change, refuse } from '../fleet/change.ts';
import { deliver, requestSignature, type Payload } from '../fleet/outgoing.ts';
import { dropFleet, removeMember } from '../fleet/removal.ts';
import { broadcastRecipients, hiveIdOf } from '../fleet/roster.ts';
import type { FleetCommand, FleetState, FleetStep } from '../fleet/types.ts';
import { isNodeId, type NodeId, toHex, type UnixSeconds } from '../types.ts';
import type { Admitted } from './admit.ts';

/** Command: revoke `node_id` with the admin key `admin_pubkey`. `random`: 16 bytes → revocation id. */
export function revokeCommand(s: FleetState, cmd: Extract<FleetCommand, { name: 'revoke' }>, now_s: UnixSeconds): FleetStep {
  const hive_id = hiveIdOf(s);
  if (hive_id === null) return refuse(s, { reason: 'not_in_hive', msg_type: 'HIVE_REVOKE' });
  if (!s.membership.trusted_admins.has(cmd.admin_pubkey as NodeId)) return refuse(s, { reason: 'not_admin', msg_type: 'HIVE_REVOKE' });
  if (cmd.random.length !== 16 || !isNodeId(cmd.node_id) || cmd.reason.length === 0 || cmd.reason.length > 512) return refuse(s, { reason: 'bad_command', msg_type: 'HIVE_REVOKE' });
  const payload = { hive_id, revocation_id: toHex(cmd.random), node_id: cmd.node_id, admin_pubkey: cmd.admin_pubkey, reason: cmd.reason, timestamp: now_s };
  const c = new Change(s);
  requestSignature(c, {
    type: 'HIVE_REVOKE',
    payload,
    purpose: 'hive_revoke',
    recipients: broadcastRecipients(s, now_s),
    reliable: true,
    self_apply: true,
    admin: {
      admin_pubkey: cmd.admin_pubkey as NodeId,
      summary: { title: `revoke member ${cmd.node_id.slice(0, 16)}… from ${hive_id}`, fields: { hive_id, node_id: cmd.node_id, reason: cmd.reason } },
    },
  });
  return c.done();
}

/** HIVE_REVOKE from a trusted admin key: apply, keep, re-broadcast once. */
export function onRevoke(s: FleetState, a: Admitted<'HIVE_REVOKE'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  if (p.hive_id !== hiveIdOf(s)) return refuse(s, { reason: 'hive_mismatch', peer_id: a.peer_id, msg_type: 'HIVE_REVOKE', fields: { hive_id: p.hive_id } });
  const c = new Change(s).put('revocations', {
    revocation_id: p.revocation_id,
    hive_id: p.hive_id,
    node_id: p.node_id as NodeId,
    admin_pubkey: p.admin_pubkey as NodeId,
    reason: p.reason,
    timestamp: p.timestamp,
    signature: p.signature,
    received_at: now_s,
  });
  const us = s.config.our_node_id;
  if (p.node_id === us) {
    dropFleet(c, 'revoked_self', { revocation_id: p.revocation_id, reason: p.reason });
    return c.done();
  }
  removeMember(c, p.node_id as NodeId, 'revoked', p.reason, now_s);
  if (a.peer_id !== us) {
    const onward = broadcastRecipients(c.state, now_s).filter((id) => id !== a.peer_id);
    deliver(c, 'HIVE_REVOKE', a.message.raw as Payload, onward, now_s, true);
  }
  return c.done();
}
