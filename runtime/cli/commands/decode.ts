/**
 * `hivebox decode HEX [--now UNIX_SECONDS] [--json]`: an operator's debugging tool (issue 2 §8).
 * Takes a custom message as `sendcustommsg`/`custommsg` hex (BOLT type included), decodes it in
 * whichever framing it uses, validates the payload, checks timestamp freshness against `--now`
 * (default: the system clock) and recovers every signature over its canonical string.
 *
 * Prints one JSON object: `{"framing","type","type_id","payload","signature":{"present","valid",
 * "signer"},"errors":[…]}` (indented; one line with `--json`). Exit 0 for a well-formed Hive
 * message — an invalid signature or a stale timestamp is reported in `signature`/`errors`, not
 * fatal; 2 for malformed input (the typed error in `errors`); 3 for bytes that are not Hive
 * traffic (`not_hive` says why).
 */
import type { Command } from 'commander';
import { PyFloat } from '../../core/canonical/python-json.ts';
import { checkFreshness, checkSignatures, decodeHiveHex, MSG_TYPES, type WireError } from '../../core/wire/index.ts';
import { EXIT } from '../exit-codes.ts';

interface DecodeReport {
  framing: 'spec' | 'clhive' | null;
  type: string | null;
  type_id: number | null;
  payload: unknown;
  signature: { present: boolean; valid: boolean | null; signer: string | null };
  errors: WireError[];
  not_hive?: string;
}

const NO_SIGNATURE = { present: false, valid: null, signer: null };

/** Build the report and exit code for one hex input at clock `now` (unix seconds). */
function decodeReport(hex: string, now: number): { report: DecodeReport; exit: number } {
  const out = decodeHiveHex(hex);
  if (out.kind === 'not_hive') {
    const report = { framing: null, type: null, type_id: null, payload: null, signature: NO_SIGNATURE, errors: [], not_hive: out.reason };
    return { report, exit: EXIT.notHive };
  }
  if (out.kind === 'malformed') {
    const type = out.type ?? null;
    const report = { framing: out.framing, type, type_id: type ? MSG_TYPES[type] : null, payload: null, signature: NO_SIGNATURE, errors: [out.error] };
    return { report, exit: EXIT.malformed };
  }
  const m = out.message;
  const fresh = checkFreshness(m.type, m.payload as { timestamp?: unknown }, now);
  const report = {
    framing: m.framing,
    type: m.type,
    type_id: m.type_id,
    payload: m.payload,
    signature: checkSignatures(m),
    errors: fresh.ok ? [] : [fresh.error],
  };
  return { report, exit: EXIT.ok };
}

function jsonValue(_key: string, value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}

/** Register `hivebox decode`. */
export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode and check a Hive custom message given as hex (BOLT type included)')
    .argument('<hex>', 'custom message bytes as hex, as sendcustommsg / the custommsg hook carry them')
    .option('--now <unix_seconds>', 'clock for the timestamp freshness check (default: now)')
    .option('--json', 'print the JSON object on one line')
    .addHelpText('after', '\nExit status: 0 well-formed Hive message, 2 malformed, 3 not Hive traffic, 64 bad usage.')
    .action((hex: string, opts: { now?: string; json?: boolean }) => {
      let now = Math.floor(Date.now() / 1000);
      if (opts.now !== undefined) {
        if (!/^\d+$/.test(opts.now)) program.error(`--now must be unix seconds, got ${JSON.stringify(opts.now)}`, { exitCode: EXIT.usage });
        now = Number(opts.now);
      }
      const { report, exit } = decodeReport(hex.trim(), now);
      console.log(JSON.stringify(report, jsonValue, opts.json ? undefined : 2));
      process.exitCode = exit;
    });
}
