/**
 * Where the real-node rig finds Core Lightning, Bitcoin Core and (optionally) cl-hive. Nothing of
 * theirs is in this repository: a developer builds them from their public sources and points the
 * rig at the result (README "Real-node tests").
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `HIVEBOX_REAL_LIGHTNINGD` | the `lightningd` executable | `lightningd` on `PATH` |
 * | `HIVEBOX_REAL_LIGHTNING_CLI` | `lightning-cli` | beside lightningd, else `PATH` |
 * | `HIVEBOX_REAL_BITCOIND` | `bitcoind` | beside lightningd, else `PATH` |
 * | `HIVEBOX_REAL_BITCOIN_CLI` | `bitcoin-cli` (lightningd's bcli plugin runs it) | beside bitcoind, else `PATH` |
 * | `HIVEBOX_REAL_CLHIVE` | a cl-hive checkout (the folder holding `cl-hive.py`) | none: cl-hive scenarios skip |
 * | `HIVEBOX_REAL_PYTHON` | the Python that runs cl-hive | `python3` on `PATH` |
 * | `HIVEBOX_REAL_PYTHONPATH` | its module path (pyln-client, pyln-proto, pyln-bolt7, coincurve) | inherited `PYTHONPATH` |
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The real programs the rig runs. */
export interface RealBinaries {
  readonly lightningd: string;
  readonly lightningCli: string;
  readonly bitcoind: string;
  readonly bitcoinCli: string;
  /** cl-hive, when a checkout was given. */
  readonly clhive: { readonly plugin: string; readonly python: string; readonly pythonpath: string } | null;
}

/** Why the rig cannot run: the first missing program and the variable that names it. */
export interface MissingBinary {
  readonly missing: string;
  readonly hint: string;
}

function which(name: string, env: Readonly<Record<string, string | undefined>>): string | null {
  return Bun.which(name, { PATH: env.PATH ?? '' });
}

function beside(file: string, name: string): string | null {
  const p = join(dirname(file), name);
  return existsSync(p) ? p : null;
}

/**
 * Resolve the binaries from `env` (the table above).
 * @returns the paths, or the first one missing with the variable to set.
 */
export function findRealBinaries(env: Readonly<Record<string, string | undefined>> = process.env): RealBinaries | MissingBinary {
  const lightningd = env.HIVEBOX_REAL_LIGHTNINGD || which('lightningd', env);
  if (!lightningd || !existsSync(lightningd)) return { missing: 'lightningd', hint: 'set HIVEBOX_REAL_LIGHTNINGD to a Core Lightning lightningd, or put it on PATH' };
  const lightningCli = env.HIVEBOX_REAL_LIGHTNING_CLI || beside(lightningd, 'lightning-cli') || which('lightning-cli', env);
  if (!lightningCli) return { missing: 'lightning-cli', hint: 'set HIVEBOX_REAL_LIGHTNING_CLI' };
  const bitcoind = env.HIVEBOX_REAL_BITCOIND || beside(lightningd, 'bitcoind') || which('bitcoind', env);
  if (!bitcoind || !existsSync(bitcoind)) return { missing: 'bitcoind', hint: 'set HIVEBOX_REAL_BITCOIND to a Bitcoin Core bitcoind' };
  const bitcoinCli = env.HIVEBOX_REAL_BITCOIN_CLI || beside(bitcoind, 'bitcoin-cli') || which('bitcoin-cli', env);
  if (!bitcoinCli) return { missing: 'bitcoin-cli', hint: 'set HIVEBOX_REAL_BITCOIN_CLI' };
  let clhive: RealBinaries['clhive'] = null;
  if (env.HIVEBOX_REAL_CLHIVE) {
    const plugin = join(env.HIVEBOX_REAL_CLHIVE, 'cl-hive.py');
    if (!existsSync(plugin)) return { missing: 'cl-hive.py', hint: `HIVEBOX_REAL_CLHIVE=${env.HIVEBOX_REAL_CLHIVE} has no cl-hive.py` };
    const python = env.HIVEBOX_REAL_PYTHON || which('python3', env);
    if (!python) return { missing: 'python3', hint: 'set HIVEBOX_REAL_PYTHON to the Python that runs cl-hive' };
    clhive = { plugin, python, pythonpath: env.HIVEBOX_REAL_PYTHONPATH ?? env.PYTHONPATH ?? '' };
  }
  return { lightningd, lightningCli, bitcoind, bitcoinCli, clhive };
}

/** True for the `MissingBinary` answer. */
export function isMissing(b: RealBinaries | MissingBinary): b is MissingBinary {
  return 'missing' in b;
}
