/**
 * node-hid under Bun (bun-platform-probe.md §6): the addon loads (libusb-1.0-0 installed by
 * tests/setup.sh), enumeration returns arrays, and a signer that is not there — by VID/PID
 * discovery or by an explicit path — gives a clean SignerUnavailable, never a crash. The node-hid
 * calls run in a plain `bun` process (node-hid-probe.ts) because node-hid's loader breaks on the
 * `jest` global that `bun test` defines.
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { matchingDevices } from '../../hw/transport/node-hid-transport.ts';

test('node-hid loads under Bun, enumerates, and missing signers are SignerUnavailable', async () => {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, 'node-hid-probe.ts')], { stdout: 'pipe', stderr: 'pipe' });
  const [out, errText, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect({ code, errText }).toEqual({ code: 0, errText: '' });
  const r = JSON.parse(out);
  expect(r.loaded).toBe(true);
  expect(Array.isArray(r.devices)).toBe(true);
  expect(Array.isArray(r.devicesAsync)).toBe(true);
  expect(typeof r.hidapi).toBe('string');
  expect(r.missingVidPid).toEqual({ ok: false, error: { kind: 'SignerUnavailable', reason: 'no Hivebox signer found by node-hid (VID/PID 1234:5678, usage page 0xFF00)' } });
  expect(r.missingPath).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: expect.stringContaining('node-hid: ') } });
  expect(r.viaSigner).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });
});

test('discovery filters by VID/PID and usage page', () => {
  const base = { vendorId: 0x1209, productId: 0x0001, release: 1, interface: 0, path: '/dev/hidraw0' };
  const devices = [
    { ...base, usagePage: 0xff00, usage: 0x01 },
    { ...base, path: '/dev/hidraw1', usagePage: 0xf1d0, usage: 0x01 },
    { ...base, path: '/dev/hidraw2', productId: 0x0002, usagePage: 0xff00, usage: 0x01 },
    { ...base, path: '/dev/hidraw3' },
  ];
  expect(matchingDevices(devices).map((d) => d.path)).toEqual(['/dev/hidraw0', '/dev/hidraw3']);
});
