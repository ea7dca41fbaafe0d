/**
 * Lightning signmessage speed per secp256k1 library under Bun (issue 2 §3): sign (sha256d +
 * RFC 6979 sign + zbase32), verify (compact r‖s against a known key) and recover (zbase32 → node
 * id, what every inbound Hive message costs). `defaultScheme` picks the winner (default-scheme.ts).
 */
import { curvesScheme } from '../../runtime/core/crypto/curves-scheme.ts';
import { lightningDigest, recoverSigner, signMessage, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { tinySecpScheme } from '../../runtime/core/crypto/tiny-secp-scheme.ts';
import { opsPerSecond } from './harness.ts';

const sk = new Uint8Array(32).fill(0x11);
const text = '{"data_hash":"c7f1880cf1ecabdd257329cf0fe4aa637d93cfbfaafc95829759d450acae0cf1","fleet_hash":"","sender_id":"02…","timestamp":1760000000,"version":7}';

for (const scheme of [nobleScheme, curvesScheme, tinySecpScheme]) {
  const zsig = signMessage(text, sk, scheme);
  const compact = zbase32.decode(zsig).subarray(1);
  const digest = lightningDigest(text);
  const pub = scheme.publicKey(sk);
  await opsPerSecond(`signatures.${scheme.name}.sign`, 1_000, (i) => signMessage(`${text}${i}`, sk, scheme));
  await opsPerSecond(`signatures.${scheme.name}.verify`, 1_000, () => scheme.verify(compact, digest, pub));
  await opsPerSecond(`signatures.${scheme.name}.recover`, 1_000, () => recoverSigner(text, zsig, scheme));
}
