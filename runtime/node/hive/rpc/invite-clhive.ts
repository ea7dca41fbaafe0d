/**
 * `hive-invite clhive=true [valid_hours=24]`: a ticket for a **cl-hive** node, in exactly the form
 * cl-hive's `hive-join ticket=… peer_id=…` reads (padded standard base64 of cl-hive's own seven
 * fields, signed by this node's key through `signmessage`; runtime/core/ticket/legacy.ts). cl-hive
 * uses it only to pick the member it sends a ticketless HELLO to (real-cln-facts.md), and Hivebox
 * admits such a node only on channel stake, so this is refused unless the operator enabled
 * `[hive] accept_clhive_channel_join`; no fleet-signer approval is involved (the ticket grants nothing).
 */
import { clhiveTicketSignedText, encodeClhiveTicket, type ClhiveTicketFields } from '../../../core/ticket/legacy.ts';
import type { EngineCore } from '../engine-core.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';

/** Result of `hive-invite clhive=true`. */
export interface ClhiveInviteResult {
  /** For cl-hive: `lightning-cli hive-join ticket=<ticket> peer_id=<peer_id>`. */
  readonly ticket: string;
  readonly format: 'clhive';
  readonly hive_id: string;
  /** The peer the cl-hive node must name (this node; also the ticket's `admin_pubkey`). */
  readonly peer_id: string;
  /** Unix seconds. */
  readonly issued_at: number;
  readonly expires_at: number;
  readonly valid_hours: number;
  /** What the cl-hive node's operator runs. */
  readonly command: string;
  /** What the join needs besides the ticket. */
  readonly note: string;
}

/**
 * Issue a cl-hive ticket.
 * @throws RpcFailure notAllowed (cl-hive joins not enabled), nodeError (signmessage failed).
 */
export async function clhiveInvite(core: EngineCore, hive_id: string, valid_hours: number): Promise<ClhiveInviteResult> {
  if (!core.settings.accept_clhive_channel_join) {
    throw rpcFailure(
      RPC_ERROR.notAllowed,
      'cl-hive nodes join without a Hivebox ticket, on an open channel with a member as stake; enable it first with [hive] accept_clhive_channel_join = true',
    );
  }
  const issued_at = core.now();
  const fields: ClhiveTicketFields = { admin_pubkey: core.our_node_id, hive_id, requirements: 0, issued_at, expires_at: issued_at + valid_hours * 3600, initial_tier: 'neophyte' };
  const signed = await core.backend.signmessage(clhiveTicketSignedText(fields));
  if (!signed.ok) throw rpcFailure(RPC_ERROR.nodeError, `lightningd signmessage failed: ${signed.error.message}`);
  const ticket = encodeClhiveTicket(fields, signed.value.zbase);
  core.log('info', 'clhive_invite_issued', { hive_id, expires_at: fields.expires_at });
  return {
    ticket,
    format: 'clhive',
    hive_id,
    peer_id: core.our_node_id,
    issued_at,
    expires_at: fields.expires_at,
    valid_hours,
    command: `lightning-cli hive-join ticket=${ticket} peer_id=${core.our_node_id}`,
    note: `the cl-hive node needs a channel with this node in CHANNELD_NORMAL (its stake); it is admitted as neophyte`,
  };
}
