/**
 * Whole-file writes for firstboot: content goes to a temporary file in the same folder (mode and
 * owner set, fsynced, optionally transformed), which is then renamed over the target. A reader
 * sees the old file or the new one, never a part; a failure removes the temporary file.
 * Also: owner name → uid/gid lookup in a root's /etc/passwd and /etc/group.
 */
import { chmodSync, chownSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** uid and gid of user and group names, from `<root>/etc/passwd` and `<root>/etc/group`. */
export interface Accounts {
  uid(name: string): number;
  gid(name: string): number;
}

function table(path: string, idField: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = line.split(':');
    const id = Number(f[idField]);
    if (f[0] && Number.isInteger(id)) out.set(f[0], id);
  }
  return out;
}

/**
 * Read the account database of `root`.
 * @throws Error naming the user or group when a lookup misses (the image lacks an account).
 */
export function readAccounts(root: string): Accounts {
  const users = table(join(root, 'etc/passwd'), 2);
  const groups = table(join(root, 'etc/group'), 2);
  const get = (m: Map<string, number>, kind: string, name: string) => {
    const id = m.get(name);
    if (id === undefined) throw new Error(`no ${kind} "${name}" in ${root}/etc/${kind === 'user' ? 'passwd' : 'group'}`);
    return id;
  };
  return { uid: (n) => get(users, 'user', n), gid: (n) => get(groups, 'group', n) };
}

/** Ownership and mode of a written file or folder. */
export interface Ownership {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** Suffix of in-flight temporary files (`<target>.hivebox-tmp`). */
export const TMP_SUFFIX = '.hivebox-tmp';

function own(path: string, o: Ownership | null): void {
  if (!o) return;
  chownSync(path, o.uid, o.gid);
  chmodSync(path, o.mode);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replace `path` with `content` atomically. `ownership` null leaves owner and mode to the file
 * system (FAT). `transform(tmpPath)` may rewrite the temporary file in place before the rename
 * (e.g. hash a password file).
 * @throws Error from the file system or the transform; the target is then unchanged.
 */
export function writeFileAtomic(path: string, content: string, ownership: Ownership | null, transform?: (tmpPath: string) => void): void {
  const tmp = `${path}${TMP_SUFFIX}`;
  try {
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, 'wx', ownership?.mode ?? 0o600);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    own(tmp, ownership);
    if (transform) {
      transform(tmp);
      own(tmp, ownership);
    }
    fsyncPath(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(dirname(path));
}

/** Remove `path` if it exists. @returns whether it existed. */
export function removeIfExists(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}

/** Create `path` (and parents) when missing, then set its mode and owner. */
export function ensureDir(path: string, own: Ownership): void {
  mkdirSync(path, { recursive: true });
  const st = statSync(path);
  if (st.uid !== own.uid || st.gid !== own.gid) chownSync(path, own.uid, own.gid);
  if ((st.mode & 0o7777) !== own.mode) chmodSync(path, own.mode);
}
