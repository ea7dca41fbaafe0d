/**
 * Typed framing errors (hw/PROTOCOL.md §2.5): one kind per broken rule, each mapped to the CTAPHID
 * ERROR code the device answers with. The framing layer returns these; it never throws on input.
 */
import { HID_ERR } from './constants.ts';

/** Why a report or message was refused by the framing layer. */
export type FramingError =
  | { readonly kind: 'ShortReport'; readonly length: number }
  | { readonly kind: 'OversizeReport'; readonly length: number }
  | { readonly kind: 'BadChannel'; readonly cid: number }
  | { readonly kind: 'OutOfOrderSequence'; readonly cid: number; readonly expected: number; readonly got: number }
  | { readonly kind: 'UnexpectedContinuation'; readonly cid: number; readonly seq: number }
  | { readonly kind: 'InterleavedInit'; readonly cid: number }
  | { readonly kind: 'ChannelBusy'; readonly cid: number; readonly busy_cid: number }
  | { readonly kind: 'LengthOverflow'; readonly length: number; readonly max: number }
  | { readonly kind: 'UnknownCommand'; readonly cid: number; readonly cmd: number }
  | { readonly kind: 'MessageTimeout'; readonly cid: number; readonly waited_ms: number }
  | { readonly kind: 'GarbageCbor'; readonly reason: string }
  | { readonly kind: 'SchemaMismatch'; readonly reason: string };

/** The CTAPHID ERROR code a device answers a framing error with. */
export function hidErrorCode(e: FramingError): number {
  switch (e.kind) {
    case 'ShortReport':
    case 'OversizeReport':
    case 'LengthOverflow':
      return HID_ERR.INVALID_LEN;
    case 'BadChannel':
      return HID_ERR.INVALID_CHANNEL;
    case 'OutOfOrderSequence':
    case 'UnexpectedContinuation':
    case 'InterleavedInit':
      return HID_ERR.INVALID_SEQ;
    case 'ChannelBusy':
      return HID_ERR.CHANNEL_BUSY;
    case 'UnknownCommand':
      return HID_ERR.INVALID_CMD;
    case 'MessageTimeout':
      return HID_ERR.MSG_TIMEOUT;
    case 'GarbageCbor':
    case 'SchemaMismatch':
      return HID_ERR.INVALID_PAR;
  }
}

/** Name of a transport ERROR code for messages ("INVALID_SEQ"), or `0x..` when unknown. */
export function hidErrorName(code: number): string {
  const hit = Object.entries(HID_ERR).find(([, v]) => v === code);
  return hit ? hit[0] : `0x${code.toString(16).padStart(2, '0')}`;
}
