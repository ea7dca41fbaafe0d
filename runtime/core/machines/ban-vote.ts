/**
 * Banning a member by vote (spec 001 §3.4 HIVE_BAN; clhive-protocol.md §2.3, §6.5):
 * BAN_PROPOSAL (signed, lives 7 days, one per target per 7 days, no self-ban, target must be a
 * member) and BAN_VOTE (signed, full members only, the target cannot vote, one vote per voter —
 * a second is a duplicate and never counts twice). Every node counts on its own after each vote:
 * approvals ≥ floor(0.51 × eligible) + 1 executes the ban, where eligible = full, unbanned members
 * seen within 7 days, minus the target; once the rejections make that impossible the proposal is
 * rejected. The proposer's own approve vote is signed right after its proposal is applied.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { requestSignature } from '../fleet/outgoing.ts';
import { removeMember } from '../fleet/removal.ts';
import { activeFullMembers, banThreshold, broadcastRecipients, isFullMember, memberOf } from '../fleet/roster.ts';
import { keyOf, type BanProposalRow } from '../fleet/tables.ts';
import type { FleetCommand, FleetState, FleetStep } from '../fleet/types.ts';
import { isNodeId, type NodeId, toHex, type UnixSeconds } from '../types.ts';
import type { Admitted } from './admit.ts';

/** A pending proposal against `target` younger than the cooldown, other than `except`. */
function recentProposal(s: FleetState, target: string, now_s: UnixSeconds, except = ''): BanProposalRow | null {
  for (const p of s.tables.ban_proposals.values()) if (p.target_peer_id === target && p.proposal_id !== except && now_s - p.timestamp < FLEET_LIMITS.banCooldown_s) return p;
  return null;
}

function castVote(c: Change, proposal_id: string, vote: 'approve' | 'reject', now_s: UnixSeconds): void {
  const payload = { proposal_id, voter_peer_id: c.state.config.our_node_id, vote, timestamp: now_s };
  requestSignature(c, { type: 'BAN_VOTE', payload, purpose: 'ban_vote', recipients: broadcastRecipients(c.state, now_s), reliable: true, self_apply: true });
}

/** Command: propose banning member `target_peer_id`. `random`: 16 bytes → the proposal id. */
export function proposeBan(s: FleetState, cmd: Extract<FleetCommand, { name: 'propose_ban' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  const rej = (reason: Parameters<typeof refuse>[1]['reason'], fields: Record<string, unknown> = {}) => refuse(s, { reason, msg_type: 'BAN_PROPOSAL', fields });
  if (!isFullMember(s, us, now_s)) return rej('not_full_member');
  if (cmd.random.length !== 16 || cmd.reason.length === 0 || cmd.reason.length > 512 || cmd.target_peer_id === us || !isNodeId(cmd.target_peer_id)) return rej('bad_command');
  if (!memberOf(s, cmd.target_peer_id)) return rej('target_not_member');
  const recent = recentProposal(s, cmd.target_peer_id, now_s);
  if (recent) return rej('ban_cooldown', { proposal_id: recent.proposal_id });
  const payload = { proposal_id: toHex(cmd.random), target_peer_id: cmd.target_peer_id, proposer_peer_id: us, reason: cmd.reason, timestamp: now_s };
  const c = new Change(s);
  requestSignature(c, { type: 'BAN_PROPOSAL', payload, purpose: 'ban_proposal', recipients: broadcastRecipients(s, now_s), reliable: true, self_apply: true });
  return c.done();
}

/** Command: vote on a pending proposal. */
export function voteBan(s: FleetState, cmd: Extract<FleetCommand, { name: 'vote_ban' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  const p = s.tables.ban_proposals.get(keyOf(cmd.proposal_id));
  const rej = (reason: Parameters<typeof refuse>[1]['reason']) => refuse(s, { reason, msg_type: 'BAN_VOTE', fields: { proposal_id: cmd.proposal_id } });
  if (!isFullMember(s, us, now_s)) return rej('not_full_member');
  if (!p) return rej('unknown_proposal');
  if (p.status !== 'pending' || now_s >= p.expires_at) return rej('proposal_closed');
  if (p.target_peer_id === us) return rej('target_cannot_vote');
  if (s.tables.ban_votes.has(keyOf(p.proposal_id, us))) return rej('duplicate');
  const c = new Change(s);
  castVote(c, p.proposal_id, cmd.vote, now_s);
  return c.done();
}

/** BAN_PROPOSAL from a full member (or our own). */
export function onBanProposal(s: FleetState, a: Admitted<'BAN_PROPOSAL'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const rej = (reason: Parameters<typeof refuse>[1]['reason'], fields: Record<string, unknown> = {}) => refuse(s, { reason, peer_id: a.peer_id, msg_type: 'BAN_PROPOSAL', fields });
  if (!memberOf(s, p.target_peer_id)) return rej('target_not_member', { target: p.target_peer_id });
  if (p.timestamp + FLEET_LIMITS.banProposalTtl_s <= now_s) return rej('proposal_closed');
  const recent = recentProposal(s, p.target_peer_id, now_s, p.proposal_id);
  if (recent) return rej('ban_cooldown', { proposal_id: recent.proposal_id });
  const c = new Change(s).put('ban_proposals', {
    proposal_id: p.proposal_id,
    target_peer_id: p.target_peer_id as NodeId,
    proposer_peer_id: p.proposer_peer_id as NodeId,
    reason: p.reason,
    timestamp: p.timestamp,
    expires_at: p.timestamp + FLEET_LIMITS.banProposalTtl_s,
    status: 'pending',
    decided_at: null,
    signature: p.signature,
  });
  c.emit({ kind: 'event', name: 'ban_proposed', fields: { proposal_id: p.proposal_id, target: p.target_peer_id, proposer: p.proposer_peer_id, reason: p.reason } });
  if (a.sender_id === s.config.our_node_id) castVote(c, p.proposal_id, 'approve', now_s);
  return c.done();
}

/** Count the votes of `proposal` and execute or reject it when decided. */
function tally(c: Change, proposal: BanProposalRow, now_s: UnixSeconds): void {
  const eligible = new Set(activeFullMembers(c.state, now_s, FLEET_LIMITS.banActiveWindow_s).filter((id) => id !== proposal.target_peer_id));
  const threshold = banThreshold(eligible.size);
  let approve = 0;
  let reject = 0;
  for (const v of c.state.tables.ban_votes.values()) {
    if (v.proposal_id !== proposal.proposal_id || !eligible.has(v.voter_peer_id)) continue;
    if (v.vote === 'approve') approve++;
    else reject++;
  }
  if (approve >= threshold) {
    c.put('ban_proposals', { ...proposal, status: 'approved', decided_at: now_s });
    removeMember(c, proposal.target_peer_id, 'banned', proposal.reason, now_s);
  } else if (reject > eligible.size - threshold) {
    c.put('ban_proposals', { ...proposal, status: 'rejected', decided_at: now_s });
  }
}

/** BAN_VOTE from a full member (or our own). */
export function onBanVote(s: FleetState, a: Admitted<'BAN_VOTE'>, now_s: UnixSeconds): FleetStep {
  const v = a.message.payload;
  const p = s.tables.ban_proposals.get(keyOf(v.proposal_id));
  const rej = (reason: Parameters<typeof refuse>[1]['reason']) => refuse(s, { reason, peer_id: a.peer_id, msg_type: 'BAN_VOTE', fields: { proposal_id: v.proposal_id } });
  if (!p) return rej('unknown_proposal');
  if (p.status !== 'pending' || now_s >= p.expires_at) return rej('proposal_closed');
  if (v.voter_peer_id === p.target_peer_id) return rej('target_cannot_vote');
  if (s.tables.ban_votes.has(keyOf(p.proposal_id, v.voter_peer_id))) return rej('duplicate');
  const c = new Change(s).put('ban_votes', { proposal_id: p.proposal_id, voter_peer_id: v.voter_peer_id as NodeId, vote: v.vote, timestamp: v.timestamp, signature: v.signature });
  tally(c, p, now_s);
  return c.done();
}

/** Timer: proposals past their 7 days expire. */
export function banTick(c: Change, now_s: UnixSeconds): void {
  for (const p of c.state.tables.ban_proposals.values()) if (p.status === 'pending' && now_s >= p.expires_at) c.put('ban_proposals', { ...p, status: 'expired', decided_at: now_s });
}
