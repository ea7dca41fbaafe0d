/**
 * For any decoded Hive message: which signatures it carries, over which canonical strings, by
 * whom (clhive-protocol.md §3.1–3.2, Appendix A; issue 2 §3). `SIGNED_PARTS` `satisfies
 * Record<MsgType, …>`, so every type states its rule. The text a signature covers is
 * `T = lightningSignedText(canonical)` — verify with `recoverSigner(text, zbase) === claimed_signer`.
 *
 * Framing matters for two types: GOSSIP (spec framing binds the fleet hash) and ATTEST's nonce
 * signature (spec framing signs the domain-separated challenge string).
 * cl-hive types Hivebox does not interpret (generic payloads) report their `signature` with
 * `canonical: null`: present, not checkable yet.
 */
import { lightningSignedText } from '../../canonical/signed-text.ts';
import type { PyJson } from '../../canonical/python-json.ts';
import { defaultScheme } from '../../crypto/default-scheme.ts';
import { recoverSigner } from '../../crypto/lnsign.ts';
import type { SignatureScheme } from '../../crypto/scheme.ts';
import type { HiveMessage, HiveMessageOf } from '../decode.ts';
import type { RawPayload } from '../envelope.ts';
import type { MsgType } from '../message-types.ts';
import { manifestSigningString } from '../payloads/attest.ts';
import { banPeerSigningString } from '../payloads/ban-peer.ts';
import { banProposalSigningString } from '../payloads/ban-proposal.ts';
import { banVoteSigningString } from '../payloads/ban-vote.ts';
import { challengeSigningString } from '../payloads/challenge.ts';
import { fullSyncSigningString } from '../payloads/full-sync.ts';
import { gossipSigningString } from '../payloads/gossip.ts';
import { hiveRevokeSigningString } from '../payloads/hive-revoke.ts';
import { intentAbortSigningString } from '../payloads/intent-abort.ts';
import { memberLeftSigningString } from '../payloads/member-left.ts';
import { msgAckSigningString } from '../payloads/msg-ack.ts';
import { stateHashSigningString } from '../payloads/state-hash.ts';
import { vouchSigningString } from '../payloads/vouch.ts';

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

/** A signed part with the exact text T its signature covers (null when `canonical` is null). */
export interface SignedText extends SignedPart {
  readonly text: string | null;
}

type PartsOf<K extends MsgType> = (m: HiveMessageOf<K>) => SignedPart[];

const none = (): SignedPart[] => [];

/** The one `signature` field of a cl-hive type Hivebox does not interpret yet. */
function opaque(m: { readonly raw: RawPayload }): SignedPart[] {
  const zbase = m.raw.signature;
  return typeof zbase === 'string' ? [{ label: 'signature', canonical: null, zbase, claimed_signer: null }] : [];
}

function single(canonical: string, zbase: string, claimed: string, label = 'signature'): SignedPart[] {
  return [{ label, canonical, zbase, claimed_signer: claimed }];
}

/** Signature rule per message type. */
export const SIGNED_PARTS = {
  HELLO: none,
  CHALLENGE: none,
  ATTEST: (m) => {
    const { manifest } = m.payload;
    const nonceString = challengeSigningString(m.framing, {
      hive_id: m.payload.hive_id ?? '',
      member_node_id: m.payload.member_node_id ?? '',
      nonce: manifest.nonce,
    });
    return [
      { label: 'nonce_signature', canonical: nonceString, zbase: m.payload.nonce_signature, claimed_signer: manifest.pubkey },
      {
        label: 'manifest_signature',
        canonical: manifestSigningString(m.raw.manifest as PyJson),
        zbase: m.payload.manifest_signature,
        claimed_signer: manifest.pubkey,
      },
    ];
  },
  WELCOME: none,
  GOSSIP: (m) => single(gossipSigningString(m.raw, m.framing), m.payload.signature, m.payload.sender_id),
  STATE_HASH: (m) => single(stateHashSigningString(m.raw), m.payload.signature, m.payload.sender_id),
  FULL_SYNC: (m) => single(fullSyncSigningString(m.raw), m.payload.signature, m.payload.sender_id),
  INTENT: none,
  INTENT_ACK: none,
  INTENT_ABORT: (m) => single(intentAbortSigningString(m.raw), m.payload.signature, m.payload.initiator),
  VOUCH: (m) => single(vouchSigningString(m.raw), m.payload.sig, m.payload.voucher_pubkey, 'sig'),
  BAN: none,
  PROMOTION: (m) => {
    const rawVouches = (m.raw.vouches ?? []) as readonly RawPayload[];
    return m.payload.vouches.map((v, i) => ({
      label: `vouches[${i}].sig`,
      canonical: vouchSigningString(rawVouches[i]!),
      zbase: v.sig,
      claimed_signer: v.voucher_pubkey,
    }));
  },
  PROMOTION_REQUEST: none,
  MEMBER_LEFT: (m) => single(memberLeftSigningString(m.raw), m.payload.signature, m.payload.peer_id),
  BAN_PROPOSAL: (m) => single(banProposalSigningString(m.raw), m.payload.signature, m.payload.proposer_peer_id),
  BAN_VOTE: (m) => single(banVoteSigningString(m.raw), m.payload.signature, m.payload.voter_peer_id),
  PEER_AVAILABLE: opaque,
  EXPANSION_NOMINATE: opaque,
  EXPANSION_ELECT: opaque,
  LIQUIDITY_NEED: opaque,
  HEALTH_REPORT: opaque,
  ROUTE_PROBE: opaque,
  EXPANSION_DECLINE: opaque,
  SETTLEMENT_OFFER: opaque,
  FEE_REPORT: opaque,
  FEE_INTELLIGENCE_SNAPSHOT: opaque,
  PEER_REPUTATION_SNAPSHOT: opaque,
  ROUTE_PROBE_BATCH: opaque,
  LIQUIDITY_SNAPSHOT: opaque,
  TASK_REQUEST: opaque,
  TASK_RESPONSE: opaque,
  SPLICE_INIT_REQUEST: opaque,
  SPLICE_INIT_RESPONSE: opaque,
  SPLICE_UPDATE: opaque,
  SPLICE_SIGNED: opaque,
  SPLICE_ABORT: opaque,
  SETTLEMENT_PROPOSE: opaque,
  SETTLEMENT_READY: opaque,
  SETTLEMENT_EXECUTED: opaque,
  STIGMERGIC_MARKER_BATCH: opaque,
  PHEROMONE_BATCH: opaque,
  YIELD_METRICS_BATCH: opaque,
  CIRCULAR_FLOW_ALERT: opaque,
  TEMPORAL_PATTERN_BATCH: opaque,
  CORRIDOR_VALUE_BATCH: opaque,
  POSITIONING_PROPOSAL: opaque,
  PHYSARUM_RECOMMENDATION: opaque,
  COVERAGE_ANALYSIS_BATCH: opaque,
  CLOSE_PROPOSAL: opaque,
  MCF_NEEDS_BATCH: opaque,
  MCF_SOLUTION_BROADCAST: opaque,
  MCF_ASSIGNMENT_ACK: opaque,
  MCF_COMPLETION_REPORT: opaque,
  MSG_ACK: (m) =>
    m.payload.signature === undefined ? [] : single(msgAckSigningString(m.raw), m.payload.signature, m.payload.sender_id),
  DID_CREDENTIAL_PRESENT: opaque,
  DID_CREDENTIAL_REVOKE: opaque,
  MGMT_CREDENTIAL_PRESENT: opaque,
  MGMT_CREDENTIAL_REVOKE: opaque,
  SETTLEMENT_RECEIPT: opaque,
  BOND_POSTING: opaque,
  BOND_SLASH: opaque,
  NETTING_PROPOSAL: opaque,
  NETTING_ACK: opaque,
  VIOLATION_REPORT: opaque,
  ARBITRATION_VOTE: opaque,
  HIVE_REVOKE: (m) => single(hiveRevokeSigningString(m.raw), m.payload.signature, m.payload.admin_pubkey),
  BAN_PEER: (m) => single(banPeerSigningString(m.raw), m.payload.signature, m.payload.reporter_id),
  JOIN_REFUSED: none,
} satisfies { [K in MsgType]: PartsOf<K> };

/**
 * Every signature in `message` with the exact text it covers.
 * @returns one entry per signature (none for unsigned types); `text` is `lightningSignedText(canonical)`.
 */
export function signedTexts(message: HiveMessage): SignedText[] {
  const parts = (SIGNED_PARTS[message.type] as (m: HiveMessage) => SignedPart[])(message);
  return parts.map((p) => ({ ...p, text: p.canonical === null ? null : lightningSignedText(p.canonical) }));
}

/** Outcome of checking a message's signatures by public-key recovery. */
export interface SignatureCheck {
  /** The message carries at least one signature. */
  readonly present: boolean;
  /** All checkable signatures recover to their claimed signers; null when none is checkable. */
  readonly valid: boolean | null;
  /** The key the first signature recovers to (66-hex), or null. */
  readonly signer: string | null;
}

/**
 * Recover every signature of `message` and compare with its claimed signer (no RPC; accepts
 * unannounced nodes — clhive-protocol.md §3.1).
 */
export function checkSignatures(message: HiveMessage, scheme: SignatureScheme = defaultScheme): SignatureCheck {
  const texts = signedTexts(message);
  if (texts.length === 0) return { present: false, valid: null, signer: null };
  let valid: boolean | null = null;
  let signer: string | null = null;
  for (const [i, t] of texts.entries()) {
    if (t.text === null) continue;
    const recovered = recoverSigner(t.text, t.zbase, scheme);
    if (i === 0) signer = recovered;
    valid = (valid ?? true) && recovered !== null && recovered === t.claimed_signer;
  }
  return { present: true, valid, signer };
}
