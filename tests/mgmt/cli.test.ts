/**
 * The operator and advisor command lines against a managed node sharing the mgmt database:
 * `credential issue/list/renew/revoke/reputation` (the store defaulting to the configured `[mgmt]
 * store_path`), `advisor keygen/build/open`, `receipts --verify`.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDidKey } from '../../runtime/core/mgmt/did.ts';
import { verifyDocumentProof } from '../../runtime/core/mgmt/proof.ts';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import { SCIDS, World } from './support/world.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let w: World;
let db: string;
let opKey: string;
let advKey: string;

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = Bun.spawnSync(['bun', MAIN, ...args], { cwd: w.dir, env: { ...process.env, HIVEBOX_MGMT_DB: '', HIVEBOX_SIGNER_KEY: '' } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

beforeAll(async () => {
  w = await World.create();
  w.now = Math.floor(Date.now() / 1000);
  db = join(w.dir, 'mgmt.sqlite');
  opKey = join(w.dir, 'operator.key');
  advKey = join(w.dir, 'advisor.key');
  writeFileSync(opKey, toHex(w.operator.secretKey), { mode: 0o600 });
});
afterAll(async () => {
  await w.close();
});

test('issue → command → receipts → reputation → revoke', async () => {
  const did = cli('advisor', 'keygen', '--key', advKey).out.trim();
  expect(did).toStartWith('did:key:zQ3s');
  const issued = cli('credential', 'issue', '--db', db, '--signer-key', opKey, '--agent', did, '--node', w.sim.id, '--tier', 'standard', '--max-fee-change-pct', '50', '--max-rebalance-sats', '1000000', '--max-daily-actions', '100', '--schemas', 'hive:fee-policy/*,hive:monitor/*', '--days', '30', '--model', 'performance');
  expect(issued.err).toBe("");
  expect(issued.code).toBe(0);
  const cred = JSON.parse(issued.out);
  expect(cred.credentialSubject).toMatchObject({ id: did, tier: 'standard', constraints: { allowed_schemas: ['hive:fee-policy/*', 'hive:monitor/*'] }, permissions: { fee_policy: true, channel_open: false } });
  writeFileSync(join(w.dir, 'cred.json'), issued.out);
  expect(cli('credential', 'list', '--db', db).out).toContain(`${cred.id}\t${did}\tstandard`);

  const built = cli('advisor', 'build', '--key', advKey, '--credential', 'cred.json', '--schema', 'hive:fee-policy/v1', '--action', 'set_anchor', '--params', JSON.stringify({ channel_id: SCIDS.a, target_fee_ppm: 110 }));
  expect(built.code).toBe(0);
  const nonce = /nonce (\d+)/.exec(built.err)![1]!;
  w.now = Math.floor(Date.now() / 1000);
  const response = await w.node.handle('03' + '77'.repeat(32), fromHex(built.out.trim())!);
  const opened = cli('advisor', 'open', '--key', advKey, '--node', w.sim.id, '--nonce', nonce, '--hex', toHex(response!));
  expect(opened.code).toBe(0);
  expect(JSON.parse(opened.out)).toMatchObject({ status: 0, result: { status: 'accepted', result: { fee_ppm_after: 110 } } });
  expect(w.fee(SCIDS.a)).toBe(110);
  expect(cli('advisor', 'open', '--key', advKey, '--node', '02' + '11'.repeat(32), '--nonce', nonce, '--hex', toHex(response!)).code).toBe(2);

  const receipts = cli('receipts', '--db', db, '--agent', did, '--verify', w.sim.id);
  expect(receipts.code).toBe(0);
  expect(receipts.out.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['accepted']);
  expect(cli('receipts', '--db', db, '--verify', '02' + '11'.repeat(32)).code).toBe(1);

  const rep = cli('credential', 'reputation', '--db', db, '--signer-key', opKey, '--agent', did);
  expect(rep.code).toBe(0);
  const repCred = JSON.parse(rep.out);
  expect(repCred).toMatchObject({ type: ['VerifiableCredential', 'DIDReputationCredential'], credentialSubject: { id: did, domain: 'hive:advisor', metrics: { actions_taken: 1, channels_managed: 1, revenue_delta_pct: 0 }, outcome: 'renew' } });
  const keys = resolveDidKey(w.operator.did);
  expect(keys.ok && verifyDocumentProof(repCred, keys.value)).toBe(true);

  // Without --db the commands use the daemon's [mgmt] store_path; renew --days sets the new validity.
  const cfg = join(w.dir, 'hivebox.toml');
  writeFileSync(cfg, `[mgmt]\nstore_path = ${JSON.stringify(db)}\n`);
  const renewed = cli('credential', 'renew', cred.id, '--config', cfg, '--signer-key', opKey, '--days', '7');
  expect(renewed.err).toBe('');
  expect(renewed.code).toBe(0);
  const fresh = JSON.parse(renewed.out);
  expect(Date.parse(fresh.validUntil ?? fresh.expirationDate) - Date.parse(fresh.validFrom ?? fresh.issuanceDate)).toBe(7 * 86_400_000);
  expect(cli('credential', 'list', '--config', cfg).out.trim().split('\n')).toHaveLength(2);
  expect(cli('credential', 'renew', cred.id, '--config', cfg, '--signer-key', opKey, '--days', '0').code).toBe(64);

  const revoked = cli('credential', 'revoke', cred.id, '--db', db, '--signer-key', opKey, '--reason', 'end of engagement');
  expect(JSON.parse(revoked.out)).toMatchObject({ type: ['HiveCredentialRevocation'], credential_id: cred.id });
  expect(cli('credential', 'list', '--db', db).out).toContain('\trevoked');
  expect(cli('credential', 'issue', '--db', db, '--agent', did, '--node', w.sim.id).code).toBe(69);
  chmodSync(opKey, 0o644);
  expect(cli('credential', 'revoke', 'x', '--db', db, '--signer-key', opKey).err).toContain('chmod 600');
});
