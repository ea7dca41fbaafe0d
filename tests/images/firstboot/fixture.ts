/**
 * A throw-away box root for firstboot tests: /etc/passwd and /etc/group naming the image's
 * accounts (root, hivebox, lightningd, mosquitto — all mapped to the test's own uid/gid so the
 * chown calls succeed without root), the shipped broker template, and a boot partition folder.
 * Runs the real import with the real `mosquitto_passwd -U`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../../runtime/core/result.ts';
import { BOOT_FILE, type FirstbootOutcome, runFirstboot } from '../../../runtime/firstboot/firstboot.ts';
import { BOX_PATHS } from '../../../runtime/config/box-paths.ts';

const REPO = join(import.meta.dir, '../../..');
/** Boot partition mount point inside the test root. */
export const BOOT_DIR = '/boot/firmware';

/** A test box. */
export interface TestBox {
  readonly root: string;
  readonly bootFile: string;
  /** Absolute path of a box path inside the test root. */
  at(path: string): string;
  read(path: string): string;
  /** Write hivebox.toml onto the boot partition. */
  writeBoot(text: string): void;
  /** Run `hivebox firstboot` against this root at `now`, with deterministic "random" bytes. */
  run(now?: number): Result<FirstbootOutcome, string>;
  /** Log lines of all runs. */
  readonly logs: string[];
  dispose(): void;
}

/** Make a test box. */
export function makeBox(): TestBox {
  const root = mkdtempSync(join(tmpdir(), 'hb-firstboot-'));
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const names = ['root', 'hivebox', 'lightningd', 'mosquitto'];
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), names.map((n) => `${n}:x:${uid}:${gid}::/nonexistent:/usr/sbin/nologin`).join('\n') + '\n');
  writeFileSync(join(root, 'etc/group'), names.map((n) => `${n}:x:${gid}:`).join('\n') + '\n');
  mkdirSync(join(root, 'usr/share/hivebox'), { recursive: true });
  writeFileSync(join(root, BOX_PATHS.mosquittoTemplate), readFileSync(join(REPO, 'systemd/mosquitto-hivebox.conf')));
  mkdirSync(join(root, BOOT_DIR), { recursive: true });
  const logs: string[] = [];
  let counter = 0;
  const at = (p: string) => join(root, p);
  return {
    root,
    bootFile: join(root, BOOT_DIR, BOOT_FILE),
    at,
    read: (p) => readFileSync(at(p), 'utf8'),
    writeBoot: (text) => writeFileSync(join(root, BOOT_DIR, BOOT_FILE), text),
    run: (now = 1_790_000_000) =>
      runFirstboot({
        root,
        bootDir: BOOT_DIR,
        now,
        random: (n) => new Uint8Array(n).fill(++counter),
        hashMosquittoPasswd: (path) => {
          const r = Bun.spawnSync(['mosquitto_passwd', '-U', path], { stderr: 'pipe' });
          if (r.exitCode !== 0) throw new Error(`mosquitto_passwd: ${r.stderr}`);
        },
        log: (line) => logs.push(line),
      }),
    logs,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A complete, valid boot file for a joining member (ticket from `ticket`). */
export function goodBootFile(ticket: string): string {
  return `# operator's notes stay
[system]
hostname = "hive-kitchen"
ssh_authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhpdmVib3gtdGVzdC1rZXktMDEyMzQ1Njc4OWFi op@laptop"]

[network]
mode = "static"
address = "192.168.7.20/24"
gateway = "192.168.7.1"
dns = ["192.168.7.1", "9.9.9.9"]

[wifi]
ssid = "IEEE"
psk = "password"   # the 802.11i test vector
country = "DE"

[mqtt]
port = 18830
listen_address = "127.0.0.1"
username = "homeassistant"
password = "correct horse battery"

[bitcoind]
network = "signet"
rpc_host = "192.168.7.5"
rpc_user = "lightning"
rpc_password = "rpc-s3cret"

[hive]
role = "member"
ticket = "${ticket}"
`;
}
