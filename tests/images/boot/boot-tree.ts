/**
 * The boot test's additions to the image, passed to the build as its `--lightningd TREE` (a folder
 * laid out like /, copied over the root; images/README.md), because the image ships neither
 * lightningd nor a signer:
 *
 * - `usr/bin/lightningd`: sim-lightningd.ts compiled with `bun build --compile` (a simnet node
 *   speaking CLN v26.06's protocols). The image's own hivebox-lightningd.service starts it as the
 *   `lightningd` user with its hardening and `--plugin=/usr/lib/hivebox/hivebox-plugin`, so the
 *   real plugin must open the daemon's socket across the two units' users, groups and modes.
 * - `hivebox-signer-sim.service`: the image's own `hivebox signer sim` (runtime/sim/signer, the
 *   reference model of hw/PROTOCOL.md; its button approves) on a unix socket, and a
 *   hivebox.service drop-in pointing the daemon at it (environment overrides, runtime/config/load.ts),
 *   the way an operator configures a box whose signer is reached over a socket.
 * - emulation allowances: TCG runs the box 10–50× slower than a Pi, and far slower again on a busy
 *   CI machine, so the start timeouts sized for hardware (hivebox-firstboot 120 s, hivebox-growroot
 *   300 s, hivebox.service 180 s with the daemon's `[supervisor] startup_timeout_s` 120 s) become
 *   {@link EMULATED_START_TIMEOUT_S}; the boot tests' own bounds still catch a boot that hangs.
 *   Watchdog, restart policy and hardening stay as shipped.
 * - a hivebox-swarm.service drop-in: the packaged sidecar on a standalone DHT bound to loopback,
 *   so it never leaves the VM.
 * - `hivebox-boot-report.service`: once hivebox.service is up (Type=notify: after READY=1) it writes
 *   one {@link BOOT_REPORT_PREFIX} line per appliance unit and for sshd to the console — state,
 *   result, restarts and when it became active (µs since the kernel started) — after the daemon's
 *   warnings and errors of this boot ({@link BOOT_LOG_PREFIX}). systemd's own status lines stop
 *   once a getty holds the serial console, which is before the daemon is ready under emulation.
 * - optionally tests/hw/uhid-checks.ts compiled, run in the box over SSH: the signer through the
 *   box kernel's /dev/uhid (this CI machine's kernel has no uhid).
 *
 * Not shipped code: the operator's image is built without a tree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dir, '../../..');
/** The compiled tests/hw/uhid-checks.ts in the booted box (with `uhidChecks`). */
export const UHID_CHECKS = '/usr/lib/hivebox-test/uhid-checks';
/** Start of the console lines of hivebox-boot-report.service: `<prefix> <unit> <Property>=<value> …`. */
export const BOOT_REPORT_PREFIX = 'hivebox-boot-report:';
/** Start of its console lines quoting hivebox.service's warnings and errors of this boot (why a start failed before a restart). */
export const BOOT_LOG_PREFIX = 'hivebox-boot-log:';
/** The appliance units hivebox-boot-report.service reports, in boot order (each should be active by then). */
export const BOOT_REPORT_UNITS = ['hivebox-growroot.service', 'hivebox-firstboot.service', 'hivebox-lightningd.service', 'hivebox.service'] as const;
/** Every unit reported, in the report's order: the appliance units, then sshd (which runs only when hivebox.toml gave operator keys). */
export const REPORTED_UNITS = [...BOOT_REPORT_UNITS, 'ssh.socket', 'ssh.service'] as const;
/** What it reports of each (systemd.exec(5) properties; ActiveEnterTimestampMonotonic in µs since the kernel started). */
const BOOT_REPORT_PROPERTIES = ['ActiveState', 'Result', 'NRestarts', 'ActiveEnterTimestampMonotonic'] as const;

/** One unit of a boot report: systemd's properties as read by `systemctl show`. */
export interface UnitReport {
  readonly unit: string;
  readonly active_state: string;
  readonly result: string;
  readonly restarts: number;
  /** When the unit last became active, in seconds since the kernel started (null: never). */
  readonly active_at_s: number | null;
}

/** The boot report lines in a console log (escape codes already removed), latest line per unit. */
export function parseBootReport(consoleText: string): Map<string, UnitReport> {
  const units = new Map<string, UnitReport>();
  for (const line of consoleText.split('\n')) {
    const at = line.indexOf(BOOT_REPORT_PREFIX);
    if (at < 0) continue;
    const [unit, ...pairs] = line.slice(at + BOOT_REPORT_PREFIX.length).trim().split(/\s+/);
    if (!unit) continue;
    const p = Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const usec = Number(p.ActiveEnterTimestampMonotonic ?? 0);
    units.set(unit, { unit, active_state: p.ActiveState ?? '', result: p.Result ?? '', restarts: Number(p.NRestarts ?? 0), active_at_s: usec > 0 ? usec / 1e6 : null });
  }
  return units;
}

/** Start timeout of the first-boot units and the daemon under emulation (s): above both boot tests' bounds. */
const EMULATED_START_TIMEOUT_S = 900;

/** Where the signer simulator keeps its state and socket in the booted box. */
export const BOX_SIGNER_DIR = '/var/lib/hivebox-signer';

function write(tree: string, path: string, lines: readonly string[]): void {
  mkdirSync(join(tree, path, '..'), { recursive: true });
  writeFileSync(join(tree, path), `${lines.join('\n')}\n`);
}

/**
 * Make the tree under `work/tree`: compile the simulated lightningd (and with `uhidChecks` the uhid
 * checks) for linux-`arch` and write the units. @returns the tree path.
 * @throws Error with bun's output when a compile fails.
 */
export function prepareBootTree(work: string, arch: 'x64' | 'arm64', opts: { uhidChecks?: boolean } = {}): string {
  const tree = join(work, 'tree');
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  const compile = (entry: string, out: string) => {
    mkdirSync(join(tree, out, '..'), { recursive: true });
    const built = Bun.spawnSync([process.execPath, 'build', '--compile', '--minify', `--target=bun-linux-${arch}`, entry, '--outfile', join(tree, out)], { cwd: REPO, stdout: 'pipe', stderr: 'pipe' });
    if (built.exitCode !== 0) throw new Error(`bun build ${entry}: ${built.stdout}${built.stderr}`);
  };
  compile(join(import.meta.dir, 'sim-lightningd.ts'), 'usr/bin/lightningd');
  if (opts.uhidChecks) compile(join(REPO, 'tests/hw/uhid-checks.ts'), UHID_CHECKS.slice(1));
  write(tree, 'etc/systemd/system/hivebox-signer-sim.service', [
    '# Boot test: the USB signer stand-in (tests/images/boot/boot-tree.ts).',
    '[Unit]',
    'Description=Hivebox signer simulator (boot test)',
    '[Service]',
    `ExecStart=/usr/bin/hivebox signer sim --state ${BOX_SIGNER_DIR} --button approve`,
    'User=hivebox',
    'Group=hivebox',
    'StateDirectory=hivebox-signer',
    'StateDirectoryMode=0700',
  ]);
  write(tree, 'etc/systemd/system/hivebox.service.d/boot-test.conf', [
    '# Boot test: the signer is the simulator on a unix socket (tests/images/boot/boot-tree.ts).',
    '[Unit]',
    'Wants=hivebox-signer-sim.service hivebox-boot-report.service',
    'After=hivebox-signer-sim.service',
    '[Service]',
    `TimeoutStartSec=${EMULATED_START_TIMEOUT_S}`,
    `Environment=HIVEBOX_SUPERVISOR_STARTUP_TIMEOUT_S=${EMULATED_START_TIMEOUT_S - 60}`,
    'Environment=HIVEBOX_SIGNER_TRANSPORT=unix-socket',
    `Environment=HIVEBOX_SIGNER_PATH=${BOX_SIGNER_DIR}/signer.sock`,
  ]);
  for (const unit of ['hivebox-firstboot.service', 'hivebox-growroot.service']) {
    write(tree, `etc/systemd/system/${unit}.d/emulation.conf`, ['# Boot test: TCG is far slower than the hardware these timeouts are sized for (tests/images/boot/boot-tree.ts).', '[Service]', `TimeoutStartSec=${EMULATED_START_TIMEOUT_S}`]);
  }
  // `$$`: systemd expands `$` in ExecStart= itself. One line per unit of `systemctl show` key=value pairs.
  const report = `for u in ${REPORTED_UNITS.join(' ')}; do echo ${BOOT_REPORT_PREFIX} $$u $$(systemctl show -p ${BOOT_REPORT_PROPERTIES.join(' -p ')} $$u | tr "\\n" " "); done > /dev/console`;
  write(tree, 'etc/systemd/system/hivebox-boot-report.service', [
    '# Boot test: once the hivebox.service start job is over (READY=1, or failed), report the appliance units on the console (tests/images/boot/boot-tree.ts).',
    '[Unit]',
    'Description=Hivebox boot report (boot test)',
    'After=hivebox.service',
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/sh -c 'journalctl -b -u hivebox.service -p warning -o short-monotonic --no-pager -n 30 | sed "s|^|${BOOT_LOG_PREFIX} |" > /dev/console'`,
    `ExecStart=/bin/sh -c '${report}'`,
  ]);
  write(tree, 'etc/systemd/system/hivebox-swarm.service.d/boot-test.conf', [
    '# Boot test: a standalone DHT on loopback (no bootstrap nodes), so the sidecar never leaves the VM.',
    '[Service]',
    'ExecStart=',
    'ExecStart=/usr/bin/node /opt/hivebox/services/swarm/sidecar/main.mjs --socket /run/hivebox-swarm/swarm.sock --seed-file /var/lib/hivebox-swarm/swarm.seed --host 127.0.0.1 --bootstrap ""',
  ]);
  return tree;
}
