/**
 * Shared fixtures for hw tests: seeded randomness, a simulated signer on an in-process USB port
 * with a temporary state folder, and signed texts of every purpose in the exact format the
 * device accepts (hw/PROTOCOL.md §4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import type { Clock, RandomBytes } from '../../hw/clock.ts';
import { scriptedButton, type ButtonAction } from '../../runtime/sim/signer/button.ts';
import { SimulatedSignerDevice, type DeviceEvent } from '../../runtime/sim/signer/device.ts';
import { DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { SimulatedUsbPort } from '../../runtime/sim/signer/usb-port.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { toHex } from '../../runtime/core/types.ts';

/** Deterministic bytes: sha256 counter mode over a seed. */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) out.set(sha256(new TextEncoder().encode(`${seed}/${counter++}`)).subarray(0, Math.min(32, n - off)), off);
    return out;
  };
}

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'hivebox-hw-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Everything one in-process test rig holds. */
export interface Rig {
  readonly device: SimulatedSignerDevice;
  readonly port: SimulatedUsbPort;
  readonly signer: HidSigner;
  readonly keys: DeviceKeyStore;
  readonly events: DeviceEvent[];
  readonly prompts: ReturnType<typeof scriptedButton>['prompts'];
  readonly adminKey: string;
  newSigner(opts?: { sign_timeout_ms?: number }): HidSigner;
  cleanup(): void;
}

/** Device + port + host driver sharing `clock`. */
export function makeRig(clock: Clock, button: ButtonAction | readonly ButtonAction[], opts: { timeout_s?: number; sign_timeout_ms?: number; seed?: string } = {}): Rig {
  const { dir, cleanup } = tempDir();
  const keys = DeviceKeyStore.open(dir, seededRandom(`device/${opts.seed ?? 'a'}`));
  const b = scriptedButton(button, clock);
  const events: DeviceEvent[] = [];
  const device = new SimulatedSignerDevice({ keys, button: b, clock, timeout_s: opts.timeout_s, onEvent: (e) => events.push(e) });
  const port = new SimulatedUsbPort(device);
  let hosts = 0;
  const newSigner = (o: { sign_timeout_ms?: number } = {}) =>
    new HidSigner({ opener: port.opener, clock, random: seededRandom(`host/${hosts++}`), sign_timeout_ms: o.sign_timeout_ms ?? opts.sign_timeout_ms });
  return { device, port, keys, events, prompts: b.prompts, adminKey: toHex(keys.publicKey(0)), signer: newSigner(), newSigner, cleanup };
}

/** Invite ticket text (cl-hive ticket, JSON-canonical, escaped as lightningd hashes it). */
export function inviteText(admin_pubkey: string, o: { hive_id?: string; hours?: number; requirements?: number; tier?: string } = {}): string {
  const issued_at = 1_763_700_000;
  return lightningSignedText(
    canonicalJson({
      admin_pubkey,
      hive_id: o.hive_id ?? 'hive_1a2b3c',
      requirements: o.requirements ?? 1,
      issued_at,
      expires_at: issued_at + (o.hours ?? 24) * 3600,
      initial_tier: o.tier ?? 'neophyte',
    }),
  );
}

/** The summary the invite flow shows for `inviteText(...)` with default options. */
export const INVITE_SUMMARY = {
  title: 'invite to hive_1a2b3c, valid 24 h, requires splice',
  fields: { hive: 'hive_1a2b3c', valid: '24 h', requires: 'splice', tier: 'neophyte' },
} as const;

/** A node id that is not the device's. */
export const OTHER_NODE = `02${'ab'.repeat(32)}`;
