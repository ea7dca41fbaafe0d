/**
 * Fleet governance from the operator (spec 001 §3.4; clhive-protocol.md §2.3, §6.4–6.6; spec 000
 * §3.3, §5.2): `hive-promote` (a neophyte asks), `hive-vouch node_id`, `hive-ban-propose node_id
 * reason`, `hive-ban-vote proposal_id approve|reject`, `hive-bans`, `hive-ban-peer node_id reason
 * [evidence]` (external node → the fleet's ignore list), `hive-revoke node_id [reason]` (fleet admin
 * key on the signer, button press) and `hive-leave [reason]`. Each one is a fleet command
 * (runtime/core/fleet/types.ts `FleetCommand`) run through the engine's one step with its whole
 * signing chain; a refusal anywhere in that chain comes back as an RpcFailure naming the rule, and
 * nothing changed.
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import { currentQuorum, countedVouchers } from '../../../core/machines/promotion.ts';
import { type FleetCommand, type FleetReject, type FleetRejectReason, activeFullMembers, banThreshold, FLEET_LIMITS, type HiveNodeState, keyOf, type BanProposalRow } from '../../../core/fleet/index.ts';
import type { HandshakeReject } from '../../../core/machines/handshake-types.ts';
import { toHex } from '../../../core/types.ts';
import type { EngineCore } from '../engine-core.ts';
import { RPC_ERROR, rpcFailure, signerFailure } from './errors.ts';
import { nodeId, parseParams } from './params.ts';

const reason = lazy(() => z.string().min(1).max(512));

/** `hive-promote`, `hive-bans`: no parameters. */
export const PromoteParams = lazy(() => z.object({}).strict());
/** `hive-vouch node_id`. */
export const VouchParams = lazy(() => z.object({ node_id: nodeId() }).strict());
/** `hive-ban-propose node_id reason`. */
export const BanProposeParams = lazy(() => z.object({ node_id: nodeId(), reason: reason() }).strict());
/** `hive-ban-vote proposal_id vote`. */
export const BanVoteParams = lazy(() => z.object({ proposal_id: z.string().regex(/^[0-9a-f]{32}$/, 'expected the 32-hex id from hive-bans'), vote: z.enum(['approve', 'reject']) }).strict());
/** `hive-ban-peer node_id reason [evidence]` (evidence: one string or a list). */
export const BanPeerParams = lazy(() =>
  z
    .object({ node_id: nodeId(), reason: reason(), evidence: z.union([z.string().max(1024).transform((e) => [e]), z.array(z.string().max(1024)).max(10)]).optional() })
    .strict(),
);
/** `hive-revoke node_id [reason]`. */
export const RevokeParams = lazy(() => z.object({ node_id: nodeId(), reason: reason().optional() }).strict());
/** `hive-leave [reason]`. */
export const LeaveParams = lazy(() => z.object({ reason: reason().optional() }).strict());

/** What each refusal means to an operator. */
const RULES: Partial<Record<FleetRejectReason, string>> = {
  not_in_hive: 'this node is not in a hive',
  not_full_member: 'only full members may do this (neophytes ask with hive-promote first)',
  not_neophyte: 'only a neophyte asks for promotion; this node is already a full member',
  target_not_neophyte: 'the node is not a neophyte of this hive',
  unknown_request: 'the node has not asked for promotion (it runs hive-promote first)',
  duplicate: 'already done: this node already cast it',
  vouch_expired: 'the vouch is older than 7 days',
  target_not_member: 'the node is not a member of this hive',
  target_is_member: 'the node is a member: members are banned by vote (hive-ban-propose), not by hive-ban-peer',
  unknown_proposal: 'no ban proposal has this id (see hive-bans)',
  proposal_closed: 'the proposal is decided or expired',
  ban_cooldown: 'a ban proposal against this node is already open or younger than 7 days',
  target_cannot_vote: 'the target of a ban proposal cannot vote on it',
  not_admin: "the signer's revoke key is not a trusted admin key of this hive",
  last_member: 'the last full member cannot leave (the hive would be headless)',
  rate_limited: 'at most 10 peer bans per reporter per day',
  intent_pending: 'this node already holds a live intent on this target',
  target_locked: 'another member holds a live intent on this target (its lock wins until it ends)',
  bad_command: 'a parameter is out of range',
};

/** Signer outcomes (SignerError kinds, as the admin_sign effect reports them) → their RPC codes. */
const SIGNER_CODES = {
  ApprovalRejected: RPC_ERROR.approvalRejected,
  ApprovalTimeout: RPC_ERROR.approvalTimeout,
  SignerBusy: RPC_ERROR.signerBusy,
  SignerUnavailable: RPC_ERROR.signerUnavailable,
  SignerRefused: RPC_ERROR.signerRefused,
} as const;

/** The RpcFailure for a refusal of a governance command (the message names the rule and its fields). */
export function governanceFailure(method: string, r: FleetReject | HandshakeReject): Error {
  if (r.reason === 'signer_failed') {
    const detail = String(r.fields?.detail ?? '');
    const code = Object.hasOwn(SIGNER_CODES, detail) ? SIGNER_CODES[detail as keyof typeof SIGNER_CODES] : RPC_ERROR.nodeError;
    return rpcFailure(code, `${method}: no signature: ${detail}`, { rule: r.reason, detail });
  }
  const fields = r.fields && Object.keys(r.fields).length > 0 ? ` (${Object.entries(r.fields).map(([k, v]) => `${k} ${String(v)}`).join(', ')})` : '';
  const text = `${method}: refused, ${r.reason}: ${RULES[r.reason as FleetRejectReason] ?? r.reason}${fields}`;
  const code =
    r.reason === 'not_in_hive' ? RPC_ERROR.notInHive
    : r.reason === 'bad_command' ? RPC_ERROR.invalidParams
    : ['not_full_member', 'not_neophyte', 'not_admin', 'target_cannot_vote', 'last_member'].includes(r.reason) ? RPC_ERROR.notAllowed
    : RPC_ERROR.governanceRefused;
  return rpcFailure(code, text, { ...r.fields, rule: r.reason });
}

/** Run `cmd`; throw the RpcFailure of its refusal. */
export async function run(core: EngineCore, method: string, cmd: FleetCommand): Promise<void> {
  const r = await core.command(cmd);
  if (!r.ok) throw rpcFailure(RPC_ERROR.storeError, `${method}: could not record it: ${r.error.kind}; nothing changed`);
  if (r.value !== null) throw governanceFailure(method, r.value);
}

/** The hive id. @throws RpcFailure (notInHive) when this node is in none. */
export function needHive(core: EngineCore, method: string): string {
  const hive = core.state().fleet.membership.hive;
  if (!hive) throw rpcFailure(RPC_ERROR.notInHive, `${method}: this node is not in a hive`);
  return hive.hive_id;
}

/** A neophyte's promotion as operators see it: its latest request, who vouched, the quorum. */
export interface PromotionView {
  readonly node_id: string;
  /** The latest request id, or null before `hive-promote`. */
  readonly request_id: string | null;
  /** Unix seconds of that request. */
  readonly requested_at: number | null;
  /** Full members whose vouch (≤ 7 days old) counts for it. */
  readonly vouchers: readonly string[];
  readonly quorum: number;
}

/** The promotion of `node_id` (a neophyte) at `now`. */
export function promotionView(s: HiveNodeState, node_id: string, now: number): PromotionView {
  const f = s.fleet;
  const latest = [...f.tables.promotion_requests.values()].filter((r) => r.target_pubkey === node_id).sort((a, b) => b.timestamp - a.timestamp)[0];
  const vouches = latest ? [...f.tables.vouches.values()].filter((v) => v.target_pubkey === node_id && v.request_id === latest.request_id) : [];
  return { node_id, request_id: latest?.request_id ?? null, requested_at: latest?.timestamp ?? null, vouchers: countedVouchers(f, vouches, now), quorum: currentQuorum(f, now) };
}

/** Result of `hive-promote` and `hive-vouch`. */
export interface PromoteResult extends PromotionView {
  /** The node's tier now (`member` once the quorum was reached). */
  readonly tier: 'member' | 'neophyte' | null;
}

function promoteResult(core: EngineCore, node_id: string): PromoteResult {
  const tier = core.state().fleet.membership.members.get(node_id as never)?.tier ?? null;
  return { ...promotionView(core.state(), node_id, core.now()), tier };
}

/** Run `hive-promote`: ask the members to vouch for us. @throws RpcFailure (notInHive, notAllowed, …). */
export async function promoteCommand(core: EngineCore, params: Record<string, unknown>): Promise<PromoteResult> {
  const p = parseParams('hive-promote', PromoteParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-promote');
  await run(core, 'hive-promote', { name: 'request_promotion', random: core.random(16) });
  return promoteResult(core, core.our_node_id);
}

/** Run `hive-vouch node_id`: vouch for the neophyte's latest promotion request. @throws RpcFailure. */
export async function vouchCommand(core: EngineCore, params: Record<string, unknown>): Promise<PromoteResult> {
  const p = parseParams('hive-vouch', VouchParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-vouch');
  const { request_id } = promotionView(core.state(), p.value.node_id, core.now());
  if (request_id === null) throw governanceFailure('hive-vouch', { reason: 'unknown_request', fields: { node_id: p.value.node_id } });
  await run(core, 'hive-vouch', { name: 'vouch', target_pubkey: p.value.node_id, request_id });
  return promoteResult(core, p.value.node_id);
}

/** One ban proposal with its tally. */
export interface BanProposalView {
  readonly proposal_id: string;
  readonly target: string;
  readonly proposer: string;
  readonly reason: string;
  readonly status: BanProposalRow['status'];
  /** Unix seconds. */
  readonly proposed_at: number;
  readonly expires_at: number;
  readonly approvals: number;
  readonly rejections: number;
  /** Approvals needed (floor(0.51 × eligible) + 1). */
  readonly threshold: number;
  /** Our vote, or null. */
  readonly our_vote: 'approve' | 'reject' | null;
}

function proposalView(s: HiveNodeState, p: BanProposalRow, now: number, us: string): BanProposalView {
  const eligible = new Set(activeFullMembers(s.fleet, now, FLEET_LIMITS.banActiveWindow_s).filter((id) => id !== p.target_peer_id));
  const votes = [...s.fleet.tables.ban_votes.values()].filter((v) => v.proposal_id === p.proposal_id);
  const counted = votes.filter((v) => eligible.has(v.voter_peer_id));
  return {
    proposal_id: p.proposal_id,
    target: p.target_peer_id,
    proposer: p.proposer_peer_id,
    reason: p.reason,
    status: p.status,
    proposed_at: p.timestamp,
    expires_at: p.expires_at,
    approvals: counted.filter((v) => v.vote === 'approve').length,
    rejections: counted.filter((v) => v.vote === 'reject').length,
    threshold: banThreshold(eligible.size),
    our_vote: votes.find((v) => v.voter_peer_id === us)?.vote ?? null,
  };
}

/** Result of `hive-bans`. */
export interface BansResult {
  readonly proposals: readonly BanProposalView[];
  /** External peers on the ignore list. */
  readonly peer_bans: readonly { readonly node_id: string; readonly reason: string; readonly reporter_id: string; readonly banned_at: number }[];
}

/** Run `hive-bans`: ban proposals (newest first) and the external ignore list. @throws RpcFailure (invalidParams). */
export function bansCommand(core: EngineCore, params: Record<string, unknown>): BansResult {
  const p = parseParams('hive-bans', PromoteParams, params);
  if (!p.ok) throw p.error;
  const s = core.state();
  const now = core.now();
  const proposals = [...s.fleet.tables.ban_proposals.values()].sort((a, b) => b.timestamp - a.timestamp).map((r) => proposalView(s, r, now, core.our_node_id));
  const peer_bans = [...s.fleet.tables.peer_bans.values()].map((b) => ({ node_id: b.peer_id, reason: b.reason, reporter_id: b.reporter_id, banned_at: b.received_at }));
  return { proposals, peer_bans };
}

function proposalResult(core: EngineCore, proposal_id: string): BanProposalView {
  const row = core.state().fleet.tables.ban_proposals.get(keyOf(proposal_id));
  if (!row) throw rpcFailure(RPC_ERROR.storeError, `ban proposal ${proposal_id} was not recorded`);
  return proposalView(core.state(), row, core.now(), core.our_node_id);
}

/** Run `hive-ban-propose node_id reason` (our approve vote follows at once). @throws RpcFailure. */
export async function banProposeCommand(core: EngineCore, params: Record<string, unknown>): Promise<BanProposalView> {
  const p = parseParams('hive-ban-propose', BanProposeParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-ban-propose');
  const random = core.random(16);
  await run(core, 'hive-ban-propose', { name: 'propose_ban', target_peer_id: p.value.node_id, reason: p.value.reason, random });
  return proposalResult(core, toHex(random));
}

/** Run `hive-ban-vote proposal_id approve|reject`. @throws RpcFailure. */
export async function banVoteCommand(core: EngineCore, params: Record<string, unknown>): Promise<BanProposalView> {
  const p = parseParams('hive-ban-vote', BanVoteParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-ban-vote');
  await run(core, 'hive-ban-vote', { name: 'vote_ban', proposal_id: p.value.proposal_id, vote: p.value.vote });
  return proposalResult(core, p.value.proposal_id);
}

/** Result of `hive-ban-peer`. */
export interface BanPeerResult {
  readonly node_id: string;
  readonly ban_id: string;
  /** Every external peer now on the ignore list (channel opens from them are refused). */
  readonly ignored_peers: readonly string[];
}

/** Run `hive-ban-peer node_id reason [evidence]`. @throws RpcFailure. */
export async function banPeerCommand(core: EngineCore, params: Record<string, unknown>): Promise<BanPeerResult> {
  const p = parseParams('hive-ban-peer', BanPeerParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-ban-peer');
  const random = core.random(16);
  await run(core, 'hive-ban-peer', { name: 'ban_peer', peer_id: p.value.node_id, reason: p.value.reason, evidence: p.value.evidence ?? [], random });
  return { node_id: p.value.node_id, ban_id: toHex(random), ignored_peers: core.ignoredPeers() };
}

/** Result of `hive-revoke`. */
export interface RevokeResult {
  readonly node_id: string;
  readonly revocation_id: string;
  readonly admin_pubkey: string;
  readonly member_count: number;
}

/** Run `hive-revoke node_id [reason]`: sign HIVE_REVOKE with the signer's revoke key (button). @throws RpcFailure. */
export async function revokeCommand(core: EngineCore, params: Record<string, unknown>): Promise<RevokeResult> {
  const p = parseParams('hive-revoke', RevokeParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-revoke');
  const admin = await core.approvals.adminKey('revoke');
  if (!admin.ok) throw signerFailure(admin.error);
  const random = core.random(16);
  await run(core, 'hive-revoke', { name: 'revoke', node_id: p.value.node_id, reason: p.value.reason ?? 'revoked by the fleet admin', admin_pubkey: admin.node_id, random });
  return { node_id: p.value.node_id, revocation_id: toHex(random), admin_pubkey: admin.node_id, member_count: core.state().fleet.membership.members.size };
}

/** Result of `hive-leave`. */
export interface LeaveResult {
  readonly hive_id: string;
  /** Channels whose saved (pre-hive) fee policy was set again. */
  readonly fees_restored: number;
}

/** Run `hive-leave [reason]`: signed MEMBER_LEFT to every member, then every 0-fee channel restored. @throws RpcFailure. */
export async function leaveCommand(core: EngineCore, params: Record<string, unknown>): Promise<LeaveResult> {
  const p = parseParams('hive-leave', LeaveParams, params);
  if (!p.ok) throw p.error;
  const hive_id = needHive(core, 'hive-leave');
  const saved = core.state().fleet.tables.saved_fees.size;
  await run(core, 'hive-leave', { name: 'leave', reason: p.value.reason ?? 'left by the operator' });
  return { hive_id, fees_restored: saved - core.state().fleet.tables.saved_fees.size };
}
