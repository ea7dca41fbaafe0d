/**
 * Who may open the daemon's IPC socket, reproduced with the kernel's own permission checks: the
 * shipped systemd/hivebox.sysusers is applied by the real `systemd-sysusers` to a throw-away root,
 * the uids, primary groups and supplementary groups each unit runs with are computed from it as
 * systemd does (the user's memberships + `Group=` + `SupplementaryGroups=`), `/run/hivebox` is made
 * with hivebox.service's owner and `RuntimeDirectoryMode=`, and the daemon side binds plugin.sock
 * under the daemon's credentials (`setpriv`) with its `UMask=` and the configured
 * `ipc_socket_mode` (runtime/config/schema.ts, applied by services/daemon-ipc/server.ts). Then
 * clients connect under `setpriv` as hivebox-lightningd.service's lightningd (the plugin runs as
 * that user) — must succeed — and as other users — must get EACCES.
 *
 * Needs root (setpriv changing uid) and systemd-sysusers; elsewhere it prints one SKIPPED line.
 * The booted image checks the same end to end (tests/images/boot/boot-test.ts: the plugin inside
 * hivebox-lightningd.service reaches the daemon).
 */
import { afterAll, expect, test } from 'bun:test';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonSection } from '../../runtime/config/schema.ts';
import { readAccounts } from '../../runtime/firstboot/atomic-write.ts';
import { serviceKeys } from './fixtures/unit-file.ts';

const SYSTEMD = join(import.meta.dir, '../../systemd');
/** Debian's python3 (tests/setup.sh), not a per-user shim the test's other uids cannot run. */
const PYTHON = '/usr/bin/python3';
const runnable = process.getuid?.() === 0 && Bun.which('setpriv') !== null && Bun.which('systemd-sysusers', { PATH: `${process.env.PATH}:/usr/bin:/bin` }) !== null && existsSync(PYTHON);
if (!runnable) console.log('SKIPPED: unit socket permissions need root, setpriv, systemd-sysusers and python3');

/** Credentials a unit's process gets: uid, gid and the supplementary groups systemd sets (initgroups + SupplementaryGroups=). */
interface Creds {
  readonly uid: number;
  readonly gid: number;
  readonly groups: number[];
}

const work = runnable ? mkdtempSync('/tmp/hb-sock-') : '';
afterAll(() => work && rmSync(work, { recursive: true, force: true }));

function accountsRoot(): string {
  const root = join(work, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/sysusers.d'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
  copyFileSync(join(SYSTEMD, 'hivebox.sysusers'), join(root, 'usr/lib/sysusers.d/hivebox.conf'));
  const r = Bun.spawnSync(['systemd-sysusers', `--root=${root}`], { stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`systemd-sysusers: ${r.stderr}`);
  return root;
}

function unitCreds(root: string, unit: string): Creds {
  const acc = readAccounts(root);
  const s = serviceKeys(unit);
  const user = s.get('User')!;
  const member = readFileSync(join(root, 'etc/group'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => (f[3] ?? '').split(',').includes(user))
    .map((f) => f[0]!);
  const gid = acc.gid(s.get('Group') ?? user);
  return { uid: acc.uid(user), gid, groups: [...new Set([gid, ...[...member, ...s.groups].map((g) => acc.gid(g))])] };
}

const setpriv = (c: Creds) => ['setpriv', `--reuid=${c.uid}`, `--regid=${c.gid}`, c.groups.length ? `--groups=${c.groups.join(',')}` : '--clear-groups', '--'];

const LISTEN = `
import os, socket, sys
path, mode, umask = sys.argv[1], int(sys.argv[2], 8), int(sys.argv[3], 8)
os.umask(umask)
s = socket.socket(socket.AF_UNIX)
s.bind(path)
os.chmod(path, mode)
s.listen(8)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.sendall(b"hello")
    c.close()
`;
const CONNECT = `
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
    print(s.recv(5).decode())
except OSError as e:
    print(e.strerror)
`;

test.skipIf(!runnable)("only lightningd's plugin may open the daemon's IPC socket (units' uids, groups and modes)", async () => {
  const root = accountsRoot();
  const daemon = unitCreds(root, 'hivebox.service');
  const lightningd = unitCreds(root, 'hivebox-lightningd.service');
  const svc = serviceKeys('hivebox.service');
  const acc = readAccounts(root);

  chmodSync(work, 0o755);
  const runDir = join(work, 'run', svc.get('RuntimeDirectory')!);
  mkdirSync(runDir, { recursive: true });
  chmodSync(join(work, 'run'), 0o755);
  chownSync(runDir, daemon.uid, daemon.gid);
  chmodSync(runDir, parseInt(svc.get('RuntimeDirectoryMode')!, 8));
  const socket = join(runDir, 'plugin.sock');
  const mode = DaemonSection.parse({}).ipc_socket_mode;

  const server = Bun.spawn([...setpriv(daemon), PYTHON, '-c', LISTEN, socket, mode.toString(8), svc.get('UMask')!], { stdout: 'pipe', stderr: 'inherit' });
  try {
    const reader = server.stdout.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('ready');
    const connectAs = (c: Creds) => Bun.spawnSync([...setpriv(c), PYTHON, '-c', CONNECT, socket], { stdout: 'pipe' }).stdout.toString().trim();

    expect(connectAs(lightningd)).toBe('hello');
    expect(connectAs(daemon)).toBe('hello');
    // Everyone else: a user in group lightningd (not the lightningd user), a member of the daemon's
    // config group hivebox, and an unrelated system user.
    expect(connectAs({ uid: 4242, gid: acc.gid('lightningd'), groups: [acc.gid('lightningd')] })).toBe('Permission denied');
    expect(connectAs({ uid: 4243, gid: acc.gid('hivebox'), groups: [acc.gid('hivebox')] })).toBe('Permission denied');
    expect(connectAs({ uid: 4244, gid: 4244, groups: [] })).toBe('Permission denied');
  } finally {
    server.kill();
    await server.exited;
  }
});
