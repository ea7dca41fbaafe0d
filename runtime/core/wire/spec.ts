/**
 * The shape of one Hive message's facts (issue 14 item 5): every message type has exactly one
 * `MessageSpec` in its wire file (payloads/<type>.ts, or payloads/generic.ts for the cl-hive types
 * Hivebox does not interpret), and the registry (message-types.ts) builds every per-type table from
 * them: ids, payload schemas, freshness windows, signature rules, outgoing signing strings, gate
 * rules and event-id fields. A message's transitions stay in its machine file (machines/).
 *
 * Sources: clhive-protocol.md §2.1 (ids), §2.2 (`_check_timestamp_freshness`), §2.3 (payloads and
 * receiver rules), §3.1–3.2 (signing strings), §3.6 (`EVENT_ID_FIELDS`); spec 000 §5, spec 001 §1.
 */
import type { z } from 'zod';
import type { RawPayload } from './envelope.ts';
import type { Framing } from './framing.ts';

/** One signature inside a message. */
export interface SignedPart {
  /** Payload field holding the signature (`signature`, `sig`, `manifest_signature`, `vouches[2].sig`…). */
  readonly label: string;
  /** The canonical string S that was signed, or null when Hivebox does not rebuild it for this type. */
  readonly canonical: string | null;
  /** The zbase32 signature as carried. */
  readonly zbase: string;
  /** The node id the message says signed it (66-hex), or null when the type names none. */
  readonly claimed_signer: string | null;
}

/** What a signature rule reads of a decoded message: its framing, validated view and raw payload. */
export interface MessageView<P> {
  readonly framing: Framing;
  readonly payload: P;
  readonly raw: RawPayload;
}

/** Who may send a type. */
export type SenderTier =
  /** Anyone (the handler only touches state keyed by the sending peer, e.g. MSG_ACK). */
  | 'any'
  /** A certified member of either tier, not banned. */
  | 'certified'
  /** A full (`member` tier) member, not banned. */
  | 'full'
  /** A neophyte, not banned (PROMOTION_REQUEST). */
  | 'neophyte'
  /** A fleet admin key trusted by this hive (HIVE_REVOKE). */
  | 'admin';

/** Gate rule of one fleet type (machines/admit.ts applies it). */
export interface GateRule {
  /** Payload field naming the originator; null = the BOLT 8 peer itself (unsigned envelope). */
  readonly sender: string | null;
  /** May arrive from a peer other than the originator (only types the originator signs). */
  readonly relay: boolean;
  readonly tier: SenderTier;
}

/** Every fact of one message type. `P` is the validated payload (`z.output` of `schema`). */
export interface MessageSpec<P = unknown> {
  /** Message name (`'GOSSIP'`): the registry key. */
  readonly name: string;
  /** Hive message id (envelope `type`; in spec framing also the BOLT type): odd, 32769–33000. */
  readonly id: number;
  /**
   * Payload schema both framings accept. The payload files define it (and `spec_schema`) as a
   * getter over a `lazy` build (core/lazy.ts): a schema is built when a message first needs it,
   * not when the wire code is loaded (issue 19 §4).
   */
  readonly schema: z.ZodType<P>;
  /** Stricter schema in spec framing (Hivebox-only fields required), when there is one. */
  readonly spec_schema?: z.ZodType;
  /**
   * `schema`'s success path by hand, for a hot type (issue 19 §3): the view exactly as `schema`
   * outputs it, or null for anything it does not accept (then `schema` decides and names the
   * offence). Never accepts what `schema` refuses; only used where `schema` applies.
   */
  readonly accept?: (raw: RawPayload) => P | null;
  /** Max age of `timestamp` in seconds; null = no freshness check (as in cl-hive). */
  readonly max_age_s: number | null;
  /** Every signature the message carries, over which canonical string, by whom. */
  readonly signed: (m: MessageView<P>) => SignedPart[];
  /** The canonical string S the originator signs when Hivebox sends this type (single-signature types). */
  readonly signing_string?: (raw: RawPayload, framing: Framing) => string;
  /** Who may send it to the fleet; absent = not a fleet type (handshake, or not consumed). */
  readonly gate?: GateRule;
  /** Identity fields of its idempotency id (reliable types; machines/event-id.ts). */
  readonly event_id_fields?: readonly string[];
  /** Only Hivebox understands it: never sent to a member speaking cl-hive framing. */
  readonly hivebox_only?: true;
}

/** The signature rule of an unsigned type. */
export const unsigned = (): SignedPart[] => [];

/** The one `signature` field of a cl-hive type Hivebox does not interpret yet: present, not checkable. */
export function opaqueSignature(m: { readonly raw: RawPayload }): SignedPart[] {
  const zbase = m.raw.signature;
  return typeof zbase === 'string' ? [{ label: 'signature', canonical: null, zbase, claimed_signer: null }] : [];
}

/** A one-signature rule: `zbase` over `canonical`, claimed by `claimed`. */
export function singleSignature(canonical: string, zbase: string, claimed: string, label = 'signature'): SignedPart[] {
  return [{ label, canonical, zbase, claimed_signer: claimed }];
}
