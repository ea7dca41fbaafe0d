/**
 * Wire codec throughput (issue 2 §8): decode + validate of a GOSSIP-sized message (20 external
 * peers in its topology, 2,019 bytes), with and without signature recovery; ATTEST decode + both
 * signature recoveries; GOSSIP encode.
 */
import { checkSignatures, decodeHiveMessage, encodeHiveMessage, gossipSigningString, type RawPayload } from '../../runtime/core/wire/index.ts';
import { toHex } from '../../runtime/core/types.ts';
import { KEY_A, NOW, sign, samplePayload } from '../wire/fixtures.ts';
import { opsPerSecond } from './harness.ts';

const topology = Array.from({ length: 20 }, (_, i) => `02${toHex(new Uint8Array(32).fill(i + 1))}`);
const { signature: _unsigned, ...base } = samplePayload('GOSSIP', 'spec');
const unsigned = { ...base, topology, timestamp: NOW };
const gossip = { ...unsigned, signature: sign(gossipSigningString(unsigned as RawPayload, 'spec'), KEY_A) };
const gossipBytes = encodeHiveMessage('GOSSIP', gossip, 'spec');
const attestBytes = encodeHiveMessage('ATTEST', samplePayload('ATTEST', 'spec'), 'spec');
if (!gossipBytes.ok || !attestBytes.ok) throw new Error('bench fixtures do not encode');

function decodeOk(bytes: Uint8Array): NonNullable<Extract<ReturnType<typeof decodeHiveMessage>, { kind: 'message' }>['message']> {
  const out = decodeHiveMessage(bytes);
  if (out.kind !== 'message') throw new Error(`bench message did not decode: ${JSON.stringify(out)}`);
  return out.message;
}

await opsPerSecond('codec.gossip_decode_validate', 20_000, () => decodeOk(gossipBytes.value));
await opsPerSecond('codec.gossip_decode_validate_recover', 2_000, () => {
  if (checkSignatures(decodeOk(gossipBytes.value)).valid !== true) throw new Error('signature');
});
await opsPerSecond('codec.attest_decode_validate_recover2', 1_000, () => {
  if (checkSignatures(decodeOk(attestBytes.value)).valid !== true) throw new Error('signature');
});
await opsPerSecond('codec.gossip_encode', 20_000, () => encodeHiveMessage('GOSSIP', gossip, 'spec'));
