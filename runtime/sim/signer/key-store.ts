/**
 * The simulated device's secure element: one secp256k1 key per slot, generated on the "device" at
 * first power-up from injected randomness and persisted in `device-state.json` inside the
 * simulator's own state folder (mode 0600, written atomically). Secret keys stay inside this class:
 * it offers public keys and signatures, never the keys (hw/PROTOCOL.md §3.2).
 *
 * Stands for the key storage of a real Hivebox Signer (MCU flash / secure element).
 */
import * as secp from '@noble/secp256k1';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { lightningDigest } from '../../core/crypto/lnsign.ts';
import { nobleScheme } from '../../core/crypto/noble-scheme.ts';
import { fromHex, toHex } from '../../core/types.ts';
import type { RandomBytes } from '../../../hw/clock.ts';
import { SLOT_COUNT } from '../../../hw/protocol/purposes.ts';

/** File name of the device state inside the simulator's folder. */
export const DEVICE_STATE_FILE = 'device-state.json';

const StateFile = z.strictObject({
  format: z.literal('hivebox-signer-sim/1'),
  serial: z.string().regex(/^HBS-[0-9a-f]{8}$/),
  slots: z.array(z.string().regex(/^[0-9a-f]{64}$/)).length(SLOT_COUNT),
});

/** Keys of one simulated device. */
export class DeviceKeyStore {
  readonly #secrets: readonly Uint8Array[];
  readonly #publics: readonly Uint8Array[];

  private constructor(readonly serial: string, secrets: readonly Uint8Array[]) {
    this.#secrets = secrets;
    this.#publics = secrets.map((sk) => nobleScheme.publicKey(sk));
  }

  /**
   * Load the device state from `dir`, or create it (keys from `random`, 48 bytes per slot reduced
   * with noble's `randomSecretKey`) when the folder has none.
   * @throws Error when an existing state file is corrupt (the simulator refuses to start rather
   *   than silently making new keys).
   */
  static open(dir: string, random: RandomBytes): DeviceKeyStore {
    const path = join(dir, DEVICE_STATE_FILE);
    if (existsSync(path)) {
      const parsed = StateFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) throw new Error(`${path}: not a Hivebox signer simulator state (${parsed.error.issues[0]?.message})`);
      return new DeviceKeyStore(parsed.data.serial, parsed.data.slots.map((h) => fromHex(h)!));
    }
    const secrets = Array.from({ length: SLOT_COUNT }, () => secp.utils.randomSecretKey(random(48)));
    const serial = `HBS-${toHex(random(4))}`;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: 'hivebox-signer-sim/1', serial, slots: secrets.map(toHex) }, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    return new DeviceKeyStore(serial, secrets);
  }

  /** Compressed public key (33 bytes) of `slot`. @throws RangeError for a slot the device lacks. */
  publicKey(slot: number): Uint8Array {
    const pk = this.#publics[slot];
    if (!pk) throw new RangeError(`no key slot ${slot}`);
    return pk;
  }

  /**
   * Lightning `signmessage` signature over `text` with `slot`'s key: 65 bytes `[31+recid] ‖ r ‖ s`
   * (CLN lightning-signmessage(7)).
   */
  signLightning(slot: number, text: string): Uint8Array {
    const sk = this.#secrets[slot];
    if (!sk) throw new RangeError(`no key slot ${slot}`);
    const sig = nobleScheme.signRecoverable(lightningDigest(text), sk);
    const out = new Uint8Array(sig);
    out[0] = 31 + sig[0]!;
    return out;
  }

  /**
   * Compact ECDSA signature (64 bytes `r ‖ s`, low-s, RFC 6979 nonce) over a 32-byte `digest` with
   * `slot`'s key: the Archon-form proof value of SIGN_DIGEST (hw/PROTOCOL.md §3.6).
   */
  signCompact(slot: number, digest: Uint8Array): Uint8Array {
    const sk = this.#secrets[slot];
    if (!sk) throw new RangeError(`no key slot ${slot}`);
    return nobleScheme.signRecoverable(digest, sk).slice(1);
  }
}
