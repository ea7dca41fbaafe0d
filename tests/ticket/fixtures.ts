/**
 * Test fixtures shared by the ticket, handshake and store suites: fixed keys, and a ticket issued
 * end to end through the software signer (draft → Signer.sign → seal), as an admin would.
 */
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { draftTicket, sealTicket, type TicketRequest } from '../../runtime/core/ticket/issue.ts';
import type { InviteTicket } from '../../runtime/core/ticket/ticket.ts';
import { toHex, type NodeId } from '../../runtime/core/types.ts';
import { SimulatedButton } from '../../hw/soft-signer/approve-button.ts';
import { SoftSigner } from '../../hw/soft-signer/soft-signer.ts';

/** A deterministic secret key filled with `byte`. */
export function secretKey(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

/** The node id of `secretKey(byte)`. */
export function nodeIdOf(sk: Uint8Array): NodeId {
  return toHex(nobleScheme.publicKey(sk)) as NodeId;
}

/** 16 deterministic "random" bytes for a ticket id. */
export function ticketIdBytes(seed: number): Uint8Array {
  return new Uint8Array(16).fill(seed);
}

export const ADMIN_SK = secretKey(0xa1);
export const ADMIN_ID = nodeIdOf(ADMIN_SK);
export const HIVE_ID = 'hive_00112233aabbccdd';
export const T0 = 1_760_000_000;

/** An admin signer whose button is always approved. */
export function adminSigner(sk: Uint8Array = ADMIN_SK): SoftSigner {
  return new SoftSigner(sk, { button: new SimulatedButton('approve') });
}

/** Issue a ticket through the Signer port; throws if anything fails (test setup only). */
export async function issueTicket(
  req: Partial<TicketRequest> = {},
  opts: { now?: number; seed?: number; signer?: SoftSigner } = {},
): Promise<{ ticket: InviteTicket; encoded: string }> {
  const signer = opts.signer ?? adminSigner();
  const pub = await signer.publicKey('invite');
  if (!pub.ok) throw new Error('no admin key');
  const draft = draftTicket({ hive_id: HIVE_ID, admin_pubkey: pub.node_id, ...req }, opts.now ?? T0, ticketIdBytes(opts.seed ?? 1));
  if (!draft.ok) throw new Error(JSON.stringify(draft.error));
  const sig = await signer.sign(draft.value.text, { purpose: 'invite', summary: draft.value.summary });
  if (!sig.ok) throw new Error(JSON.stringify(sig.error));
  const sealed = sealTicket(draft.value, sig.value.zbase);
  if (!sealed.ok) throw new Error('seal failed');
  return sealed.value;
}
