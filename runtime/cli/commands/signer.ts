/**
 * `hivebox signer info|ping|pubkey|sim`: operator tools for the USB hardware signer
 * (hw/PROTOCOL.md). `info`, `ping` and `pubkey` talk to the signer `--signer SPEC` names, else the
 * daemon's configured `[signer]` (runtime/cli/configured.ts);
 * `sim` runs a simulated signer on a unix socket for demos and tests.
 */
import type { Command } from 'commander';
import { parseButtonScript } from '../../sim/signer/button.ts';
import { runSimulatorProcess } from '../../sim/signer/serve.ts';
import type { HidSigner } from '../../../hw/host/hid-signer.ts';
import { createSigner } from '../../../hw/host/signer-config.ts';
import { describeSignerError } from '../../../hw/host/signer-errors.ts';
import { isSignerPurpose } from '../../../hw/protocol/purposes.ts';
import type { SignerError } from '../../core/ports.ts';
import { signerConfigOf, withConfigured, type ConfiguredOptions } from '../configured.ts';
import { EXIT } from '../exit-codes.ts';

type TransportOptions = ConfiguredOptions;

const withTransport = (cmd: Command): Command => withConfigured(cmd, true);

function signerFrom(o: TransportOptions): HidSigner {
  return createSigner(signerConfigOf(o));
}

/** Exit code for a signer error: refusals and timeouts → refused (77), the rest → unavailable (69). */
export function exitCodeFor(e: SignerError): number {
  return e.kind === 'ApprovalRejected' || e.kind === 'ApprovalTimeout' || e.kind === 'SignerRefused' ? EXIT.refused : EXIT.unavailable;
}

function fail(e: SignerError): never {
  console.error(`hivebox signer: ${describeSignerError(e)}`);
  process.exit(exitCodeFor(e));
}

/** Register `hivebox signer`. */
export function registerSigner(program: Command): void {
  const signer = program.command('signer').description('USB hardware signer that holds the fleet admin keys');

  withTransport(signer.command('info').description('show the signer model, firmware, serial and approval timeout')).action(async (o: TransportOptions) => {
    const s = signerFrom(o);
    const r = await s.info();
    if (!r.ok) fail(r.error);
    console.log(JSON.stringify({ ...s.status(), device: r.value }, null, 2));
    await s.close();
  });

  withTransport(signer.command('ping').description('echo bytes through the signer and time the round trip'))
    .option('--bytes <n>', 'payload size (0..7609)', '64')
    .action(async (o: TransportOptions & { bytes: string }) => {
      const n = Number(o.bytes);
      if (!Number.isInteger(n) || n < 0) {
        console.error('hivebox signer ping: --bytes must be a non-negative integer');
        process.exit(EXIT.usage);
      }
      const s = signerFrom(o);
      const t0 = performance.now();
      const r = await s.ping(crypto.getRandomValues(new Uint8Array(n)));
      if (!r.ok) fail(r.error);
      console.log(`${n} bytes echoed in ${(performance.now() - t0).toFixed(1)} ms`);
      await s.close();
    });

  withTransport(signer.command('pubkey').description('print the public key of a purpose (invite, revoke, ban, credential, governance)'))
    .argument('<purpose>')
    .action(async (purpose: string, o: TransportOptions) => {
      if (!isSignerPurpose(purpose)) {
        console.error(`hivebox signer pubkey: unknown purpose ${purpose}`);
        process.exit(EXIT.usage);
      }
      const s = signerFrom(o);
      const r = await s.publicKey(purpose);
      if (!r.ok) fail(r.error);
      console.log(r.node_id);
      await s.close();
    });

  signer
    .command('sim')
    .description('run a simulated Hivebox Signer on a unix socket, or with --uhid as a kernel HID device (for demos and tests)')
    .requiredOption('--state <dir>', "the simulated device's own folder (keys persist there)")
    .option('--socket <path>', 'socket path (default <state>/signer.sock)')
    .option('--button <script>', 'approve | reject | never | approve-after:MS, comma-separated per prompt', 'approve')
    .option('--timeout-s <n>', 'device approval timeout in seconds (10..600)', '60')
    .option('--uhid', 'present it as a kernel USB HID device through /dev/uhid (Linux, root) instead of a socket: node-hid and hidraw find it like the real signer')
    .action(async (o: { state: string; socket?: string; button: string; timeoutS: string; uhid?: boolean }) => {
      const script = parseButtonScript(o.button);
      const timeout_s = Number(o.timeoutS);
      if (!script || !Number.isInteger(timeout_s) || timeout_s < 10 || timeout_s > 600) {
        console.error('hivebox signer sim: bad --button or --timeout-s');
        process.exit(EXIT.usage);
      }
      await runSimulatorProcess({ stateDir: o.state, socketPath: o.socket, button: script, timeout_s, uhid: o.uhid === true, log: (l) => console.log(l) });
    });
}
