// Swarm frame codec (services/swarm/PROTOCOL.md "Wire framing"): u16 length prefix, 1..65,535 bytes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from '../../services/swarm/sidecar/framing.mjs'

test('frames round-trip across any chunking, including byte by byte', () => {
  const payloads = [Buffer.from('HIVE{}'), Buffer.alloc(MAX_FRAME_BYTES, 7), Buffer.from([1])]
  const wire = Buffer.concat(payloads.map(encodeFrame))
  for (const size of [1, 3, 1000, wire.length]) {
    const dec = new FrameDecoder()
    const out = []
    for (let i = 0; i < wire.length; i += size) out.push(...dec.push(wire.subarray(i, i + size)))
    assert.deepEqual(out, payloads)
  }
})

test('encodeFrame refuses empty and oversize payloads', () => {
  assert.throws(() => encodeFrame(Buffer.alloc(0)), RangeError)
  assert.throws(() => encodeFrame(Buffer.alloc(MAX_FRAME_BYTES + 1)), RangeError)
})

test('a zero-length frame from the peer is a protocol error', () => {
  assert.throws(() => new FrameDecoder().push(Buffer.from([0, 0, 1])), /zero-length/)
})
