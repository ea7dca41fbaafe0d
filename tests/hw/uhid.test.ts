/**
 * The signer through a real kernel HID device (uhid-checks.ts): runs where /dev/uhid exists and is
 * writable (root, CONFIG_UHID); elsewhere it prints one SKIPPED line. CI runs the same checks
 * inside the booted amd64 image (tests/images/boot/boot-test.ts), whose kernel has uhid.
 */
import { expect, test } from 'bun:test';
import { accessSync, constants, existsSync } from 'node:fs';
import { runUhidChecks } from './uhid-checks.ts';

function uhidUsable(): boolean {
  try {
    accessSync('/dev/uhid', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const usable = existsSync('/dev/uhid') && uhidUsable();
if (!usable) console.log('SKIPPED: signer over a kernel HID device needs a writable /dev/uhid (CONFIG_UHID, root); this kernel has none — CI runs it in the booted amd64 image');

test.skipIf(!usable)('signer simulator as a uhid device: node-hid and hidraw enumerate, approve, reject, time out, unplug mid-signature, replug', async () => {
  const lines: string[] = [];
  const r = await runUhidChecks((ok, what) => lines.push(`${ok ? 'ok' : 'FAIL'} ${what}`));
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  expect(r.passed).toBeGreaterThanOrEqual(11);
}, 90_000);
