/**
 * The global ignore list (spec 000 §3.3 "Borg defense", §5.1 "Immune System"; issue 4 §3):
 * BAN_PEER names an external attacker node, signed by the reporting member's node key, and is
 * accepted only from full, unbanned members (the gate). Each node keeps the reason and evidence
 * and applies the ban locally through the pluggable `ban_peer_apply` effect (the plugin refuses
 * new channels from the node via CLN's `openchannel` hook and operators see it). Members are
 * banned by vote instead (ban-vote.ts), so a report naming a member is refused; a reporter gets
 * at most 10 reports a day.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { requestSignature } from '../fleet/outgoing.ts';
import { broadcastRecipients, hiveIdOf, isFullMember, memberOf } from '../fleet/roster.ts';
import type { FleetCommand, FleetState, FleetStep } from '../fleet/types.ts';
import { isNodeId, type NodeId, toHex, type UnixSeconds } from '../types.ts';
import { FIELD_LIMITS } from '../wire/limits.ts';
import type { Admitted } from './admit.ts';

/** Command: report `peer_id` to the fleet. `random`: 16 bytes → the ban id. */
export function banPeerCommand(s: FleetState, cmd: Extract<FleetCommand, { name: 'ban_peer' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  const hive_id = hiveIdOf(s);
  const rej = (reason: Parameters<typeof refuse>[1]['reason']) => refuse(s, { reason, msg_type: 'BAN_PEER', fields: { peer_id: cmd.peer_id } });
  if (hive_id === null || !isFullMember(s, us, now_s)) return rej('not_full_member');
  const badEvidence = cmd.evidence.length > FIELD_LIMITS.evidenceItems || cmd.evidence.some((e) => e.length > FIELD_LIMITS.stringChars);
  if (cmd.random.length !== 16 || !isNodeId(cmd.peer_id) || cmd.peer_id === us || cmd.reason.length === 0 || cmd.reason.length > 512 || badEvidence) return rej('bad_command');
  if (memberOf(s, cmd.peer_id)) return rej('target_is_member');
  const payload = { hive_id, ban_id: toHex(cmd.random), peer_id: cmd.peer_id, reporter_id: us, reason: cmd.reason, evidence: [...cmd.evidence], timestamp: now_s };
  const c = new Change(s);
  requestSignature(c, { type: 'BAN_PEER', payload, purpose: 'ban_peer', recipients: broadcastRecipients(s, now_s), reliable: true, self_apply: true });
  return c.done();
}

/** BAN_PEER from a full member (or our own): keep it and apply it. */
export function onBanPeer(s: FleetState, a: Admitted<'BAN_PEER'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const rej = (reason: Parameters<typeof refuse>[1]['reason'], fields: Record<string, unknown> = {}) => refuse(s, { reason, peer_id: a.peer_id, msg_type: 'BAN_PEER', fields });
  if (p.hive_id !== hiveIdOf(s)) return rej('hive_mismatch', { hive_id: p.hive_id });
  if (memberOf(s, p.peer_id)) return rej('target_is_member', { target: p.peer_id });
  const today = [...s.tables.peer_bans.values()].filter((b) => b.reporter_id === p.reporter_id && now_s - b.received_at < 86_400).length;
  if (today >= FLEET_LIMITS.banPeerPerReporterPerDay) return rej('rate_limited', { reports_today: today });
  const already = [...s.tables.peer_bans.values()].some((b) => b.peer_id === p.peer_id);
  const c = new Change(s).put('peer_bans', {
    ban_id: p.ban_id,
    hive_id: p.hive_id,
    peer_id: p.peer_id as NodeId,
    reporter_id: p.reporter_id as NodeId,
    reason: p.reason,
    evidence: [...p.evidence],
    timestamp: p.timestamp,
    signature: p.signature,
    received_at: now_s,
  });
  if (!already) c.emit({ kind: 'ban_peer_apply', node_id: p.peer_id as NodeId, ban_id: p.ban_id, reason: p.reason, reporter_id: p.reporter_id as NodeId });
  c.emit({ kind: 'event', name: 'peer_banned', fields: { node_id: p.peer_id, reporter_id: p.reporter_id, reason: p.reason, evidence: p.evidence } });
  return c.done();
}
