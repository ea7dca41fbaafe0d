/**
 * What the `hivebox credential|receipts|advisor` commands open: the mgmt store (path from
 * `--db`, `HIVEBOX_MGMT_DB`, or `$HIVEBOX_DATA_DIR/mgmt.sqlite`) and the operator's signer.
 * Until the daemon hands the CLI its hardware signer, `--signer-key FILE` (or
 * `HIVEBOX_SIGNER_KEY`) selects a software key file — no button press, development only.
 */
import { join } from 'node:path';
import type { DigestSigner } from '../../runtime/core/ports.ts';
import { MgmtStore } from '../mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from './key-file.ts';

/** The mgmt database path for `--db value` (or the environment defaults). */
export function mgmtDbPath(flag?: string): string {
  return flag ?? process.env.HIVEBOX_MGMT_DB ?? join(process.env.HIVEBOX_DATA_DIR ?? '.', 'mgmt.sqlite');
}

/** Open the mgmt store. */
export function openCliStore(flag?: string): MgmtStore {
  return new MgmtStore(mgmtDbPath(flag));
}

/** The operator's signer. @throws Error when none is configured. */
export function openOperatorSigner(keyFile?: string): DigestSigner {
  const path = keyFile ?? process.env.HIVEBOX_SIGNER_KEY;
  if (!path) throw new Error('no signer: connect the hardware signer through the daemon, or pass --signer-key FILE (software key, no button)');
  return KeyFileSigner.load(path);
}

/** Unix seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `n` random bytes. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
