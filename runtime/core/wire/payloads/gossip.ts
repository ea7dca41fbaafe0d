/**
 * HIVE_GOSSIP (32777): a member's state toward the fleet (spec 001 §3.2; clhive-protocol.md
 * §2.3 table, §3.2, §4.5). Signed by `sender_id`.
 *
 * Signing string (JSON-canonical):
 * `{"data_hash", "fleet_hash", "sender_id", "timestamp", "version"}` with
 * `data_hash = sha256hex(J{"available_sats","capacity_sats","fee_policy","topology": sorted})`.
 * - clhive framing: `fleet_hash = payload.fleet_hash ?? ""` — cl-hive's exact string; in practice
 *   always `""`, since gossip carries `state_hash` (§15 item 6).
 * - spec framing: `fleet_hash = payload.state_hash ?? ""`, so the signature binds the sender's
 *   fleet hash too (issue 4 §1).
 *
 * `hivebox_swarm_binding` (optional, Hivebox only; issue 10 §2): the sender's swarm key binding
 * statement (runtime/core/swarm/binding.ts). It carries its own node-key signature, so it is not
 * part of the signing string above, which stays byte-identical to cl-hive's; cl-hive ignores the
 * key (clhive-protocol.md §1.4). A value that is not exactly the binding shape makes the whole
 * GOSSIP invalid (`invalid_field`), so nothing of it is applied.
 *
 * `hivebox_member` (optional, Hivebox only, spec framing; issue 15 item 1): the sender's own member
 * row with its admission proof (payloads/admission.ts `MemberClaim`), likewise outside the signing string.
 *
 * An inbound GOSSIP that passes is validated by gossip-accept.ts (the schema's rules by hand); the
 * zod schema here decides and names the offence for anything else.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson, PyFloat, pySorted, type PyJson, writeAscii, writeSortedPlainStrings } from '../../canonical/python-json.ts';
import { sha256 } from '../../crypto/sha256.ts';
import { toHex } from '../../types.ts';
import type { RawPayload } from '../envelope.ts';
import type { Framing } from '../framing.ts';
import { AGE_LIMITS, FIELD_LIMITS, WIRE_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { decodeBinding, type BindingStatement } from '../../swarm/binding.ts';
import { MemberClaim } from './admission.ts';
import { acceptGossip, isTopology } from './gossip-accept.ts';
import { sha256Hex } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

const feeValue = lazy(() =>
  z.preprocess(
    (v) => (v instanceof PyFloat ? v.value : v),
    z.number().min(0).max(FIELD_LIMITS.feePolicyMaxValue),
  ),
);

/** `fee_policy`: ≤ 20 keys of ≤ 256 chars, numeric values 0..10,000,000. */
export const FeePolicy = lazy(() =>
  z
    .record(text(FIELD_LIMITS.feePolicyKeyChars), feeValue())
    .refine((o) => Object.keys(o).length <= FIELD_LIMITS.feePolicyKeys, `at most ${FIELD_LIMITS.feePolicyKeys} keys`),
);

/** `capabilities`: ≤ 20 entries of ≤ 32 chars (e.g. `["mcf"]`). */
export const Capabilities = lazy(() => z.array(text(FIELD_LIMITS.capabilityChars)).max(FIELD_LIMITS.capabilitiesItems));

/** `addresses`: "host:port" strings from `getinfo`. */
export const Addresses = lazy(() => z.array(text(FIELD_LIMITS.addressChars)).max(FIELD_LIMITS.addressesItems));

/**
 * `topology`: ≤ 200 strings of 1..256 chars, checked in one loop (a per-item zod schema was a
 * fifth of the GOSSIP decode; issue 19 §3). An offence names the field `topology`.
 */
const Topology = lazy(() =>
  z.custom<string[]>(
    isTopology,
    `expected at most ${FIELD_LIMITS.topologyItems} strings of 1..${FIELD_LIMITS.topologyItemChars} chars`,
  ),
);

/** `hivebox_swarm_binding`: exactly the six binding fields with valid shapes (`decodeBinding`); the signature is checked by the swarm gate. */
const SwarmBindingValue = lazy(() => z.custom<BindingStatement>((v) => decodeBinding(v).ok, 'not a swarm binding statement'));

/** GOSSIP payload schema. `available_sats ≤ capacity_sats`; `peer_id`, when sent, equals `sender_id`. */
const GossipPayload = lazy(() =>
  z
    .object({
      peer_id: pubkey().optional(),
      sender_id: pubkey(),
      capacity_sats: count(),
      available_sats: count(),
      fee_policy: FeePolicy(),
      topology: Topology(),
      version: count(),
      timestamp: count(),
      state_hash: text(FIELD_LIMITS.peerIdChars).optional(),
      fleet_hash: text(FIELD_LIMITS.peerIdChars).optional(),
      budget_available_sats: count().optional(),
      budget_reserved_until: count().optional(),
      budget_last_update: count().optional(),
      addresses: Addresses().optional(),
      capabilities: Capabilities().optional(),
      hivebox_swarm_binding: SwarmBindingValue().optional(),
      hivebox_member: MemberClaim().optional(),
      signature: zbaseSig(),
    })
    .superRefine((p, ctx) => {
      if (p.available_sats > p.capacity_sats) {
        ctx.addIssue({ code: 'custom', path: ['available_sats'], message: 'available_sats exceeds capacity_sats' });
      }
      if (p.peer_id !== undefined && p.peer_id !== p.sender_id) {
        ctx.addIssue({ code: 'custom', path: ['peer_id'], message: 'peer_id differs from sender_id' });
      }
    }),
);

/** Validated GOSSIP payload. */
export type GossipPayload = z.output<ReturnType<typeof GossipPayload>>;

/** Where the data text of a plain GOSSIP is written to be hashed (its ~14 kB never become a string). */
const DATA_TEXT = new Uint8Array(WIRE_LIMITS.maxMessageBytes);

/**
 * cl-hive `compute_gossip_data_hash`: sha256 hex of the canonical data fields (defaults 0 / {} / []),
 * `{"available_sats","capacity_sats","fee_policy","topology": sorted}`. `topology` sorts last, so
 * the text is the other three fields' canonical object opened up, then the sorted topology. A
 * topology of plain strings (node ids) is written and hashed as bytes (issue 19 §3); any other
 * goes through `canonicalJson(pySorted(…))`.
 */
function gossipDataHash(raw: RawPayload): string {
  const data = canonicalJson({
    capacity_sats: raw.capacity_sats ?? 0,
    available_sats: raw.available_sats ?? 0,
    fee_policy: raw.fee_policy ?? {},
  });
  const head = `${data.slice(0, -1)},"topology":`;
  const topology = Array.isArray(raw.topology) ? (raw.topology as readonly string[]) : [];
  let n = writeAscii(head, DATA_TEXT, 0);
  if (n >= 0) n = writeSortedPlainStrings(topology, DATA_TEXT, n);
  if (n >= 0 && n < DATA_TEXT.length) {
    DATA_TEXT[n++] = 0x7d;
    return toHex(sha256(DATA_TEXT.subarray(0, n)));
  }
  return sha256Hex(`${head}${canonicalJson(pySorted(topology))}}`);
}

/** The canonical string a GOSSIP signature covers in `framing` (see file header). */
export function gossipSigningString(raw: RawPayload, framing: Framing): string {
  const fleetHash: PyJson = (framing === 'spec' ? raw.state_hash : raw.fleet_hash) ?? '';
  return canonicalJson({
    sender_id: raw.sender_id ?? '',
    timestamp: raw.timestamp ?? 0,
    version: raw.version ?? 0,
    fleet_hash: fleetHash,
    data_hash: gossipDataHash(raw),
  });
}

/** GOSSIP's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const GOSSIP_SPEC = {
  name: 'GOSSIP',
  id: 32777,
  get schema() {
    return GossipPayload();
  },
  accept: acceptGossip,
  max_age_s: AGE_LIMITS.gossip_s,
  signed: (m) => singleSignature(gossipSigningString(m.raw, m.framing), m.payload.signature, m.payload.sender_id),
  signing_string: gossipSigningString,
  gate: { sender: 'sender_id', relay: true, tier: 'certified' },
} as const satisfies MessageSpec<GossipPayload>;
