/**
 * What the CLI's store and signer commands (`credential`, `receipts`, `signer info|ping|pubkey`)
 * default to: the daemon's own configuration (`--config FILE`, else $HIVEBOX_CONFIG, HIVEBOX_*
 * variables and built-in defaults — runtime/config/load.ts), so they open the mgmt store and the
 * signer `hivebox run` uses without flags.
 *
 * A signer is named one way everywhere on the command line: `--signer node-hid[:PATH] |
 * hidraw[:PATH] | unix-socket:PATH`, the `[signer] transport` and `path` of the configuration
 * written as one value ($HIVEBOX_SIGNER takes the same form).
 */
import type { Command } from 'commander';
import type { SignerConfig } from '../../hw/host/signer-config.ts';
import { parseSignerSpec } from '../node/mgmt/cli-support.ts';
import { loadConfig } from '../config/load.ts';
import { EXIT } from './exit-codes.ts';
import { reportFailure } from './json-error.ts';

/** Options a configured command takes. */
export interface ConfiguredOptions {
  config?: string;
  signer?: string;
}

/** Add `--config` (and `--signer` when `signer`) to a command. */
export function withConfigured(cmd: Command, signer: boolean): Command {
  cmd.option('--config <file>', 'hivebox TOML configuration the defaults come from (default: $HIVEBOX_CONFIG, else built-in defaults)');
  if (signer) cmd.option('--signer <spec>', 'node-hid[:PATH] | hidraw[:PATH] | unix-socket:PATH (default: $HIVEBOX_SIGNER, else [signer] of the configuration)');
  return cmd;
}

function configured(o: ConfiguredOptions) {
  const cfg = loadConfig({ file: o.config, env: process.env, home: process.env.HOME });
  if (!cfg.ok) {
    reportFailure(null, cfg.error.message, EXIT.usage);
    process.exit(EXIT.usage);
  }
  return cfg.value;
}

/** The mgmt database: `flag`, else $HIVEBOX_MGMT_DB, else the configuration's `[mgmt] store_path`. Exits 64 on a bad configuration. */
export function mgmtDbPath(o: ConfiguredOptions, flag: string | undefined): string {
  return flag || process.env.HIVEBOX_MGMT_DB || configured(o).mgmt.store_path;
}

/** The signer: `--signer`, else $HIVEBOX_SIGNER, else the configuration's `[signer]`. Exits 64 on a malformed value or configuration. */
export function signerConfigOf(o: ConfiguredOptions): SignerConfig {
  const spec = o.signer || process.env.HIVEBOX_SIGNER;
  if (!spec) return configured(o).signer;
  try {
    return parseSignerSpec(spec);
  } catch (e) {
    reportFailure(null, e instanceof Error ? e.message : String(e), EXIT.usage);
    process.exit(EXIT.usage);
  }
}
