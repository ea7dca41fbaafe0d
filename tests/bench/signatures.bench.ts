/**
 * Lightning signmessage per secp256k1 library under Bun, on 1,000 distinct messages each signed by
 * its own key (issue 19 §1, §6). Each line times exactly:
 * - `sign`: sha256d of the text + RFC 6979 recoverable sign + zbase32 encode (`signMessage`);
 * - `verify`: the scheme's compact-signature verify against a known key, digest precomputed;
 * - `recover`: zbase32 decode + sha256d + public-key recovery + hex (`recoverSigner`), what every
 *   inbound signed Hive message costs.
 * SHA-256 is what the daemon uses (Bun's native hasher, installed by `selectCrypto`) for every
 * scheme, so the lines compare the curve libraries. The previous default is @noble/curves; the
 * target is libsecp256k1 (the new default where installed) recovering ≥ 12,000 /s and ≥ 8× it.
 */
import { curvesScheme } from '../../runtime/core/crypto/curves-scheme.ts';
import { lightningDigest, recoverSigner, signMessage, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import type { SignatureScheme } from '../../runtime/core/crypto/scheme.ts';
import { tinySecpScheme } from '../../runtime/core/crypto/tiny-secp-scheme.ts';
import { nativeScheme, selectCrypto } from '../../services/secp256k1/select.ts';
import { type Figure, opsPerSecondSync } from './harness.ts';

selectCrypto();
const native = nativeScheme();
const N = 1_000;
const keys = Array.from({ length: N }, (_, i) => {
  const sk = new Uint8Array(32);
  new DataView(sk.buffer).setUint32(0, 0x51c0000 + i + 1);
  sk[31] = 7;
  return sk;
});
const texts = keys.map((_, i) => `{"data_hash":"${(i * 2654435761).toString(16).padStart(64, '0')}","fleet_hash":"","sender_id":"02${i}","timestamp":${1_770_000_000 + i},"version":${i}}`);
const zsigs = texts.map((t, i) => signMessage(t, keys[i]!, native));
const digests = texts.map((t) => lightningDigest(t));
const compacts = zsigs.map((z) => zbase32.decode(z).subarray(1));
const pubkeys = keys.map((k) => native.publicKey(k));

const previous: Record<string, Figure> = {};
for (const scheme of [curvesScheme, nobleScheme, tinySecpScheme, native] as SignatureScheme[]) {
  const isNative = scheme === native;
  const judge = (op: string, target?: number) => ({
    ...(isNative ? { previous: previous[op] } : {}),
    ...(isNative && target !== undefined ? { target: { op: '>=' as const, value: target }, minVsPrevious: 8 } : {}),
  });
  const sign = opsPerSecondSync(`signatures.sign.distinct.${scheme.name}`, N, (i) => signMessage(texts[i]!, keys[i]!, scheme), 5, judge('sign'));
  const verify = opsPerSecondSync(`signatures.verify.distinct.${scheme.name}`, N, (i) => scheme.verify(compacts[i]!, digests[i]!, pubkeys[i]!), 5, judge('verify'));
  const recover = opsPerSecondSync(`signatures.recover.distinct.${scheme.name}`, N, (i) => recoverSigner(texts[i]!, zsigs[i]!, scheme), 5, judge('recover', 12_000));
  if (scheme === curvesScheme) Object.assign(previous, { sign, verify, recover });
}
