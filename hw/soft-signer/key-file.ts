/**
 * The software signer's key file: one 32-byte secp256k1 secret as 64 hex characters (a trailing
 * newline is allowed), file mode 0600. A key file that any group or other user can read is
 * refused — the same rule ssh applies to private keys — because a fleet admin key signs invites,
 * revocations and bans (issue 2 §4).
 */
import { chmodSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import * as secp from '@noble/secp256k1';
import { fromHex, toHex } from '../../runtime/core/types.ts';

/** Mode bits that must be clear on a key file: any access for group or others. */
const FORBIDDEN_MODE_BITS = 0o077;

/** Why a key file could not be loaded or created. */
export type KeyFileError =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'not_a_file'; readonly path: string }
  | { readonly kind: 'insecure_permissions'; readonly path: string; readonly mode: string }
  | { readonly kind: 'malformed'; readonly path: string; readonly reason: string }
  | { readonly kind: 'exists'; readonly path: string }
  | { readonly kind: 'io'; readonly path: string; readonly reason: string };

/**
 * Read the 32-byte secret from `path`.
 * @returns the secret, or `missing` / `not_a_file` / `insecure_permissions` (mode & 0o077 ≠ 0,
 *   mode reported as octal text) / `malformed` (not 64 hex characters or not a valid secp256k1
 *   scalar) / `io`. Never throws.
 */
export function readKeyFile(path: string): { ok: true; value: Uint8Array } | { ok: false; error: KeyFileError } {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, error: { kind: 'missing', path } };
    return { ok: false, error: { kind: 'io', path, reason: String(e) } };
  }
  if (!st.isFile()) return { ok: false, error: { kind: 'not_a_file', path } };
  if ((st.mode & FORBIDDEN_MODE_BITS) !== 0) {
    return { ok: false, error: { kind: 'insecure_permissions', path, mode: (st.mode & 0o777).toString(8).padStart(4, '0') } };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trimEnd();
  } catch (e) {
    return { ok: false, error: { kind: 'io', path, reason: String(e) } };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) return { ok: false, error: { kind: 'malformed', path, reason: 'expected 64 hex characters' } };
  const secret = fromHex(text)!;
  if (!secp.utils.isValidSecretKey(secret)) return { ok: false, error: { kind: 'malformed', path, reason: 'not a valid secp256k1 secret key' } };
  return { ok: true, value: secret };
}

/**
 * Create a key file at `path` with mode 0600 holding `secret` (or a fresh random key from the OS
 * CSPRNG). Refuses to overwrite an existing file (`exists`), so a key is never lost by accident.
 * @returns the secret written.
 */
export function createKeyFile(path: string, secret?: Uint8Array): { ok: true; value: Uint8Array } | { ok: false; error: KeyFileError } {
  const key = secret ?? secp.utils.randomSecretKey();
  if (!secp.utils.isValidSecretKey(key)) return { ok: false, error: { kind: 'malformed', path, reason: 'not a valid secp256k1 secret key' } };
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, error: { kind: 'exists', path } };
    return { ok: false, error: { kind: 'io', path, reason: String(e) } };
  }
  try {
    writeSync(fd, `${toHex(key)}\n`);
  } finally {
    closeSync(fd);
  }
  // The umask may have cleared bits only; make the mode exact regardless of it.
  chmodSync(path, 0o600);
  return { ok: true, value: key };
}
