/**
 * `hive-join TICKET [peer_id]`: ask a member to admit us (spec 001 §2.2 candidate side). HELLO
 * goes to `peer_id` (connecting first if needed) or, without it, to every connected peer; the
 * command waits for WELCOME from one of them, for all of them to fail, or for `join_wait_s`.
 * We claim the features our own init message advertises; members check them against what they
 * negotiated with us.
 *
 * A ticket printed by cl-hive's `hive-invite` (padded standard base64 of cl-hive's fields,
 * core/ticket/legacy.ts) runs the join as cl-hive does: its expiry and signature are checked, and
 * a ticketless HELLO in cl-hive framing goes to `peer_id` (default: the ticket's `admin_pubkey`);
 * the cl-hive member admits us on an open channel with it as stake.
 */
import { decodeTicket } from '../../../core/ticket/codec.ts';
import { negotiatedFeatures } from '../../../core/ticket/features.ts';
import { decodeClhiveTicket } from '../../../core/ticket/legacy.ts';
import type { NodeBackend } from '../../../core/ports.ts';
import type { EngineCore } from '../engine-core.ts';
import type { JoinOutcome } from '../join-waiters.ts';
import { currentMembershipHash } from '../../../core/machines/state-sync.ts';
import { memberViews, type MemberView } from '../membership-view.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';
import { JoinParams, parseParams } from './params.ts';

/** Result of a successful `hive-join`. */
export interface JoinResult {
  readonly hive_id: string;
  /** The member that welcomed us. */
  readonly member_id: string;
  readonly tier: 'neophyte';
  readonly members: readonly MemberView[];
  readonly membership_hash: string;
  /** `hivebox` for a Hivebox ticket; `clhive` for a cl-hive ticket (ticketless cl-hive-framing join). */
  readonly ticket_format: 'hivebox' | 'clhive';
}

/** How to run a join with `ticket`: a Hivebox ticket goes in HELLO; a cl-hive one only picks the member. */
function joinPlan(ticket: string, peer_id: string | undefined, now: number): { format: 'hivebox' | 'clhive'; peer_id: string | undefined } {
  if (decodeTicket(ticket).ok) return { format: 'hivebox', peer_id };
  const clhive = decodeClhiveTicket(ticket);
  if (!clhive.ok) return { format: 'hivebox', peer_id };
  const t = clhive.value;
  if (now > t.expires_at) throw rpcFailure(RPC_ERROR.badTicket, `the ticket is not usable: this is a cl-hive ticket that ${describeTicketReject('ticket_expired', { expires_at: t.expires_at }, now)}`, { format: 'clhive', expires_at: t.expires_at });
  if (!t.signature_valid) throw rpcFailure(RPC_ERROR.badTicket, 'the ticket is not usable: its signature is not by its admin_pubkey', { format: 'clhive', admin_pubkey: t.admin_pubkey });
  return { format: 'clhive', peer_id: peer_id ?? t.admin_pubkey };
}

/** What a join failure reason means for the operator. */
const JOIN_FAIL_HINTS: Readonly<Record<string, string>> = {
  no_answer:
    'no CHALLENGE in either framing: a member does not answer a HELLO it refuses — a ticket already used by another node, for another hive or by an untrusted admin key, a banned node — nor when it is unreachable; ask its operator (its log names the rule)',
  signer_failed: "lightningd's signmessage failed",
};

/** Rejects of the local join step that mean the ticket itself is unusable. */
const TICKET_REJECTS = new Set(['ticket_malformed', 'ticket_expired']);

/** A duration in the largest unit that keeps it readable: "40 s", "12 min", "3 h", "5 days". */
export function roughDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3_600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/**
 * One line naming the rule a ticket broke and the field: the decoder's reason and field for a
 * malformed ticket (runtime/core/ticket/codec.ts), how long ago it expired. `now` unix seconds.
 */
export function describeTicketReject(reason: string, fields: Readonly<Record<string, unknown>>, now: number): string {
  if (reason === 'ticket_expired' && typeof fields.expires_at === 'number') {
    return `expired ${roughDuration(now - fields.expires_at)} ago (expires_at ${new Date(fields.expires_at * 1000).toISOString()}); ask a member for a new one`;
  }
  if (reason === 'ticket_malformed') return `malformed: ${String(fields.reason ?? 'unreadable')}${typeof fields.field === 'string' ? ` (field ${fields.field})` : ''}`;
  return reason.replace(/^ticket_/, '');
}

/** The peers to ask: `peer_id` (connected now, or connected to on the spot) or every connected peer. */
async function candidatesFor(backend: NodeBackend, peer_id: string | undefined): Promise<string[]> {
  const peers = await backend.listpeers(peer_id);
  if (!peers.ok) throw rpcFailure(RPC_ERROR.nodeError, `lightningd listpeers failed: ${peers.error.message}`);
  if (peer_id === undefined) {
    const connected = peers.value.filter((p) => p.connected).map((p) => p.id);
    if (connected.length === 0) throw rpcFailure(RPC_ERROR.joinFailed, 'no connected peer to ask; connect to a hive member or pass its node id as peer_id');
    return connected;
  }
  if (!peers.value.some((p) => p.connected)) {
    const c = await backend.connect(peer_id);
    if (!c.ok) throw rpcFailure(RPC_ERROR.nodeError, `cannot connect to ${peer_id}: ${c.error.message}`);
  }
  return [peer_id];
}

async function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Run `hive-join`. @throws RpcFailure (invalidParams, alreadyInHive, badTicket, nodeError, joinFailed, joinPending). */
export async function joinCommand(core: EngineCore, params: Record<string, unknown>): Promise<JoinResult> {
  const p = parseParams('hive-join', JoinParams, params);
  if (!p.ok) throw p.error;
  const hive = core.state().fleet.membership.hive;
  if (hive) throw rpcFailure(RPC_ERROR.alreadyInHive, `this node is already in hive ${hive.hive_id}`);
  const plan = joinPlan(p.value.ticket, p.value.peer_id, core.now());
  const members = await candidatesFor(core.backend, plan.peer_id);
  const features = [...(negotiatedFeatures(core.our_features_hex) ?? [])];
  const how = plan.format === 'clhive' ? ({ framing: 'clhive' } as const) : ({ framing: 'auto', ticket: p.value.ticket } as const);
  if (plan.format === 'clhive') core.log('info', 'clhive_join_started', { peer_id: members[0] });
  const watch = core.joins.watch(members);
  for (const member_id of members) {
    const step = await core.step({ kind: 'join', member_id, features, ...how });
    if (!step.ok) {
      watch.cancel();
      throw rpcFailure(RPC_ERROR.storeError, `could not record the join: ${step.error.kind}`);
    }
    const reject = step.value;
    if (reject === null) continue;
    if (TICKET_REJECTS.has(reject.reason)) {
      watch.cancel();
      throw rpcFailure(RPC_ERROR.badTicket, `the ticket is not usable: ${describeTicketReject(reject.reason, reject.fields ?? {}, core.now())}`, { ...reject.fields, rule: reject.reason });
    }
    watch.fail(member_id, reject.reason);
  }
  const outcome: JoinOutcome | null = await within(watch.outcome, core.settings.join_wait_s * 1000);
  if (outcome === null) {
    watch.cancel();
    throw rpcFailure(RPC_ERROR.joinPending, `no WELCOME within ${core.settings.join_wait_s} s; the join goes on in the background (see hive-status)`);
  }
  if (outcome.kind === 'failed') {
    const hint = (id: string, r: string) => outcome.details[id] ?? JOIN_FAIL_HINTS[r];
    const why = Object.entries(outcome.reasons).map(([id, r]) => `${id.slice(0, 16)}…: ${r}${hint(id, r) ? ` (${hint(id, r)})` : ''}`).join('; ');
    const ticket = Object.values(outcome.reasons).every((r) => r.startsWith('ticket_'));
    throw rpcFailure(ticket ? RPC_ERROR.badTicket : RPC_ERROR.joinFailed, ticket ? `the ticket is not usable: refused by ${why}` : `the join failed: ${why}`, outcome.reasons);
  }
  const fleet = core.state().fleet;
  return {
    hive_id: outcome.hive_id,
    member_id: outcome.member_id,
    tier: 'neophyte',
    members: memberViews(fleet.membership),
    membership_hash: currentMembershipHash(fleet),
    ticket_format: plan.format,
  };
}
