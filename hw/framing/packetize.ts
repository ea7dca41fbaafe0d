/**
 * Message → 64-byte reports (hw/PROTOCOL.md §2.1): one initialization packet
 * `CID ‖ 0x80|CMD ‖ BCNT ‖ 57 B`, then continuation packets `CID ‖ SEQ ‖ 59 B`, zero padded. Pure.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { CONT_PAYLOAD_BYTES, INIT_PAYLOAD_BYTES, MAX_MESSAGE_BYTES, REPORT_BYTES } from './constants.ts';
import type { FramingError } from './errors.ts';

/** One reassembled transport message. `cmd` is without the high bit. */
export interface Frame {
  readonly cid: number;
  readonly cmd: number;
  readonly payload: Uint8Array;
}

/**
 * Split a message into reports.
 * @param frame channel id (u32), command code (0..0x7f, without the high bit) and payload.
 * @returns the 64-byte reports in send order, or `LengthOverflow` when payload > 7,609 bytes.
 * @throws RangeError when `cid` or `cmd` is out of range (a programmer error, not input).
 */
export function packetize(frame: Frame): Result<Uint8Array[], FramingError> {
  const { cid, cmd, payload } = frame;
  if (!Number.isInteger(cid) || cid < 0 || cid > 0xffffffff) throw new RangeError(`packetize: cid ${cid} is not a u32`);
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0x7f) throw new RangeError(`packetize: cmd ${cmd} is not 0..0x7f`);
  if (payload.length > MAX_MESSAGE_BYTES) return err({ kind: 'LengthOverflow', length: payload.length, max: MAX_MESSAGE_BYTES });
  const cidBytes = [cid >>> 24, (cid >>> 16) & 0xff, (cid >>> 8) & 0xff, cid & 0xff];
  const first = new Uint8Array(REPORT_BYTES);
  first.set(cidBytes);
  first[4] = 0x80 | cmd;
  first[5] = payload.length >> 8;
  first[6] = payload.length & 0xff;
  first.set(payload.subarray(0, INIT_PAYLOAD_BYTES), 7);
  const reports = [first];
  for (let off = INIT_PAYLOAD_BYTES, seq = 0; off < payload.length; off += CONT_PAYLOAD_BYTES, seq++) {
    const r = new Uint8Array(REPORT_BYTES);
    r.set(cidBytes);
    r[4] = seq;
    r.set(payload.subarray(off, off + CONT_PAYLOAD_BYTES), 5);
    reports.push(r);
  }
  return ok(reports);
}
