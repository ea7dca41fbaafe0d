/**
 * What the `hivebox credential|receipts|advisor` commands open: the mgmt store at a path the
 * command resolved (runtime/cli/configured.ts: `--db`, `HIVEBOX_MGMT_DB`, the daemon's `[mgmt]
 * store_path`) and the operator's signer. `--signer-key FILE` (or `HIVEBOX_SIGNER_KEY`) selects a
 * software key file instead — no button press, development only.
 */
import { promptLine } from '../../../hw/host/approval-flow.ts';
import { createSigner, SignerConfig } from '../../../hw/host/signer-config.ts';
import type { DigestSigner } from '../../core/ports.ts';
import { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from '../../../services/mgmt/key-file.ts';

/** Open the mgmt store at `path`. */
export function openCliStore(path: string): MgmtStore {
  return new MgmtStore(path);
}

/** The operator's signer as a command holds it: close it before the process ends. */
export interface OperatorSigner {
  readonly signer: DigestSigner;
  close(): Promise<void>;
}

/** Where the operator's signer is: a software key file, else the hardware signer `hardware()` names (read only when needed). */
export interface SignerChoice {
  readonly signerKey?: string;
  readonly hardware: () => SignerConfig;
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
 * Open the operator's signer: a software key file `choice.signerKey` (development; no button), else
 * the USB hardware signer `choice.hardware()` — `prompt` gets "Press the button on your Hivebox
 * signer to approve: …" once per approval, when the device is waiting.
 * @throws Error for an unreadable key file.
 */
export function openOperatorSigner(choice: SignerChoice, prompt: (line: string) => void): OperatorSigner {
  if (choice.signerKey) return { signer: KeyFileSigner.load(choice.signerKey), close: async () => {} };
  const hid = createSigner(choice.hardware());
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
