#!/usr/bin/env bun
/**
 * The signer through a real kernel HID device: the device simulator (runtime/sim/signer, the reference
 * model of hw/PROTOCOL.md) attached to the kernel through /dev/uhid with the signer's VID/PID,
 * serial and report descriptor (runtime/sim/signer/uhid.ts), driven by the host driver (HidSigner)
 * over both real transports — node-hid (hidapi on hidraw, through libudev) and /dev/hidrawN
 * found through sysfs:
 *
 * - enumeration: node-hid lists it with usage page 0xFF00; sysfs discovery matches VID/PID and the
 *   descriptor's usage page; INFO over each transport returns the simulator's serial;
 * - an approved invite signature (node-hid) that recovers to the device's invite key, a rejected
 *   one and one the device times out (hidraw);
 * - unplug mid-signature (UHID_DESTROY while the button prompt waits): the pending sign fails as
 *   unavailable and the hidraw node is gone; replug: a new node appears and the same host
 *   driver signs again.
 *
 * Run by tests/hw/uhid.test.ts where /dev/uhid exists, and compiled into the booted amd64 image's
 * test run (tests/images/boot/boot-test.ts), whose Debian kernel has uhid. As a program it prints
 * `ok …` / `FAIL …` and `STEP n passed, m failed`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachSimulatorUhid } from '../../runtime/sim/signer/serve.ts';
import { SIGNER_USAGE_PAGE } from '../../hw/framing/constants.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { findHidrawSigners } from '../../hw/transport/hidraw-discovery.ts';
import { hidrawOpener } from '../../hw/transport/hidraw-transport.ts';
import { loadNodeHid, matchingDevices, nodeHidOpener } from '../../hw/transport/node-hid-transport.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { INVITE_SUMMARY, inviteText } from './fixtures.ts';

/** Device approval timeout the checks use, s (the device's minimum). */
const DEVICE_TIMEOUT_S = 10;

async function until<T>(probe: () => T | null | undefined, ms: number): Promise<T | null> {
  const end = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined) return v;
    if (performance.now() > end) return null;
    await Bun.sleep(20);
  }
}

/** Run every check; `report` gets one line per check. @returns how many passed and failed. */
export async function runUhidChecks(report: (ok: boolean, what: string) => void): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  const expectThat = (cond: boolean, what: string, detail = '') => {
    cond ? passed++ : failed++;
    report(cond, cond || !detail ? what : `${what}: ${detail}`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'hivebox-uhid-'));
  // Prompts in order: approve, reject, let the device time out, then never (the unplug), approve after replug.
  let sim: ReturnType<typeof attachSimulatorUhid>;
  try {
    sim = attachSimulatorUhid({ stateDir: dir, button: ['approve', 'reject', 'never', 'never', 'approve'], timeout_s: DEVICE_TIMEOUT_S, log: () => {} });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    expectThat(false, `attaching the simulator to /dev/uhid: ${e instanceof Error ? e.message : String(e)}`);
    return { passed, failed };
  }
  const signers: HidSigner[] = [];
  try {
    const node = await until(() => findHidrawSigners().find((c) => c.serial === sim.serial), 10_000);
    expectThat(node !== null, 'kernel made a hidraw node for the uhid signer; sysfs discovery matches VID/PID and usage page', JSON.stringify(findHidrawSigners()));
    if (!node) return { passed, failed };
    const hid = await loadNodeHid();
    if (!hid.ok) throw new Error(`node-hid: ${hid.error.reason}`);
    const listed = matchingDevices(await hid.value.devicesAsync()).filter((d) => d.serialNumber === sim.serial);
    expectThat(listed.length === 1 && listed[0]!.usagePage === SIGNER_USAGE_PAGE && listed[0]!.path === node.path, 'node-hid enumerates it by VID/PID with usage page 0xFF00 on the same hidraw node', JSON.stringify(listed));

    const viaNodeHid = new HidSigner({ opener: nodeHidOpener() });
    const viaHidraw = new HidSigner({ opener: hidrawOpener() });
    signers.push(viaNodeHid, viaHidraw);
    for (const [name, s] of [['node-hid', viaNodeHid], ['hidraw', viaHidraw]] as const) {
      const info = await s.info();
      expectThat(info.ok && info.value.serial === sim.serial, `INFO over ${name}: the simulator's serial`, JSON.stringify(info));
    }
    const key = await viaNodeHid.publicKey('invite');
    if (!key.ok) throw new Error(`publicKey: ${key.error.kind}`);
    const text = inviteText(key.node_id);
    const invite = { purpose: 'invite' as const, summary: INVITE_SUMMARY };
    const approved = await viaNodeHid.sign(text, invite);
    expectThat(approved.ok && recoverSigner(text, approved.value.zbase) === key.node_id, 'approved invite over node-hid: the signature recovers to the device key', JSON.stringify(approved));
    const rejected = await viaHidraw.sign(text, invite);
    expectThat(!rejected.ok && rejected.error.kind === 'ApprovalRejected', 'rejected on the device over hidraw', JSON.stringify(rejected));
    const timedOut = await viaHidraw.sign(text, invite);
    expectThat(!timedOut.ok && timedOut.error.kind === 'ApprovalTimeout', `device approval timeout (${DEVICE_TIMEOUT_S} s) over hidraw`, JSON.stringify(timedOut));

    const pending = viaNodeHid.sign(text, invite);
    const prompted = await until(() => viaNodeHid.pending(), 10_000);
    expectThat(prompted !== null, 'a signature waits for the button (pending approval)');
    sim.uhid.unplug();
    const cut = await pending;
    expectThat(!cut.ok && cut.error.kind === 'SignerUnavailable', 'unplugged mid-signature: the sign fails as unavailable', JSON.stringify(cut));
    expectThat((await until(() => (existsSync(node.path) ? null : true), 5_000)) !== null, `${node.path} is gone after the unplug`);

    sim.uhid.plug();
    const again = await until(() => findHidrawSigners().find((c) => c.serial === sim.serial), 10_000);
    expectThat(again !== null, 'replugged: a hidraw node appears again', again?.path);
    const after = await viaNodeHid.sign(text, invite);
    expectThat(after.ok && recoverSigner(text, after.value.zbase) === key.node_id, 'the same host driver reconnects and signs after the replug', JSON.stringify(after));
  } catch (e) {
    expectThat(false, e instanceof Error ? e.message : String(e));
  } finally {
    for (const s of signers) await s.close();
    sim.uhid.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { passed, failed };
}

if (import.meta.main) {
  const r = await runUhidChecks((ok, what) => console.log(`${ok ? 'ok  ' : 'FAIL'} uhid: ${what}`));
  console.log(`STEP ${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed ? 1 : 0);
}
