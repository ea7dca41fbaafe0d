/**
 * Numbers of the Hivebox Signer transport (hw/PROTOCOL.md §1–2): USB ids, report sizes, CTAPHID
 * command and error codes, limits and timings. Every other hw/ module takes its numbers from here.
 */

/** USB vendor id: pid.codes (PROTOCOL.md §1). */
export const SIGNER_VID = 0x1209;
/** USB product id: pid.codes *Test PID* — development only, replace before production (PROTOCOL.md §1). */
export const SIGNER_PID = 0x0001;
/** `vid:pid` as lsusb and udev write it, e.g. `1209:0001`. */
export function usbId(vid: number = SIGNER_VID, pid: number = SIGNER_PID): string {
  return `${vid.toString(16).padStart(4, '0')}:${pid.toString(16).padStart(4, '0')}`;
}

/** HID usage page of the signer interface (vendor defined). */
export const SIGNER_USAGE_PAGE = 0xff00;
/** HID usage of the signer interface. */
export const SIGNER_USAGE = 0x01;

/** The HID report descriptor the device presents (PROTOCOL.md §1.1), 34 bytes. */
export const REPORT_DESCRIPTOR = Uint8Array.from([
  0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01,
  0x09, 0x20, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x81, 0x02,
  0x09, 0x21, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x91, 0x02,
  0xc0,
]);

/** Bytes in every HID report, in and out. */
export const REPORT_BYTES = 64;
/** Payload bytes in an initialization packet (64 − CID 4 − CMD 1 − BCNT 2). */
export const INIT_PAYLOAD_BYTES = 57;
/** Payload bytes in a continuation packet (64 − CID 4 − SEQ 1). */
export const CONT_PAYLOAD_BYTES = 59;
/** Highest continuation sequence number. */
export const MAX_SEQ = 0x7f;
/** Largest message payload: 57 + 128 × 59 = 7,609 bytes. */
export const MAX_MESSAGE_BYTES = INIT_PAYLOAD_BYTES + (MAX_SEQ + 1) * CONT_PAYLOAD_BYTES;

/** Broadcast channel, valid only for INIT. */
export const BROADCAST_CID = 0xffffffff;
/** Reserved channel id, never valid. */
export const RESERVED_CID = 0;

/** Transport command codes without the init-packet high bit (PROTOCOL.md §2.3). */
export const CMD = {
  PING: 0x01,
  INIT: 0x06,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
  INFO: 0x40,
  GET_PUBKEY: 0x41,
  SIGN: 0x42,
} as const;

/** One of the transport command codes. */
export type CommandCode = (typeof CMD)[keyof typeof CMD];

/** True when `code` is a command this protocol version defines. */
export function isCommandCode(code: number): code is CommandCode {
  return (Object.values(CMD) as number[]).includes(code);
}

/** Transport ERROR codes (PROTOCOL.md §2.5, CTAPHID values). */
export const HID_ERR = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

/** KEEPALIVE status byte (PROTOCOL.md §2.6). */
export const KEEPALIVE_STATUS = { PROCESSING: 0x01, UPNEEDED: 0x02 } as const;

/** Application error codes inside a CBOR `status: "error"` answer (PROTOCOL.md §3.5). */
export const APP_ERR = {
  UNKNOWN_PURPOSE: 0x10,
  TEXT_MALFORMED: 0x11,
  SUMMARY_MISMATCH: 0x12,
  WRONG_KEY: 0x13,
  TEXT_TOO_LONG: 0x14,
  NONCE_REUSED: 0x15,
} as const;

/** Protocol version reported in the INIT response and INFO. */
export const PROTOCOL_VERSION = 1;
/** INIT nonce length in bytes. */
export const INIT_NONCE_BYTES = 8;
/** INIT response length in bytes (PROTOCOL.md §2.4). */
export const INIT_RESPONSE_BYTES = 17;
/** CBOR request nonce length in bytes (PROTOCOL.md §3). */
export const REQUEST_NONCE_BYTES = 16;

/** Reassembly timeout: a message whose packets stop arriving this long is dropped (ms). */
export const REASSEMBLY_TIMEOUT_MS = 1000;
/** Device keepalive interval while waiting for the button (ms). */
export const KEEPALIVE_INTERVAL_MS = 100;
/** Default device-side approval timeout (s). */
export const DEFAULT_APPROVAL_TIMEOUT_S = 60;
