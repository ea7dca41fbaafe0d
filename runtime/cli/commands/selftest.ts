/**
 * `hivebox selftest`: proves a built binary is whole on the machine it runs on, with no
 * node_modules beside it. Signs and recovers rust-lightning's `signmessage` vector with lnsign,
 * opens an in-memory SQLite through bun:sqlite, and loads the embedded node-hid addon
 * (bun-platform-probe.md §7). Prints one JSON object; exit 0 only when every check passed.
 */
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

/**
 * rust-lightning `util::message_signing` test vector: ONE_KEY (secret key 1) signing "test message".
 * The recovered key is the secp256k1 generator G.
 */
const VECTOR = {
  text: 'test message',
  secretKeyHex: `${'00'.repeat(31)}01`,
  zbase: 'd9tibmnic9t5y41hg7hkakdcra94akas9ku3rmmj4ag9mritc8ok4p5qzefs78c9pqfhpuftqqzhydbdwfg7u6w6wdxcqpqn4sj4e73e',
  nodeId: '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
} as const;

/** One check's outcome: `ok` plus what it measured, or the error text. */
export type CheckResult = { ok: true; [k: string]: unknown } | { ok: false; error: string };

/** The JSON `hivebox selftest` prints. */
export interface SelftestReport {
  ok: boolean;
  target: string;
  lnsign: CheckResult;
  sqlite: CheckResult;
  hid: CheckResult;
}

async function check(fn: () => Promise<Record<string, unknown>>): Promise<CheckResult> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Run the three checks (each isolated: one failing does not hide the others). */
export async function runSelftest(): Promise<SelftestReport> {
  const lnsign = await check(async () => {
    const { signMessage, recoverSigner } = await import('../../core/crypto/lnsign.ts');
    const { fromHex } = await import('../../core/types.ts');
    const zbase = signMessage(VECTOR.text, fromHex(VECTOR.secretKeyHex)!);
    if (zbase !== VECTOR.zbase) throw new Error(`signature differs from the rust-lightning vector: ${zbase}`);
    const node_id = recoverSigner(VECTOR.text, zbase);
    if (node_id !== VECTOR.nodeId) throw new Error(`recovered ${node_id}, expected ${VECTOR.nodeId}`);
    return { node_id };
  });
  const sqlite = await check(async () => {
    const { Database } = await import('bun:sqlite');
    const db = new Database(':memory:', { strict: true });
    try {
      db.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
      db.query('INSERT INTO t (k, v) VALUES ($k, $v)').run({ k: 'a', v: 42 });
      const row = db.query('SELECT v, sqlite_version() AS version FROM t WHERE k = $k').get({ k: 'a' }) as { v: number; version: string } | null;
      if (row?.v !== 42) throw new Error('in-memory round trip failed');
      return { version: row.version };
    } finally {
      db.close();
    }
  });
  const hid = await check(async () => {
    const HID = await import('node-hid');
    return { devices: HID.devices().length };
  });
  return { ok: lnsign.ok && sqlite.ok && hid.ok, target: `${process.platform}-${process.arch}`, lnsign, sqlite, hid };
}

/** Register `hivebox selftest`. */
export function registerSelftest(program: Command): void {
  program
    .command('selftest')
    .description('check this binary: signmessage vector, in-memory SQLite, embedded node-hid addon (prints JSON)')
    .action(async () => {
      const report = await runSelftest();
      console.log(JSON.stringify(report));
      if (!report.ok) process.exitCode = EXIT.failure;
    });
}
