/**
 * L402 subscriptions issued by the managed node (spec 002 §2 "Subscription Flow"): an invoice from
 * the node backend (`invoice`, amount in msat) and a macaroon bound to its payment hash with the
 * caveats did, tier, expires, max_actions. The root key lives only in the mgmt store. Returned to
 * the agent as the in-band equivalent of `HTTP 402` + `WWW-Authenticate: L402 token=…, invoice=…`.
 */
import { bytesToBase64, newMacaroon } from 'macaroon';
import type { NodeBackend, NodeRpcError } from '../../runtime/core/ports.ts';
import { caveatStrings, type Tier } from '../../runtime/core/mgmt/index.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import type { L402Token, MgmtStore } from '../mgmt-store/mgmt-store.ts';
import { exportBinaryV2 } from './binary-v2.ts';
import { encodeIdentifier } from './identifier.ts';

/** What a subscription costs and grants (spec 002 example: 1000 sats / 30 days, 1000 actions). */
export interface SubscriptionTerms {
  readonly price_msat: number;
  readonly duration_s: number;
  readonly max_actions: number;
}

/** Spec 002's example terms. */
export const DEFAULT_SUBSCRIPTION_TERMS: SubscriptionTerms = { price_msat: 1_000_000, duration_s: 30 * 86_400, max_actions: 1000 };

/** The L402 challenge handed to the agent. */
export interface L402Challenge {
  /** base64url macaroon (v2 binary). */
  readonly macaroon: string;
  /** BOLT 11 invoice to pay; its preimage completes the credential. */
  readonly invoice: string;
  readonly token_id: string;
  readonly expires_at: number;
  readonly max_actions: number;
}

/** Who subscribes, until when (capped by the management credential's expiry). */
export interface SubscriptionRequest {
  readonly agent_did: string;
  readonly tier: Tier;
  /** Unix seconds. */
  readonly now: number;
  /** The credential's expiry, unix seconds: the subscription never outlives it. */
  readonly credential_expires_at: number;
  /** 32 random bytes each. */
  readonly token_id: Uint8Array;
  readonly root_key: Uint8Array;
}

/**
 * Issue a subscription: create the invoice, mint the macaroon, store the root key.
 * @returns the challenge, or the node's RPC error from `invoice` (nothing stored then).
 */
export async function issueSubscription(backend: NodeBackend, store: MgmtStore, terms: SubscriptionTerms, r: SubscriptionRequest): Promise<Result<L402Challenge, NodeRpcError>> {
  const tokenHex = toHex(r.token_id);
  const expires_at = Math.min(r.now + terms.duration_s, r.credential_expires_at);
  const inv = await backend.invoice(terms.price_msat, `hive-l402-${tokenHex}`, `Hive management subscription for ${r.agent_did}`, Math.min(3600, expires_at - r.now));
  if (!inv.ok) return inv;
  const paymentHash = fromHex(inv.value.payment_hash);
  if (!paymentHash || paymentHash.length !== 32) return err({ code: -1, message: 'invoice returned a malformed payment_hash', method: 'invoice' });
  const token: Omit<L402Token, 'used'> = {
    token_id: tokenHex,
    payment_hash: inv.value.payment_hash,
    root_key: r.root_key,
    agent_did: r.agent_did,
    tier: r.tier,
    expires_at,
    max_actions: terms.max_actions,
    bolt11: inv.value.bolt11,
    created_at: r.now,
  };
  store.putL402Token(token);
  return ok(challengeFor(token));
}

/**
 * The challenge of a stored subscription. Macaroon signatures are deterministic (HMAC chain), so
 * an unpaid or unfinished subscription is re-presented rather than a new invoice created.
 */
export function challengeFor(t: Omit<L402Token, 'used'>): L402Challenge {
  const mac = newMacaroon({ rootKey: t.root_key, identifier: encodeIdentifier(fromHex(t.payment_hash)!, fromHex(t.token_id)!), location: 'hivebox', version: 2 });
  for (const c of caveatStrings({ did: t.agent_did, tier: t.tier, expires: t.expires_at, max_actions: t.max_actions })) mac.addFirstPartyCaveat(c);
  return { macaroon: bytesToBase64(exportBinaryV2(mac)), invoice: t.bolt11, token_id: t.token_id, expires_at: t.expires_at, max_actions: t.max_actions };
}
