/**
 * Crafting Hive messages as a (possibly hostile) peer would: a payload signed with any key over
 * the exact signing string the codec defines, encoded with the real codec. Used by the attack
 * suites and the sims.
 */
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { signingStringOf } from '../../runtime/core/fleet/outgoing.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import type { RawPayload } from '../../runtime/core/wire/envelope.ts';
import type { Framing } from '../../runtime/core/wire/framing.ts';
import type { MsgType } from '../../runtime/core/wire/message-types.ts';

/** `payload` plus a signature by `sk` in field `sig_field` (the type's signing string in `framing`). */
export function signed(type: MsgType, payload: Record<string, PyJson>, sk: Uint8Array, framing: Framing = 'spec', sig_field = type === 'VOUCH' ? 'sig' : 'signature'): Record<string, PyJson> {
  const text = lightningSignedText(signingStringOf(type)(payload as RawPayload, framing));
  return { ...payload, [sig_field]: signMessage(text, sk) };
}

/** Encode with the real codec; throws on a payload the codec refuses (test setup error). */
export function bytesOf(type: MsgType, payload: Record<string, PyJson>, framing: Framing = 'spec'): Uint8Array {
  const e = encodeHiveMessage(type, payload, framing);
  if (!e.ok) throw new Error(`${type}: ${JSON.stringify(e.error)}`);
  return e.value;
}
