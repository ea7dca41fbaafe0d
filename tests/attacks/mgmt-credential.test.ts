/**
 * Credential-layer attacks on remote management (spec 002 "Threat Model": stolen credential,
 * agent compromise): expired, not yet valid, revoked (locally and by gossip), wrong tier, missing
 * permission, schema not allowed, self-issued, tampered, other node, unsupported schema version.
 * Each is refused with its named rule, a receipt is recorded and nothing executes.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { SUPPORTED_SCHEMAS } from '../../runtime/core/mgmt/schemas/registry.ts';
import { HiveDidResolver } from '../../services/mgmt/did-resolver.ts';
import { revokeCredential } from '../../runtime/node/mgmt/operator.ts';
import { acceptRevocation } from '../../runtime/node/mgmt/revocations.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { expectRefused, snapshot } from '../mgmt/support/refusal.ts';
import { SCIDS, World } from '../mgmt/support/world.ts';

let w: World;
beforeEach(async () => {
  w = await World.create();
});
afterEach(async () => {
  await w.close();
});

const setAnchor = { schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: SCIDS.a, target_fee_ppm: 110 } };
const send = async (cred: string, cmd: { schema: string; action: string; params: Record<string, unknown> } = setAnchor) => w.client.command(w.sim.id, cmd, cred, null);

describe('credential layer', () => {
  test('expired credential', async () => {
    const cred = await w.credential({ model: 'performance', issuedAt: w.now - 31 * 86_400, days: 30 });
    const before = snapshot(w);
    expectRefused(w, before, await send(cred), 'credential', 'expired');
  });

  test('credential not yet valid', async () => {
    const cred = await w.credential({ model: 'performance', issuedAt: w.now + 3600 });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'not_yet_valid');
  });

  test('revoked credential (operator revokes on this node)', async () => {
    const cred = await w.credential({ model: 'performance' });
    expect((await send(cred)).ok).toBe(true);
    const id = JSON.parse(cred).id as string;
    expect((await revokeCredential(w.operator, w.store, id, 'advisor key leaked', w.now)).ok).toBe(true);
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'revoked');
  });

  test('revocations gossiped to another fleet member are verified, then enforced there', async () => {
    const other = new MgmtStore(':memory:');
    const resolver = new HiveDidResolver();
    const revocation = await revokeCredential(w.operator, w.store, 'urn:uuid:gossiped', 'rotated', w.now);
    if (!revocation.ok) throw new Error('sign');
    expect(await acceptRevocation(other, resolver, new Set([w.operator.did]), revocation.value, w.now)).toEqual({ ok: true, value: 'urn:uuid:gossiped' });
    expect(other.isRevoked('urn:uuid:gossiped')).toBe(true);
    const forged = await revokeCredential(w.advisorKey, new MgmtStore(':memory:'), 'urn:uuid:victim', 'forged', w.now);
    const refused = await acceptRevocation(other, resolver, new Set([w.operator.did]), forged.ok ? forged.value : '', w.now);
    expect(refused.ok).toBe(false);
    expect(other.isRevoked('urn:uuid:victim')).toBe(false);
  });

  test('wrong tier: a monitor credential cannot set fees even if its schema list allows it', async () => {
    const cred = await w.credential({ model: 'performance', tier: 'monitor', schemas: ['*'] });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'insufficient_tier');
  });

  test('expansion proposals need advanced', async () => {
    const cred = await w.credential({ model: 'performance', tier: 'standard' });
    const cmd = { schema: 'hive:expansion/v1', action: 'propose_channel_open', params: { peer_id: '02' + 'ee'.repeat(32), capacity_sats: 1_000_000 } };
    expectRefused(w, snapshot(w), await send(cred, cmd), 'credential', 'insufficient_tier');
  });

  test('permission flag off', async () => {
    const cred = await w.credential({ model: 'performance', permissions: { monitor: true, rebalance: true } });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'permission_denied');
  });

  test('schema not in allowed_schemas', async () => {
    const cred = await w.credential({ model: 'performance', schemas: ['hive:monitor/*', 'hive:rebalance/v1'] });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'schema_not_allowed');
  });

  test('self-issued credential (agent signs its own)', async () => {
    const cred = await w.credential({ model: 'performance', signer: w.advisorKey });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'untrusted_issuer');
  });

  test('tampered credential (constraints raised after signing)', async () => {
    const c = JSON.parse(await w.credential({ model: 'performance', maxFeeChangePct: 5 }));
    c.credentialSubject.constraints.max_fee_change_pct = 1000;
    expectRefused(w, snapshot(w), await send(JSON.stringify(c)), 'credential', 'bad_credential_signature');
  });

  test('credential for another node', async () => {
    const cred = await w.credential({ model: 'performance', nodeId: '03' + '44'.repeat(32) });
    expectRefused(w, snapshot(w), await send(cred), 'credential', 'wrong_node');
  });

  test('unsupported schema version is refused with the supported list', async () => {
    const cred = await w.credential({ model: 'performance' });
    const r = expectRefused(w, snapshot(w), await send(cred, { ...setAnchor, schema: 'hive:fee-policy/v2' }), 'schema', 'unsupported_schema');
    expect((r.result as { supported_schemas: string[] }).supported_schemas).toEqual([...SUPPORTED_SCHEMAS]);
    expect(SUPPORTED_SCHEMAS).toEqual(['hive:config/v1', 'hive:expansion/v1', 'hive:fee-policy/v1', 'hive:monitor/v1', 'hive:rebalance/v1']);
  });
});
