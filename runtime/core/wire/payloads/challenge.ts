/**
 * HIVE_CHALLENGE (32771), member → candidate: `{nonce, hive_id}` (spec 001 §2.2 step 2;
 * clhive-protocol.md §2.3, §3.5). The nonce is 32 random bytes as 64 lowercase hex chars — a
 * candidate signs nothing else (§15 item 2, signing-oracle fix).
 *
 * What the candidate signs for the nonce depends on the framing:
 * - clhive: the bare nonce string (what cl-hive verifies);
 * - spec: the domain-separated `hive:challenge:<hive_id>:<member_node_id>:<nonce>`, so the
 *   signature is useless for any other hive, member or purpose.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { Framing } from '../framing.ts';
import { hex64, hiveId } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

/** Validated CHALLENGE payload schema. */
const ChallengePayload = lazy(() => z.object({ nonce: hex64(), hive_id: hiveId() }));

/** Validated CHALLENGE payload. */
type ChallengePayload = z.output<ReturnType<typeof ChallengePayload>>;

/** What a challenge signature binds: the challenge plus the member that issued it. */
interface ChallengeBinding {
  readonly hive_id: string;
  /** Node id of the member that sent CHALLENGE (and will receive ATTEST). */
  readonly member_node_id: string;
  /** The 64-hex nonce. */
  readonly nonce: string;
}

/**
 * The canonical string a candidate signs to answer a challenge (before `lightningSignedText`).
 * @returns the bare nonce in clhive framing; `hive:challenge:<hive_id>:<member_node_id>:<nonce>` in spec framing.
 */
export function challengeSigningString(framing: Framing, binding: ChallengeBinding): string {
  if (framing === 'clhive') return binding.nonce;
  return `hive:challenge:${binding.hive_id}:${binding.member_node_id}:${binding.nonce}`;
}

/** CHALLENGE's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const CHALLENGE_SPEC = {
  name: 'CHALLENGE',
  id: 32771,
  get schema() {
    return ChallengePayload();
  },
  max_age_s: null,
  signed: unsigned,
} as const satisfies MessageSpec<ChallengePayload>;
