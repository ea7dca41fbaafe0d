/**
 * Store files readable by their owner only. SQLite creates a database file with mode 0644 less the
 * process umask, so a store opened outside the unit's `UMask=0077` (e.g. `hivebox run` from a shell)
 * was world-readable — and the management store holds L402 root keys. SQLite gives `-wal`, `-shm` and
 * `-journal` the database file's own mode, so creating the file 0600 first (and tightening any file
 * left by an older version) covers them; `tightenSidecars` re-checks them after the open.
 */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

/** The mode of every store file: owner read/write. */
export const STORE_FILE_MODE = 0o600;

/** Files SQLite keeps beside a database in WAL or rollback mode. */
const SIDECAR_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

function tighten(path: string): void {
  if (existsSync(path) && (statSync(path).mode & 0o777) !== STORE_FILE_MODE) chmodSync(path, STORE_FILE_MODE);
}

/**
 * Create `path` empty with mode 0600 when absent (chmod after the open, so the umask cannot widen or
 * narrow it), else tighten it and its sidecars to 0600. `:memory:` and `''` (temporary) are left alone.
 * @throws the `node:fs` error when the file cannot be created or chmod-ed (the caller reports `open_failed`).
 */
export function prepareStoreFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', STORE_FILE_MODE));
    chmodSync(path, STORE_FILE_MODE);
  }
  tightenSidecars(path);
}

/** Tighten `path` and its `-wal`/`-shm`/`-journal` files to 0600 where they exist. */
export function tightenSidecars(path: string): void {
  if (path === ':memory:' || path === '') return;
  tighten(path);
  for (const suffix of SIDECAR_SUFFIXES) tighten(`${path}${suffix}`);
}
