/**
 * Verification of an L402 credential presented with a management command (spec 002 §2; L402 spec
 * "Authorization: L402 <macaroon>:<preimage>"): macaroon decodes, identifier v0 names a token this
 * node issued, the HMAC chain verifies under its root key (the `macaroon` library), every caveat
 * holds for this agent now (l402-caveats.ts), sha256(preimage) = payment_hash, and actions remain.
 * `settle` then counts the action atomically in the store.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { importMacaroon, type Macaroon } from 'macaroon';
import { checkCaveat, maxActions, type CaveatContext, reject, type MgmtReject } from '../../runtime/core/mgmt/index.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import type { MgmtStore } from '../mgmt-store/mgmt-store.ts';
import { decodeIdentifier } from './identifier.ts';

/** A verified L402 credential. */
export interface VerifiedL402 {
  readonly token_id: string;
  readonly used: number;
  readonly max_actions: number;
}

const decoder = new TextDecoder();

/**
 * Verify `macaroon` + `preimage_hex` for `ctx` without counting an action.
 * @returns `payment/macaroon_invalid|caveat_violated|preimage_mismatch|actions_exhausted`.
 */
export function verifyL402(store: MgmtStore, macaroon: string, preimage_hex: string, ctx: CaveatContext): Result<VerifiedL402, MgmtReject> {
  let mac: Macaroon;
  try {
    mac = importMacaroon(macaroon);
  } catch {
    return err(reject('payment', 'macaroon_invalid', 'macaroon does not decode'));
  }
  const id = decodeIdentifier(mac.identifier);
  const token = id ? store.getL402Token(id.token_id) : null;
  if (!id || !token || token.payment_hash !== id.payment_hash) return err(reject('payment', 'macaroon_invalid', 'macaroon was not issued by this node'));
  try {
    mac.verify(token.root_key, () => null, []);
  } catch {
    return err(reject('payment', 'macaroon_invalid', 'macaroon signature does not verify'));
  }
  const caveats = mac.caveats.map((c) => decoder.decode(c.identifier));
  for (const c of caveats) {
    const why = checkCaveat(c, ctx);
    if (why) return err(reject('payment', 'caveat_violated', why));
  }
  const preimage = fromHex(preimage_hex);
  if (!preimage || toHex(sha256(preimage)) !== token.payment_hash) return err(reject('payment', 'preimage_mismatch', 'sha256(preimage) ≠ payment_hash'));
  const limit = Math.min(token.max_actions, maxActions(caveats) ?? token.max_actions);
  if (token.used >= limit) return err(reject('payment', 'actions_exhausted', `${token.used}/${limit} actions used`));
  return ok({ token_id: token.token_id, used: token.used, max_actions: limit });
}

/** Count one action on a verified subscription. @returns `payment/actions_exhausted` if none is left. */
export function settleL402(store: MgmtStore, v: VerifiedL402): Result<void, MgmtReject> {
  return store.useL402Token(v.token_id) ? ok(undefined) : err(reject('payment', 'actions_exhausted', `${v.max_actions} actions used`));
}
