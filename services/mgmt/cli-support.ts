/**
 * What the `hivebox credential|receipts|advisor` commands open: the mgmt store (path from
 * `--db`, `HIVEBOX_MGMT_DB`, or `$HIVEBOX_DATA_DIR/mgmt.sqlite`) and the operator's signer.
 * Until the daemon hands the CLI its hardware signer, `--signer-key FILE` (or
 * `HIVEBOX_SIGNER_KEY`) selects a software key file — no button press, development only.
 */
import { join } from 'node:path';
import { promptLine } from '../../hw/host/approval-flow.ts';
import { createSigner, DEFAULT_SIGNER_CONFIG, SignerConfig } from '../../hw/host/signer-config.ts';
import type { DigestSigner } from '../../runtime/core/ports.ts';
import { MgmtStore } from '../mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from './key-file.ts';

/** The mgmt database path for `--db value` (or the environment defaults). */
export function mgmtDbPath(flag?: string): string {
  return flag ?? process.env.HIVEBOX_MGMT_DB ?? join(process.env.HIVEBOX_DATA_DIR ?? '.', 'mgmt.sqlite');
}

/** Open the mgmt store. */
export function openCliStore(flag?: string): MgmtStore {
  return new MgmtStore(mgmtDbPath(flag));
}

/** The operator's signer as a command holds it: close it before the process ends. */
export interface OperatorSigner {
  readonly signer: DigestSigner;
  close(): Promise<void>;
}

/** Where the operator's signer is: `--signer-key FILE` / `--signer SPEC` as given on the command line. */
export interface SignerChoice {
  readonly signerKey?: string;
  readonly signer?: string;
}

/**
 * Parse a `--signer` value: `node-hid[:PATH]`, `hidraw[:PATH]` or `unix-socket:PATH` (a signer
 * simulator, `hivebox signer sim --socket PATH`).
 * @throws Error naming the accepted forms for anything else.
 */
export function parseSignerSpec(spec: string): SignerConfig {
  const at = spec.indexOf(':');
  const transport = at < 0 ? spec : spec.slice(0, at);
  const path = at < 0 ? undefined : spec.slice(at + 1);
  const parsed = SignerConfig.safeParse({ transport, ...(path ? { path } : {}) });
  if (!parsed.success) throw new Error(`--signer ${spec}: expected node-hid[:PATH], hidraw[:PATH] or unix-socket:PATH`);
  return parsed.data;
}

/**
 * Open the operator's signer: the USB hardware signer (`--signer`, else `HIVEBOX_SIGNER`, else
 * node-hid discovery) — `prompt` gets "Press the button on your Hivebox signer to approve: …" once
 * per approval, when the device is waiting — or, for development, a software key file
 * (`--signer-key` / `HIVEBOX_SIGNER_KEY`; no button).
 * @throws Error for a malformed `--signer` value or an unreadable key file.
 */
export function openOperatorSigner(choice: SignerChoice, prompt: (line: string) => void): OperatorSigner {
  const keyFile = choice.signerKey ?? (choice.signer === undefined ? process.env.HIVEBOX_SIGNER_KEY || undefined : undefined);
  if (keyFile) return { signer: KeyFileSigner.load(keyFile), close: async () => {} };
  const spec = choice.signer ?? process.env.HIVEBOX_SIGNER;
  const hid = createSigner(spec ? parseSignerSpec(spec) : DEFAULT_SIGNER_CONFIG);
  let shown = false;
  const unsubscribe = hid.onPendingChange((p) => {
    if (!p) shown = false;
    else if (p.waiting_for_user && !shown) {
      shown = true;
      prompt(promptLine(p));
    }
  });
  return {
    signer: hid,
    close: async () => {
      unsubscribe();
      await hid.close();
    },
  };
}

/** Unix seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `n` random bytes. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
