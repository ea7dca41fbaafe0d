/**
 * Credential revocation gossiped over simnet (issue 9 §1): the operator revokes on the USB signer
 * (button), `hive-mgmt-revoke` on the operator's node sends MGMT_CREDENTIAL_REVOKE to its peers,
 * the advisor node (the only path to mgr) verifies and relays it, mgr adds it to its list, and the
 * next command with that credential is refused with nothing executed. Attacks: a revocation signed
 * by an untrusted key, a trusted revocation edited to name another credential, and a flood of
 * revocations from one peer — none is stored, the credential keeps working.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRevocationGossip } from '../../runtime/core/mgmt/revocation-gossip.ts';
import { toHex } from '../../runtime/core/types.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { REVOCATION_FLOOD_LIMIT } from '../../runtime/node/mgmt/mgmt-engine.ts';
import { revokeCredential } from '../../runtime/node/mgmt/operator.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { SimWorld } from './support/sim-world.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create();
});
afterAll(async () => {
  await w.stop();
});

const monitor = { schema: 'hive:monitor/v1', action: 'health_summary', params: {} };
const command = (cred: string) => w.client.command(w.mgr.node.nodeId, monitor, cred, null);
const credId = (cred: string) => JSON.parse(cred).id as string;

/** A revocation of `id` signed by a key the fleet does not trust. */
async function forgedRevocation(id: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hbx-forge-'));
  const store = new MgmtStore(join(dir, 'm.sqlite'));
  const r = await revokeCredential(new KeyFileSigner(new Uint8Array(32).fill(0x66)), store, id, 'forged', w.clock());
  store.close();
  rmSync(dir, { recursive: true, force: true });
  if (!r.ok) throw new Error('forge');
  return r.value;
}

/** Gossip `revocationJson` from adv straight to mgr, as a compromised fleet member could. */
async function gossipFromAdv(revocationJson: string): Promise<void> {
  const msg = encodeRevocationGossip(JSON.parse(revocationJson), w.adv.node.nodeId, toHex(crypto.getRandomValues(new Uint8Array(16))), w.clock());
  if (!msg.ok) throw new Error(msg.error.detail);
  expect((await w.adv.backend.sendcustommsg(w.mgr.node.nodeId, toHex(msg.value))).ok).toBe(true);
}

const mgrEvents = (event: string) => w.logs.mgr.filter((l) => l.event === event);

describe('revocation reaches mgr through the fleet', () => {
  test('signed on the USB signer, sent by ops, relayed by adv, checked before the next command', async () => {
    const cred = await w.credential({ model: 'performance', schemas: ['hive:monitor/*'] });
    const ok = await command(cred);
    expect(ok.ok && ok.value.status).toBe(0);
    const revocation = await w.revoke(cred, 'advisor contract ended');
    expect(w.signer.signer.status().device?.model).toBe('Hivebox Signer');
    const sent = await w.ops.daemon.engine.rpc('hive-mgmt-revoke', { revocation });
    expect(sent).toEqual({ credential_id: credId(cred), sent_to: [w.adv.node.nodeId] });
    expect(w.ops.node.peers.get(w.mgr.node.nodeId)).toBeUndefined();
    await waitUntil(() => w.stores.mgr.isRevoked(credId(cred)), 'revocation relayed to mgr');
    expect(w.stores.adv.isRevoked(credId(cred))).toBe(true);
    expect(w.logs.adv.find((l) => l.event === 'mgmt_credential_revoked')?.fields).toMatchObject({ credential_id: credId(cred), from: w.ops.node.nodeId });
    const before = await w.snapshot();
    const r = await command(cred);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.result).toMatchObject({ status: 'rejected', layer: 'credential', rule: 'revoked' });
    expect(r.value.receipt).toMatchObject({ status: 'rejected', rule: 'revoked', credential_id: credId(cred) });
    expect(await w.snapshot()).toEqual(before);
  });

  test('hive-mgmt-revoke refuses a revocation it cannot verify', async () => {
    const cred = await w.credential({ model: 'performance' });
    await expect(w.ops.daemon.engine.rpc('hive-mgmt-revoke', { revocation: await forgedRevocation(credId(cred)) })).rejects.toMatchObject({ code: 1701 });
    await expect(w.ops.daemon.engine.rpc('hive-mgmt-revoke', {})).rejects.toMatchObject({ code: -32602 });
  });
});

describe('attacks: nothing is revoked', () => {
  test('an untrusted signer, an edited trusted revocation, and a flood from one peer', async () => {
    const cred = await w.credential({ model: 'performance', schemas: ['hive:monitor/*'] });
    await gossipFromAdv(await forgedRevocation(credId(cred)));
    await waitUntil(() => mgrEvents('mgmt_revocation_refused').length === 1, 'forged revocation refused');
    expect(mgrEvents('mgmt_revocation_refused')[0]!.fields).toMatchObject({ credential_id: credId(cred), reason: 'issuer is not trusted here' });

    const other = await w.credential({ model: 'performance' });
    const genuine = JSON.parse(await w.revoke(other, 'genuine'));
    await gossipFromAdv(JSON.stringify({ ...genuine, credential_id: credId(cred) }));
    await waitUntil(() => mgrEvents('mgmt_revocation_refused').length === 2, 'edited revocation refused');
    expect(mgrEvents('mgmt_revocation_refused')[1]!.fields).toMatchObject({ reason: 'bad proof' });

    for (let i = 0; i < REVOCATION_FLOOD_LIMIT.max; i++) await gossipFromAdv(await forgedRevocation(`urn:uuid:flood-${i}`));
    await waitUntil(() => mgrEvents('mgmt_revocation_flood').length >= 1, 'flood limit');
    expect(w.stores.mgr.isRevoked(credId(cred))).toBe(false);
    const r = await command(cred);
    expect(r.ok && r.value.status).toBe(0);
  }, 120_000);
});
