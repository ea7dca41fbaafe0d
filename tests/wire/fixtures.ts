/**
 * Valid sample payloads for every Hive message type, signed with fixed test keys over the exact
 * canonical strings (so a decode + `checkSignatures` round trip must report valid). Shared by
 * the wire tests, the CLI test and the codec bench.
 */
import { type PyJson, PyFloat } from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { toHex } from '../../runtime/core/types.ts';
import {
  banPeerSigningString,
  banProposalSigningString,
  banVoteSigningString,
  challengeSigningString,
  type Framing,
  fullSyncSigningString,
  gossipSigningString,
  hiveRevokeSigningString,
  intentAbortSigningString,
  manifestSigningString,
  membershipHash,
  fleetHash,
  memberLeftSigningString,
  MSG_TYPE_NAMES,
  msgAckSigningString,
  type MsgType,
  type PayloadInput,
  type RawPayload,
  stateHashSigningString,
  vouchSigningString,
} from '../../runtime/core/wire/index.ts';

/** Fixed clock of the samples (unix seconds). */
export const NOW = 1_760_000_000;

/** A test key pair. */
export interface TestKey {
  readonly sk: Uint8Array;
  readonly node_id: string;
}

function key(byte: number): TestKey {
  const sk = new Uint8Array(32).fill(byte);
  return { sk, node_id: toHex(nobleScheme.publicKey(sk)) };
}

/** Candidate / member A, member B, admin key, external peer. */
export const KEY_A = key(0x11);
export const KEY_B = key(0x22);
export const KEY_ADMIN = key(0x33);
export const KEY_EXT = key(0x44);
export const HIVE_ID = 'hive_0123456789abcdef';
const NONCE = '5f'.repeat(32);

/** Sign canonical string S with `k` the way lightningd would (over T). */
export function sign(canonical: string, k: TestKey): string {
  return signMessage(lightningSignedText(canonical), k.sk);
}

function withSig(p: PayloadInput, canonical: (raw: RawPayload) => string, k: TestKey, field = 'signature'): PayloadInput {
  return { ...p, [field]: sign(canonical(p as RawPayload), k) };
}

function attest(framing: Framing): PayloadInput {
  const manifest = { pubkey: KEY_A.node_id, version: 'hivebox 0.1.0', features: ['splice', 'proto-v2'], timestamp: NOW, nonce: NONCE };
  const binding = { hive_id: HIVE_ID, member_node_id: KEY_B.node_id, nonce: NONCE };
  return {
    pubkey: KEY_A.node_id,
    version: manifest.version,
    features: manifest.features,
    nonce_signature: sign(challengeSigningString(framing, binding), KEY_A),
    manifest_signature: sign(manifestSigningString(manifest), KEY_A),
    manifest,
    ...(framing === 'spec' ? { hive_id: HIVE_ID, member_node_id: KEY_B.node_id } : {}),
  };
}

function gossip(framing: Framing): PayloadInput {
  const p: PayloadInput = {
    peer_id: KEY_A.node_id,
    sender_id: KEY_A.node_id,
    capacity_sats: 5_000_000,
    available_sats: 2_500_000,
    fee_policy: { base_fee: 0, fee_rate: 0, min_htlc: 0, max_htlc: 0, cltv_delta: 40 },
    topology: [KEY_EXT.node_id],
    version: 7,
    timestamp: NOW,
    state_hash: 'ab'.repeat(32),
    addresses: ['203.0.113.5:9735'],
    capabilities: ['mcf'],
  };
  return withSig(p, (raw) => gossipSigningString(raw, framing), KEY_A);
}

function vouch(): PayloadInput {
  const p = { target_pubkey: KEY_A.node_id, request_id: 'a1'.repeat(16), timestamp: NOW, voucher_pubkey: KEY_B.node_id };
  return withSig(p, vouchSigningString, KEY_B, 'sig');
}

const members = [
  { peer_id: KEY_B.node_id, tier: 'member', joined_at: NOW - 86_400 },
  { peer_id: KEY_A.node_id, tier: 'neophyte', joined_at: NOW },
];

const CORE: Partial<Record<MsgType, (framing: Framing) => PayloadInput>> = {
  HELLO: () => ({ pubkey: KEY_A.node_id, protocol_version: 1, supported_versions: [1, 2], ticket: 'eyJoaXZlX2lkIjoiaGl2ZSJ9' }),
  CHALLENGE: () => ({ nonce: NONCE, hive_id: HIVE_ID }),
  ATTEST: attest,
  WELCOME: () => ({ hive_id: HIVE_ID, tier: 'neophyte', member_count: 2, state_hash: '0'.repeat(64), members, membership_hash: membershipHash(members) }),
  GOSSIP: gossip,
  STATE_HASH: () =>
    withSig(
      { fleet_hash: 'ab'.repeat(32), peer_count: 2, timestamp: NOW, membership_hash: 'cd'.repeat(32), sender_id: KEY_B.node_id },
      stateHashSigningString,
      KEY_B,
    ),
  FULL_SYNC: () =>
    withSig(
      {
        states: [
          {
            peer_id: KEY_B.node_id,
            capacity_sats: 1_000_000,
            available_sats: 400_000,
            fee_policy: { base_fee: 0, fee_rate: new PyFloat(1) },
            topology: [],
            version: 3,
            last_update: NOW - 60,
            state_hash: '',
          },
        ],
        fleet_hash: fleetHash([{ peer_id: KEY_B.node_id, version: 3, last_update: NOW - 60 }]),
        timestamp: NOW,
        members,
        sender_id: KEY_B.node_id,
      },
      fullSyncSigningString,
      KEY_B,
    ),
  INTENT: () => ({ intent_type: 'channel_open', target: KEY_EXT.node_id, initiator: KEY_A.node_id, timestamp: NOW, expires_at: NOW + 60, amount_sats: 2_000_000 }),
  INTENT_ACK: () => ({ intent_type: 'channel_open', target: KEY_EXT.node_id, initiator: KEY_A.node_id, timestamp: NOW, sender_id: KEY_B.node_id }),
  INTENT_ABORT: () =>
    withSig(
      { intent_type: 'channel_open', target: KEY_EXT.node_id, initiator: KEY_A.node_id, timestamp: NOW, reason: 'tie_breaker_loss' },
      intentAbortSigningString,
      KEY_A,
    ),
  VOUCH: vouch,
  BAN: () => ({ peer_id: KEY_EXT.node_id, reason: 'probing attack', proposal_id: 'b2'.repeat(16) }),
  PROMOTION: () => ({ target_pubkey: KEY_A.node_id, request_id: 'a1'.repeat(16), vouches: [vouch() as { [k: string]: PyJson }] }),
  PROMOTION_REQUEST: () => ({ target_pubkey: KEY_A.node_id, request_id: 'a1'.repeat(16), timestamp: NOW }),
  MEMBER_LEFT: () => withSig({ peer_id: KEY_A.node_id, timestamp: NOW, reason: 'Wartung – "geplant"' }, memberLeftSigningString, KEY_A),
  BAN_PROPOSAL: () =>
    withSig(
      { proposal_id: 'b2'.repeat(16), target_peer_id: KEY_A.node_id, proposer_peer_id: KEY_B.node_id, reason: 'fee gaming\nrepeatedly', timestamp: NOW, proposal_type: 'standard' },
      banProposalSigningString,
      KEY_B,
    ),
  BAN_VOTE: () => withSig({ proposal_id: 'b2'.repeat(16), voter_peer_id: KEY_B.node_id, vote: 'approve', timestamp: NOW }, banVoteSigningString, KEY_B),
  MSG_ACK: () => withSig({ ack_msg_id: 'c3'.repeat(16), status: 'ok', sender_id: KEY_B.node_id, timestamp: NOW }, msgAckSigningString, KEY_B),
  HIVE_REVOKE: () =>
    withSig(
      { hive_id: HIVE_ID, revocation_id: 'd4'.repeat(16), node_id: KEY_A.node_id, admin_pubkey: KEY_ADMIN.node_id, reason: 'key compromised', timestamp: NOW },
      hiveRevokeSigningString,
      KEY_ADMIN,
    ),
  BAN_PEER: () =>
    withSig(
      { hive_id: HIVE_ID, ban_id: 'e5'.repeat(16), peer_id: KEY_EXT.node_id, reporter_id: KEY_B.node_id, reason: 'drain attack', evidence: ['scid 800000x1x0 drained 3x in 1h'], timestamp: NOW },
      banPeerSigningString,
      KEY_B,
    ),  JOIN_REFUSED: () => ({ rule: 'ticket_already_used', detail: 'used at 2025-10-09T08:53:20Z by another node', timestamp: NOW }),
};

/** Types with a full schema; the rest are generic (known by name only). */
export const VALIDATED_TYPES = Object.keys(CORE) as MsgType[];

/** A valid payload of `type` for `framing` (generic types: a cl-hive-shaped report with relay metadata). */
export function samplePayload(type: MsgType, framing: Framing): PayloadInput {
  const build = CORE[type];
  if (build) return build(framing);
  return { reporter_id: KEY_A.node_id, timestamp: NOW, signature: 'y'.repeat(104), _relay: { ttl: 2, relay_path: [KEY_B.node_id] } };
}

/** Every message type with a sample. */
export const ALL_TYPES: readonly MsgType[] = MSG_TYPE_NAMES;
