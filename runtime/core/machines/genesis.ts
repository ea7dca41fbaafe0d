/**
 * Genesis: founding a hive on this node (clhive-protocol.md §6.2 `hive-genesis`). The founder
 * becomes the first `member`, the fleet admin key from the signer becomes the first trusted admin
 * key, and the hive record is written. This is the genesis admin's own record; it is not a ticket
 * (cl-hive stored a self-signed year-long ticket instead; Hivebox issues no such ticket).
 */
import { err, ok, type Result } from '../result.ts';
import { isNodeId, type NodeId, toHex, type UnixSeconds } from '../types.ts';
import { HIVE_ID_RE } from '../ticket/codec.ts';
import { applyWrites, persist, type MembershipState, type PersistEffect, type StoreWrite } from './membership.ts';

/** Random bytes in a generated hive id: 8 → `hive_` + 16 hex (cl-hive `token_hex(8)`). */
export const HIVE_ID_RANDOM_BYTES = 8;

/** What the operator asks for (`hivebox genesis [--hive-id ID]`). */
export interface GenesisRequest {
  /** This node's id (getinfo `id`). */
  readonly our_node_id: string;
  /** The fleet admin key (Signer.publicKey('invite')). */
  readonly admin_pubkey: string;
  /** Chosen hive id; default `hive_` + 16 hex from `randomBytes`. */
  readonly hive_id?: string;
}

/** Why genesis was refused. */
export type GenesisError =
  | { readonly code: 'already_in_hive'; readonly hive_id: string }
  | { readonly code: 'invalid_request'; readonly field: 'our_node_id' | 'admin_pubkey' | 'hive_id' | 'random_bytes' };

/**
 * Found a hive.
 * @param now_s unix seconds.
 * @param randomBytes 8 random bytes for the default hive id (ignored when `hive_id` is given).
 * @returns the new state and its persist effects, or `already_in_hive` / `invalid_request`.
 */
export function genesis(
  state: MembershipState,
  req: GenesisRequest,
  now_s: UnixSeconds,
  randomBytes: Uint8Array,
): Result<{ state: MembershipState; effects: PersistEffect[] }, GenesisError> {
  if (state.hive) return err({ code: 'already_in_hive', hive_id: state.hive.hive_id });
  if (!isNodeId(req.our_node_id)) return err({ code: 'invalid_request', field: 'our_node_id' });
  if (!isNodeId(req.admin_pubkey)) return err({ code: 'invalid_request', field: 'admin_pubkey' });
  if (req.hive_id === undefined && randomBytes.length !== HIVE_ID_RANDOM_BYTES) return err({ code: 'invalid_request', field: 'random_bytes' });
  const hive_id = req.hive_id ?? `hive_${toHex(randomBytes)}`;
  if (!HIVE_ID_RE.test(hive_id)) return err({ code: 'invalid_request', field: 'hive_id' });
  const our_node_id = req.our_node_id as NodeId;
  const writes: StoreWrite[] = [
    { op: 'put_hive', hive: { hive_id, created_at: now_s, our_node_id, our_role: 'member' } },
    { op: 'put_member', member: { node_id: our_node_id, tier: 'member', joined_at: now_s, addresses: [] } },
    { op: 'put_trusted_admin', admin: { admin_pubkey: req.admin_pubkey as NodeId, added_at: now_s } },
  ];
  return ok({ state: applyWrites(state, writes), effects: persist(...writes) });
}
