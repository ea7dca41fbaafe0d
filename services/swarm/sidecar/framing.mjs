// Frame codec of the swarm Noise stream (services/swarm/PROTOCOL.md "Wire framing"): each frame is
// a 2-byte big-endian length followed by that many payload bytes, 1..65,535 bytes — the BOLT 8
// message limit, so any Hive envelope that fits a `sendcustommsg` fits one frame.

/** Largest frame payload in bytes (BOLT 8 / cl-hive MAX_MESSAGE_BYTES). */
export const MAX_FRAME_BYTES = 65535

/**
 * Length-prefix one payload.
 * @param {Uint8Array} payload 1..65,535 bytes
 * @returns {Buffer}
 * @throws {RangeError} when the payload is empty or longer than MAX_FRAME_BYTES
 */
export function encodeFrame (payload) {
  if (payload.length === 0 || payload.length > MAX_FRAME_BYTES) {
    throw new RangeError(`frame payload must be 1..${MAX_FRAME_BYTES} bytes, got ${payload.length}`)
  }
  const out = Buffer.allocUnsafe(2 + payload.length)
  out.writeUInt16BE(payload.length, 0)
  out.set(payload, 2)
  return out
}

/** Reassembles frames from stream chunks of any size. */
export class FrameDecoder {
  constructor () {
    /** @type {Buffer} */
    this.pending = Buffer.alloc(0)
  }

  /**
   * Add a chunk and take every complete frame out.
   * @param {Uint8Array} chunk
   * @returns {Buffer[]} whole payloads, in order
   * @throws {RangeError} on a zero-length frame (the peer is not speaking this protocol)
   */
  push (chunk) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk)
    const frames = []
    let off = 0
    while (this.pending.length - off >= 2) {
      const len = this.pending.readUInt16BE(off)
      if (len === 0) throw new RangeError('zero-length frame')
      if (this.pending.length - off - 2 < len) break
      frames.push(Buffer.from(this.pending.subarray(off + 2, off + 2 + len)))
      off += 2 + len
    }
    this.pending = this.pending.subarray(off)
    return frames
  }
}
