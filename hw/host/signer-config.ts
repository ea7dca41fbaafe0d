/**
 * The `signer` section of the daemon configuration: which transport reaches the Hivebox Signer.
 * `node-hid` is the default (the user's choice); `hidraw` uses plain file I/O on /dev/hidrawN
 * (for compiled binaries and ARM boards where node-hid under Bun crashes, oven-sh/bun#6515);
 * `unix-socket` points the daemon at a simulator process (`hivebox signer sim --socket PATH`).
 */
import { z } from 'zod';
import type { Clock, RandomBytes } from '../clock.ts';
import { hidrawOpener } from '../transport/hidraw-transport.ts';
import { nodeHidOpener } from '../transport/node-hid-transport.ts';
import type { TransportOpener } from '../transport/report-transport.ts';
import { unixSocketOpener } from '../transport/unix-socket-transport.ts';
import { HidSigner } from './hid-signer.ts';

const common = {
  /** Host SIGN timeout override in s (default: device timeout + 5 s). */
  sign_timeout_s: z.number().int().min(1).max(900).optional(),
};

/** Validated signer configuration. */
export const SignerConfig = z.discriminatedUnion('transport', [
  z.strictObject({ transport: z.literal('node-hid'), path: z.string().min(1).optional(), ...common }),
  z.strictObject({ transport: z.literal('hidraw'), path: z.string().min(1).optional(), ...common }),
  z.strictObject({ transport: z.literal('unix-socket'), path: z.string().min(1), ...common }),
]);
export type SignerConfig = z.infer<typeof SignerConfig>;

/** The default: node-hid with discovery. */
export const DEFAULT_SIGNER_CONFIG: SignerConfig = { transport: 'node-hid' };

/** The transport opener a configuration selects. */
export function openerFor(config: SignerConfig, clock?: Clock): TransportOpener {
  switch (config.transport) {
    case 'node-hid':
      return nodeHidOpener({ path: config.path });
    case 'hidraw':
      return hidrawOpener({ path: config.path, clock });
    case 'unix-socket':
      return unixSocketOpener(config.path);
  }
}

/** A `HidSigner` for `config` (nothing is opened until first use). */
export function createSigner(config: SignerConfig, deps: { clock?: Clock; random?: RandomBytes } = {}): HidSigner {
  return new HidSigner({
    opener: openerFor(config, deps.clock),
    clock: deps.clock,
    random: deps.random,
    sign_timeout_ms: config.sign_timeout_s === undefined ? undefined : config.sign_timeout_s * 1000,
  });
}
