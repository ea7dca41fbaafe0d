/**
 * Hive feature names, the invite-ticket requirement bitmask, and the BOLT 9 feature bits that
 * prove each feature on a live connection.
 *
 * Requirement bits are cl-hive's `Requirements` (clhive-protocol.md §3.4): splice 1, dual-fund 2,
 * anchor 4, onion-msg 8, mapping to the manifest feature strings `splice`, `dual-fund`, `anchor`,
 * `onion-msg`. The BOLT 9 bits are CLN's `common/features.h`: OPT_ANCHORS_ZERO_FEE_HTLC_TX 22
 * (BOLT 9 `option_anchors`, 22/23), OPT_DUAL_FUND 28 (`option_dual_fund`, 28/29),
 * OPT_ONION_MESSAGES 38 (`option_onion_messages`, 38/39), OPT_SPLICE 62 (`option_splice`, 62/63)
 * and OPT_EXPERIMENTAL_SPLICE 162 (163) which CLN advertised before splicing was final. Each
 * feature is a pair: the even bit means required, the odd bit means supported; either counts.
 */
import { fromHex } from '../types.ts';

/** A probe-able Hive feature (manifest `features` string). */
export type HiveFeature = 'splice' | 'dual-fund' | 'anchor' | 'onion-msg';

/** Requirement bitmask values (cl-hive `Requirements`). */
export const REQUIREMENT_BITS: Readonly<Record<HiveFeature, number>> = {
  splice: 1,
  'dual-fund': 2,
  anchor: 4,
  'onion-msg': 8,
};

/** All requirement bits together (15); a ticket with other bits set is malformed. */
export const ALL_REQUIREMENTS = 15;

/** Even (compulsory) BOLT 9 bits whose pair proves each feature; see the file header for sources. */
const BOLT9_EVEN_BITS: Readonly<Record<HiveFeature, readonly number[]>> = {
  splice: [62, 162],
  'dual-fund': [28],
  anchor: [22],
  'onion-msg': [38],
};

/**
 * Manifest feature strings that name a probe-able feature. cl-hive writes `anchor` in its
 * requirement mapping; `anchors` is accepted as the same claim.
 */
const FEATURE_ALIASES: Readonly<Record<string, HiveFeature>> = {
  splice: 'splice',
  'dual-fund': 'dual-fund',
  anchor: 'anchor',
  anchors: 'anchor',
  'onion-msg': 'onion-msg',
};

/** The probe-able feature a manifest string claims, or null for strings we cannot probe (`proto-v2`, `mcf`). */
export function claimedFeature(name: string): HiveFeature | null {
  return Object.hasOwn(FEATURE_ALIASES, name) ? FEATURE_ALIASES[name]! : null;
}

/**
 * True when BOLT 9 bit `bit` is set in `features` (big-endian byte string, bit 0 = least
 * significant bit of the last byte, BOLT 1 / BOLT 9 "Flags are numbered from the least-significant bit").
 */
function hasBit(features: Uint8Array, bit: number): boolean {
  const index = features.length - 1 - (bit >> 3);
  return index >= 0 && (features[index]! & (1 << (bit & 7))) !== 0;
}

/**
 * Which Hive features a peer's negotiated feature bits prove.
 * @param featuresHex CLN `listpeers` → `features`: "Bitmap of BOLT #9 features from peer's INIT message".
 * @returns the set of proven features, or null when `featuresHex` is not hex.
 */
export function negotiatedFeatures(featuresHex: string): ReadonlySet<HiveFeature> | null {
  const bytes = fromHex(featuresHex);
  if (!bytes) return null;
  const proven = new Set<HiveFeature>();
  for (const [feature, bits] of Object.entries(BOLT9_EVEN_BITS) as [HiveFeature, readonly number[]][]) {
    if (bits.some((even) => hasBit(bytes, even) || hasBit(bytes, even + 1))) proven.add(feature);
  }
  return proven;
}

/** Requirement bitmask of a feature set. */
export function requirementMask(features: ReadonlySet<HiveFeature>): number {
  let mask = 0;
  for (const f of features) mask |= REQUIREMENT_BITS[f];
  return mask;
}

/** Feature names whose bits are set in `mask` and missing from `proven`, in bit order. */
export function missingRequirements(mask: number, proven: ReadonlySet<HiveFeature>): HiveFeature[] {
  return (Object.keys(REQUIREMENT_BITS) as HiveFeature[]).filter((f) => (mask & REQUIREMENT_BITS[f]) !== 0 && !proven.has(f));
}
