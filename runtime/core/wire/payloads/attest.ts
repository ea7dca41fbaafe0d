/**
 * HIVE_ATTEST (32773), candidate → member: the signed manifest (spec 001 §2.2 step 3, spec 000
 * §4.2; clhive-protocol.md §2.3).
 *
 * `{pubkey?, version?, features?, nonce_signature, manifest_signature,
 *   manifest: {pubkey, version, features, timestamp, nonce}}`; top-level copies, when present,
 * must equal the manifest's. In spec framing Hivebox adds `hive_id` and `member_node_id` (the
 * values the nonce signature binds, see challenge.ts) so the message verifies on its own; the
 * member still checks they are its own.
 *
 * Signatures: `manifest_signature` over JSON-canonical(manifest as received, extra keys included);
 * `nonce_signature` over `challengeSigningString(framing, …)`. Both by `manifest.pubkey`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson, type PyJson } from '../../canonical/python-json.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { hex64, hiveId, pubkey, text, timestamp, zbaseSig } from '../primitives.ts';
import type { MessageSpec, MessageView, SignedPart } from '../spec.ts';
import { challengeSigningString } from './challenge.ts';

const features = lazy(() => z.array(text(FIELD_LIMITS.featureChars)).max(FIELD_LIMITS.features));
const softwareVersion = lazy(() => text(FIELD_LIMITS.peerIdChars));

/** The manifest: who the candidate is, what it runs and claims, the challenge nonce. */
export const Manifest = lazy(() =>
  z.object({
    pubkey: pubkey(),
    version: softwareVersion(),
    features: features(),
    timestamp: timestamp(),
    nonce: hex64(),
  }),
);

/** Validated manifest. */
export type Manifest = z.output<ReturnType<typeof Manifest>>;

const attestObject = lazy(() =>
  z.object({
    pubkey: pubkey().optional(),
    version: softwareVersion().optional(),
    features: features().optional(),
    nonce_signature: zbaseSig(),
    manifest_signature: zbaseSig(),
    manifest: Manifest(),
    hive_id: hiveId().optional(),
    member_node_id: pubkey().optional(),
  }),
);

type AttestShape = z.output<ReturnType<typeof attestObject>>;

function topLevelMatchesManifest(p: AttestShape, ctx: z.RefinementCtx): void {
  if (p.pubkey !== undefined && p.pubkey !== p.manifest.pubkey) {
    ctx.addIssue({ code: 'custom', path: ['pubkey'], message: 'differs from manifest.pubkey' });
  }
  if (p.version !== undefined && p.version !== p.manifest.version) {
    ctx.addIssue({ code: 'custom', path: ['version'], message: 'differs from manifest.version' });
  }
  if (p.features !== undefined && JSON.stringify(p.features) !== JSON.stringify(p.manifest.features)) {
    ctx.addIssue({ code: 'custom', path: ['features'], message: 'differs from manifest.features' });
  }
}

/** ATTEST as either framing may carry it. */
const AttestPayload = lazy(() => attestObject().superRefine(topLevelMatchesManifest));

/** ATTEST in spec framing: `hive_id` and `member_node_id` are required. */
const AttestSpecPayload = lazy(() =>
  attestObject()
    .extend({ hive_id: hiveId(), member_node_id: pubkey() })
    .superRefine(topLevelMatchesManifest),
);

/** Validated ATTEST payload. */
type AttestPayload = z.output<ReturnType<typeof AttestPayload>>;

/**
 * The canonical string `manifest_signature` covers: JSON-canonical of the manifest object as
 * received (pass the raw manifest so Python floats and extra keys are reproduced exactly).
 */
export function manifestSigningString(rawManifest: PyJson): string {
  return canonicalJson(rawManifest);
}

/** ATTEST's two signatures, both by `manifest.pubkey`: the nonce (framing-specific string) and the manifest. */
function attestSignatures(m: MessageView<AttestPayload>): SignedPart[] {
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
}

/** ATTEST's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const ATTEST_SPEC = {
  name: 'ATTEST',
  id: 32773,
  get schema() {
    return AttestPayload();
  },
  get spec_schema() {
    return AttestSpecPayload();
  },
  max_age_s: null,
  signed: attestSignatures,
} as const satisfies MessageSpec<AttestPayload>;
