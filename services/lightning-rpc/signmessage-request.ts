/**
 * The `signmessage` params body, written by hand.
 *
 * lightningd (CLN v26.06, checked on a real node) hashes the raw JSON token text of `message`
 * exactly as it appears between the quotes of the request — it does not unescape it. The text a
 * Hive signature covers, T (`lightningSignedText`), is already in escaped form, so the request must
 * carry T's characters verbatim: `{"message":"` + T + `"}`. Serialising T with `JSON.stringify`
 * would escape it a second time (`\"` → `\\\"`) and lightningd would sign different bytes.
 */
import { CLIENT_ERROR } from './errors.ts';

/** Why T cannot be sent verbatim. */
export interface SignmessageEncodeError {
  readonly code: typeof CLIENT_ERROR.BAD_REQUEST;
  readonly message: string;
}

/**
 * `{"message":"T"}` with T verbatim.
 * @param text T, the exact text lightningd must hash.
 * @returns the params JSON, or an error when T is not valid JSON string content (a raw `"`,
 *   a lone backslash, a control character) — lightningd could not parse such a request.
 */
export function signmessageParamsJson(text: string): { ok: true; value: string } | { ok: false; error: SignmessageEncodeError } {
  const quoted = `"${text}"`;
  try {
    if (typeof JSON.parse(quoted) !== 'string') throw new Error('not a string');
  } catch {
    return { ok: false, error: { code: CLIENT_ERROR.BAD_REQUEST, message: 'signmessage text is not valid JSON string content (escape it with lightningSignedText)' } };
  }
  return { ok: true, value: `{"message":${quoted}}` };
}
