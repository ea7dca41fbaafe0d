/**
 * Wire codec throughput on 2,000 distinct realistic GOSSIP messages (tests/bench/fixtures/
 * gossip-corpus.ts: real peers of real 2026-02-03 nodes as topology, ~4.9 kB each; issue 19 §3, §6).
 * Each line times exactly (the decode and native gate lines after one untimed pass over the corpus
 * with the same backend, so JIT tiers and heap are in the daemon's steady state):
 * - `gossip_decode_validate`: `decodeHiveMessage` (framing, UTF-8, JSON guards + parse, envelope,
 *   payload schema: GOSSIP's hand check, zod for what it declines) of each message once;
 * - `gossip_decode_validate_recover`: the same plus `checkSignatures` (data hash over the sorted
 *   topology, signing string, sha256d, public-key recovery, compare with sender_id) — what the
 *   daemon's gate pays per inbound GOSSIP before freshness and membership, which are map look-ups.
 *   Measured with the previous default (@noble/curves + @noble/hashes) and with what `selectCrypto`
 *   installs (libsecp256k1 + Bun's SHA-256); target ≥ 8,000 /s;
 * - `attest_decode_validate_recover2`: one ATTEST fixture, decode + both signature recoveries;
 * - `gossip_encode`: `encodeHiveMessage` of each corpus payload.
 */
import { curvesScheme } from '../../runtime/core/crypto/curves-scheme.ts';
import { defaultScheme, useDefaultScheme } from '../../runtime/core/crypto/default-scheme.ts';
import { portableSha256, useSha256 } from '../../runtime/core/crypto/sha256.ts';
import { checkSignatures, decodeHiveMessage, encodeHiveMessage, type HiveMessage } from '../../runtime/core/wire/index.ts';
import { bunSha256, selectCrypto } from '../../services/secp256k1/select.ts';
import { samplePayload } from '../wire/fixtures.ts';
import { gossipCorpus } from './fixtures/gossip-corpus.ts';
import { opsPerSecondSync } from './harness.ts';

const corpus = await gossipCorpus(2_000);
const attestBytes = encodeHiveMessage('ATTEST', samplePayload('ATTEST', 'spec'), 'spec');
if (!attestBytes.ok) throw new Error('bench fixtures do not encode');

function decodeOk(bytes: Uint8Array): HiveMessage {
  const out = decodeHiveMessage(bytes);
  if (out.kind !== 'message') throw new Error(`bench message did not decode: ${JSON.stringify(out)}`);
  return out.message;
}
const gate = (i: number) => {
  if (checkSignatures(decodeOk(corpus[i]!)).valid !== true) throw new Error('signature');
};

selectCrypto();
const native = defaultScheme;
for (const bytes of corpus) decodeOk(bytes); // warm-up pass, so no line pays the JIT for the others
useDefaultScheme(curvesScheme);
useSha256(portableSha256);
const before = opsPerSecondSync('codec.gossip_decode_validate_recover.distinct.@noble/curves', 500, gate);
useDefaultScheme(native);
useSha256(bunSha256());
opsPerSecondSync('codec.gossip_decode_validate.distinct', corpus.length, (i) => decodeOk(corpus[i]!));
for (let i = 0; i < corpus.length; i++) gate(i); // warm-up on the native backend: the timed runs are the daemon's steady state
opsPerSecondSync(`codec.gossip_decode_validate_recover.distinct.${native.name}`, corpus.length, gate, 5, {
  target: { op: '>=', value: 8_000 },
  previous: before,
});
opsPerSecondSync(`codec.attest_decode_validate_recover2.${native.name}`, 1_000, () => {
  if (checkSignatures(decodeOk(attestBytes.value)).valid !== true) throw new Error('signature');
});
const payloads = corpus.map((b) => decodeOk(b).raw);
opsPerSecondSync('codec.gossip_encode.distinct', corpus.length, (i) => encodeHiveMessage('GOSSIP', payloads[i]!, 'spec'));
