/**
 * The Hive wire codec's public surface (spec 001 §1; clhive-protocol.md §1–3): framings,
 * envelope, message registry, payload schemas, typed errors, freshness and signing strings.
 */
export * from './decode.ts';
export * from './encode.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './framing.ts';
export * from './limits.ts';
export * from './message-types.ts';
export * from './schemas.ts';
export * from './spec.ts';
export * from './payloads/attest.ts';
export * from './payloads/challenge.ts';
export * from './payloads/hello.ts';
export * from './payloads/welcome.ts';
export * from './framing-choice.ts';
export * from './traffic.ts';
export * from './freshness.ts';
export * from './payloads/ban.ts';
export * from './payloads/ban-peer.ts';
export * from './payloads/ban-proposal.ts';
export * from './payloads/ban-vote.ts';
export * from './payloads/full-sync.ts';
export * from './payloads/generic.ts';
export * from './payloads/gossip.ts';
export * from './payloads/hive-revoke.ts';
export * from './payloads/intent.ts';
export * from './payloads/intent-abort.ts';
export * from './payloads/intent-ack.ts';
export * from './payloads/member-left.ts';
export * from './payloads/msg-ack.ts';
export * from './payloads/promotion.ts';
export * from './payloads/promotion-request.ts';
export * from './payloads/state-hash.ts';
export * from './payloads/vouch.ts';
export * from './signing/hashes.ts';
export * from './signing/py-format.ts';
export * from './signing/signed-parts.ts';
export * from './payloads/admission.ts';
