/**
 * `hive-invite [valid_hours=24] [req_splice] [req_dual_fund] [req_version]`: draft an invite
 * ticket, have the fleet signer sign it after the operator presses the button (issue 5 §4; the
 * prompt and countdown are in `hive-status` while it waits), check the signature and return the
 * ticket (runtime/core/ticket/issue.ts). With `clhive`: a ticket in cl-hive's form instead
 * (rpc/invite-clhive.ts).
 */
import { REQUIREMENT_BITS } from '../../../core/ticket/features.ts';
import { draftTicket, sealTicket } from '../../../core/ticket/issue.ts';
import { TICKET_ID_BYTES } from '../../../core/ticket/ticket.ts';
import type { EngineCore } from '../engine-core.ts';
import { RPC_ERROR, rpcFailure, signerFailure } from './errors.ts';
import { clhiveInvite, type ClhiveInviteResult } from './invite-clhive.ts';
import { InviteParams, parseParams } from './params.ts';

/** Result of `hive-invite`. */
export interface InviteResult {
  /** The ticket to hand to the joining node (`hive-join TICKET`). */
  readonly ticket: string;
  readonly ticket_id: string;
  readonly hive_id: string;
  readonly admin_pubkey: string;
  /** Unix seconds. */
  readonly issued_at: number;
  readonly expires_at: number;
  readonly valid_hours: number;
  /** Feature names the joiner must have negotiated (`splice`, `dual-fund`). */
  readonly requires: readonly string[];
  readonly min_version: string;
}

/** Run `hive-invite`. @throws RpcFailure (invalidParams, notInHive, notAllowed — neophyte, full hive, untrusted key —, signer errors). */
export async function inviteCommand(core: EngineCore, params: Record<string, unknown>): Promise<InviteResult | ClhiveInviteResult> {
  const p = parseParams('hive-invite', InviteParams, params);
  if (!p.ok) throw p.error;
  const hive = core.state().fleet.membership.hive;
  if (!hive) throw rpcFailure(RPC_ERROR.notInHive, 'this node is not in a hive: run hive-genesis first');
  if (hive.our_role !== 'member') throw rpcFailure(RPC_ERROR.notAllowed, `a ${hive.our_role} cannot issue invites; only full members can`);
  const size = core.state().fleet.membership.members.size;
  if (size >= core.settings.max_members) throw rpcFailure(RPC_ERROR.notAllowed, `the hive is full: ${size} members, [hive] max_members = ${core.settings.max_members}`);
  if (p.value.clhive) {
    if (p.value.req_splice || p.value.req_dual_fund || p.value.req_version !== undefined) {
      throw rpcFailure(RPC_ERROR.invalidParams, 'hive-invite: clhive: a cl-hive ticket carries no requirements (cl-hive does not check them)');
    }
    return clhiveInvite(core, hive.hive_id, p.value.valid_hours ?? 24);
  }
  const admin = await core.approvals.adminKey();
  if (!admin.ok) throw signerFailure(admin.error);
  if (!core.state().fleet.membership.trusted_admins.has(admin.node_id)) {
    throw rpcFailure(RPC_ERROR.notAllowed, `the signer's invite key ${admin.node_id} is not a trusted admin key of ${hive.hive_id}`);
  }
  const requirements = (p.value.req_splice ? REQUIREMENT_BITS.splice : 0) | (p.value.req_dual_fund ? REQUIREMENT_BITS['dual-fund'] : 0);
  const request = { hive_id: hive.hive_id, admin_pubkey: admin.node_id, requirements, min_version: p.value.req_version ?? '', valid_hours: p.value.valid_hours ?? 24 };
  const draft = draftTicket(request, core.now(), core.random(TICKET_ID_BYTES));
  if (!draft.ok) throw rpcFailure(RPC_ERROR.invalidParams, `hive-invite: ${draft.error.field}: ${draft.error.reason}`);
  const signed = await core.approvals.sign(draft.value.text, 'invite', draft.value.summary);
  if (!signed.ok) throw signerFailure(signed.error);
  const sealed = sealTicket(draft.value, signed.value.zbase);
  if (!sealed.ok) throw rpcFailure(RPC_ERROR.signerRefused, 'the signer returned a signature that does not verify for its invite key');
  const t = sealed.value.ticket;
  core.log('info', 'invite_issued', { hive_id: t.hive_id, ticket_id: t.ticket_id, expires_at: t.expires_at, requirements: t.requirements });
  return {
    ticket: sealed.value.encoded,
    ticket_id: t.ticket_id,
    hive_id: t.hive_id,
    admin_pubkey: t.admin_pubkey,
    issued_at: t.issued_at,
    expires_at: t.expires_at,
    valid_hours: request.valid_hours,
    requires: (Object.keys(REQUIREMENT_BITS) as (keyof typeof REQUIREMENT_BITS)[]).filter((f) => t.requirements & REQUIREMENT_BITS[f]),
    min_version: t.min_version,
  };
}
