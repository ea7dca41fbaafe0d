/**
 * The image's one-shot units stay hardened: `systemd-analyze security --offline=yes` (systemd's own
 * exposure score, 0 = fully confined … 10 = unconfined) of hivebox-growroot.service and
 * hivebox-firstboot.service, as shipped in images/rootfs/, is at most 5 ("OK"/"MEDIUM" boundary
 * the issue set). The scores are printed as figures. Whether the hardened units still do their
 * job is checked by the qemu boot (tests/images/boot/boot-test.ts: root grown, settings imported).
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';

const UNITS = join(import.meta.dir, '../../images/rootfs/usr/lib/systemd/system');
/** Highest exposure allowed for a one-shot unit of the image. */
const MAX_EXPOSURE = 5;

/** `systemd-analyze security` of one unit file. @returns the overall exposure, or null when this systemd has no offline mode. */
function exposure(unit: string): number | null {
  const r = Bun.spawnSync(['systemd-analyze', 'security', '--offline=yes', '--no-pager', unit], { cwd: UNITS, stdout: 'pipe', stderr: 'pipe' });
  const text = `${r.stdout}${r.stderr}`;
  if (/unrecognized option|unknown option/i.test(text)) return null;
  const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(text);
  if (!m) throw new Error(`systemd-analyze security ${unit}: ${text.trim()}`);
  return Number(m[1]);
}

const offline = exposure('hivebox-growroot.service') !== null;
if (!offline) console.log('SKIPPED: systemd-analyze security --offline needs systemd 250 or later');

test.skipIf(!offline).each(['hivebox-growroot.service', 'hivebox-firstboot.service'])('%s: systemd-analyze security exposure at most 5', (unit) => {
  const score = exposure(unit)!;
  console.log(`figure security.${unit} ${score}`);
  expect(score).toBeLessThanOrEqual(MAX_EXPOSURE);
});
