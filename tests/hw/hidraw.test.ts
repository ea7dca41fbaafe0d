/**
 * The direct /dev/hidrawN transport: sysfs discovery by VID/PID and usage page on a fixture tree,
 * and the transport end to end against the device model through a raw pty standing in for the
 * hidraw node (65-byte writes with report id 0, 64-byte reads, hang-up = unplug).
 */
import { afterEach, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realClock } from '../../hw/clock.ts';
import { scriptedButton, type ButtonAction } from '../../runtime/sim/signer/button.ts';
import { SimulatedSignerDevice } from '../../runtime/sim/signer/device.ts';
import { DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { REPORT_DESCRIPTOR } from '../../hw/framing/constants.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { findHidrawSigners } from '../../hw/transport/hidraw-discovery.ts';
import { hidrawOpener } from '../../hw/transport/hidraw-transport.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { INVITE_SUMMARY, inviteText, seededRandom, tempDir } from './fixtures.ts';
import { openPty, type PtyDevice } from './pty.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sysfsNode(sys: string, node: string, hidId: string, descriptor: Uint8Array, uniq: string) {
  const dir = join(sys, 'class/hidraw', node, 'device');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'uevent'), `DRIVER=hid-generic\nHID_ID=${hidId}\nHID_NAME=Hivebox Hivebox Signer\nHID_PHYS=usb-0000:01:00.0-1/input0\nHID_UNIQ=${uniq}\nMODALIAS=hid:b0003g0001v00001209p00000001\n`);
  writeFileSync(join(dir, 'report_descriptor'), descriptor);
}

test('sysfs discovery matches VID/PID and usage page, nothing else', () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const sys = join(t.dir, 'sys');
  const fido = Uint8Array.from([0x06, 0xd0, 0xf1, 0x09, 0x01, 0xa1, 0x01]);
  sysfsNode(sys, 'hidraw0', '0003:00001209:00000002', REPORT_DESCRIPTOR, 'other-pid');
  sysfsNode(sys, 'hidraw1', '0003:00001209:00000001', fido, 'wrong-usage');
  sysfsNode(sys, 'hidraw2', '0003:00001209:00000001', REPORT_DESCRIPTOR, 'HBS-0a1b2c3d');
  mkdirSync(join(sys, 'class/hidraw/hidraw3'), { recursive: true });
  expect(findHidrawSigners({ sys, dev: '/dev' })).toEqual([{ path: '/dev/hidraw2', name: 'Hivebox Hivebox Signer', serial: 'HBS-0a1b2c3d' }]);
  expect(findHidrawSigners({ sys: join(t.dir, 'nosys') })).toEqual([]);
});

/** Plays the USB device on the pty master: strips the report id from 65-byte writes. */
function attachDevice(pty: PtyDevice, button: ButtonAction) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const device = new SimulatedSignerDevice({ keys: DeviceKeyStore.open(t.dir, seededRandom('hidraw')), button: scriptedButton(button, realClock), clock: realClock });
  device.onReport((r) => pty.write(r));
  const writes: number[] = [];
  let pending = new Uint8Array(0);
  const timer = setInterval(() => {
    const got = pty.read();
    if (!got.length) return;
    const all = new Uint8Array(pending.length + got.length);
    all.set(pending);
    all.set(got, pending.length);
    let off = 0;
    for (; off + 65 <= all.length; off += 65) {
      writes.push(all[off]!);
      device.receive(all.slice(off + 1, off + 65));
    }
    pending = all.slice(off);
  }, 2);
  cleanups.push(() => {
    clearInterval(timer);
    device.powerCycle();
  });
  return { writes };
}

test('hidraw transport end to end: 65-byte writes with report id 0, signature verifies', async () => {
  const pty = openPty();
  cleanups.push(() => pty.close());
  const dev = attachDevice(pty, 'approve');
  const signer = new HidSigner({ opener: hidrawOpener({ path: pty.path }) });
  cleanups.push(() => signer.close());
  const key = await signer.publicKey('invite');
  if (!key.ok) throw new Error(JSON.stringify(key.error));
  const text = inviteText(key.node_id);
  const res = await signer.sign(text, { purpose: 'invite', summary: INVITE_SUMMARY });
  expect(res.ok && recoverSigner(text, res.value.zbase)).toBe(key.node_id);
  expect(signer.status().transport).toBe(`hidraw:${pty.path}`);
  expect(dev.writes.length).toBeGreaterThan(3);
  expect(dev.writes.every((id) => id === 0)).toBe(true);
});

test('hidraw hang-up during a signature → SignerUnavailable', async () => {
  const pty = openPty();
  cleanups.push(() => pty.close());
  attachDevice(pty, 'never');
  const signer = new HidSigner({ opener: hidrawOpener({ path: pty.path }) });
  cleanups.push(() => signer.close());
  const key = await signer.publicKey('invite');
  if (!key.ok) throw new Error(JSON.stringify(key.error));
  const p = signer.sign(inviteText(key.node_id), { purpose: 'invite', summary: INVITE_SUMMARY });
  for (let i = 0; i < 300 && !signer.pending()?.waiting_for_user; i++) await Bun.sleep(10);
  pty.close();
  const res = await p;
  expect(res).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });
  expect(!res.ok && res.error.kind === 'SignerUnavailable' && res.error.reason).toStartWith('device unplugged');
});

test('missing node and empty discovery → SignerUnavailable', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const missing = await hidrawOpener({ path: join(t.dir, 'hidraw9') })();
  expect(missing).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });
  const none = await hidrawOpener({ roots: { sys: join(t.dir, 'sys') } })();
  expect(none).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: 'no Hivebox signer found among hidraw devices (VID/PID 1209:0001, usage page 0xFF00)' } });
});
