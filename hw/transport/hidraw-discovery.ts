/**
 * Finds Hivebox Signers among Linux hidraw nodes through sysfs, without libusb or node-hid:
 * `/sys/class/hidraw/hidrawN/device/uevent` gives `HID_ID=<bus>:<vid>:<pid>`, `HID_NAME` and
 * `HID_UNIQ` (serial); `device/report_descriptor` must start with the signer's usage page and usage
 * (`06 00 ff 09 01`, hw/PROTOCOL.md §1.1). Roots are parameters so tests can point at a fixture tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_DESCRIPTOR, SIGNER_PID, SIGNER_VID } from '../framing/constants.ts';

/** One signer found. */
export interface HidrawCandidate {
  /** Device node, e.g. `/dev/hidraw3`. */
  readonly path: string;
  readonly name: string;
  readonly serial: string;
}

/** Where to look (defaults: the real `/sys` and `/dev`). */
export interface HidrawRoots {
  readonly sys?: string;
  readonly dev?: string;
}

const USAGE_PREFIX = REPORT_DESCRIPTOR.subarray(0, 5);

/**
 * List hidraw nodes whose VID/PID and usage page match the signer (`vid`/`pid` default to the
 * protocol's). Unreadable entries are skipped; a missing sysfs class gives `[]`.
 */
export function findHidrawSigners(roots: HidrawRoots = {}, vid = SIGNER_VID, pid = SIGNER_PID): HidrawCandidate[] {
  const classDir = join(roots.sys ?? '/sys', 'class/hidraw');
  if (!existsSync(classDir)) return [];
  const out: HidrawCandidate[] = [];
  for (const node of readdirSync(classDir).sort()) {
    try {
      const uevent = readFileSync(join(classDir, node, 'device/uevent'), 'utf8');
      const kv = Object.fromEntries(uevent.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const id = /^[0-9A-Fa-f]{4}:([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8})$/.exec(kv.HID_ID ?? '');
      if (!id || parseInt(id[1]!, 16) !== vid || parseInt(id[2]!, 16) !== pid) continue;
      const desc = new Uint8Array(readFileSync(join(classDir, node, 'device/report_descriptor')));
      if (!USAGE_PREFIX.every((b, i) => desc[i] === b)) continue;
      out.push({ path: join(roots.dev ?? '/dev', node), name: kv.HID_NAME ?? '', serial: kv.HID_UNIQ ?? '' });
    } catch {
      continue;
    }
  }
  return out;
}
