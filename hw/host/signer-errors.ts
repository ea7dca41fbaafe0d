/**
 * How host-side failures become the `SignerError` values of the `Signer` port
 * (runtime/core/ports.ts), and the one-line text each gives an operator.
 */
import type { SignerError } from '../../runtime/core/ports.ts';
import { HID_ERR } from '../framing/constants.ts';
import type { ErrorAnswer } from '../protocol/messages.ts';
import { describeChannelError, type ChannelError } from './channel.ts';

/** `SignerUnavailable` with `reason`. */
export function unavailable(reason: string): SignerError {
  return { kind: 'SignerUnavailable', reason };
}

/** `SignerRefused` with `reason`. */
export function refused(reason: string): SignerError {
  return { kind: 'SignerRefused', reason };
}

/**
 * Map a failed transaction. A host timeout during an approval is `ApprovalTimeout`; a busy channel
 * is `SignerBusy`; a device ERROR about the request itself is `SignerRefused`; everything that
 * means "the device is not there or not sane" is `SignerUnavailable`.
 */
export function fromChannelError(e: ChannelError, approval: boolean): SignerError {
  if (e.kind === 'Timeout' && approval) return { kind: 'ApprovalTimeout', after_s: Math.round(e.after_ms / 1000) };
  if (e.kind === 'InUse') return { kind: 'SignerBusy' };
  if (e.kind === 'DeviceError') {
    if (e.code === HID_ERR.CHANNEL_BUSY) return { kind: 'SignerBusy' };
    if (e.code === HID_ERR.INVALID_PAR || e.code === HID_ERR.INVALID_LEN || e.code === HID_ERR.INVALID_CMD) {
      return refused(`signer rejected the request (${e.name})`);
    }
  }
  return unavailable(describeChannelError(e));
}

/** Map a CBOR `status: "error"` answer. */
export function fromErrorAnswer(a: ErrorAnswer): SignerError {
  return refused(`${a.reason} (code 0x${a.code.toString(16)})`);
}

/** Operator text for a signer error, as the CLI prints it. */
export function describeSignerError(e: SignerError): string {
  switch (e.kind) {
    case 'ApprovalRejected':
      return 'rejected on the signer';
    case 'ApprovalTimeout':
      return `the button was not pressed within ${e.after_s} s`;
    case 'SignerUnavailable':
      return `Hivebox signer unavailable: ${e.reason}`;
    case 'SignerBusy':
      return 'another approval is pending on the signer; try again when it is done';
    case 'SignerRefused':
      return `the signer refused: ${e.reason}`;
  }
}
