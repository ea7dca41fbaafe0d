/**
 * DIDs and credentials (spec 002 §1): did:key vectors (W3C CCG did-method-key secp256k1), Archon
 * gatekeeper documents, Archon-form proofs over JCS, verification rules, tiers and revocations.
 */
import { describe, expect, test } from 'bun:test';
import { buildCredential, parseCredential, verifyCredential, type CredentialSpec } from '../../runtime/core/mgmt/credential.ts';
import { keysFromGatekeeperDocument, resolveDidKey } from '../../runtime/core/mgmt/did.ts';
import { documentDigest, jcs, verifyDocumentProof } from '../../runtime/core/mgmt/proof.ts';
import { buildRevocation, verifyRevocation } from '../../runtime/core/mgmt/revocation.ts';
import { effectivePermissions } from '../../runtime/core/mgmt/tiers.ts';
import { fromHex } from '../../runtime/core/types.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { HiveDidResolver } from '../../services/mgmt/did-resolver.ts';
import { issueCredential, renewCredential, revokeCredential } from '../../runtime/node/mgmt/operator.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { startGatekeeper } from './support/gatekeeper.ts';

describe('did:key (secp256k1)', () => {
  const vectors: [string, string][] = [
    ['9085d2bef69286a6cbb51623c8fa258629945cd55ca705cc4e66700396894e0c', 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'],
    ['f0f4df55a2b3ff13051ea814a8f24ad00f2e469af73c363ac7e9fb999a9072ed', 'did:key:zQ3shtxV1FrJfhqE1dvxYRcCknWNjHc3c5X1y3ZSoPDi2aur2'],
    ['6b0b91287ae3348f8c2f2552d766f30e3604867e34adc37ccbb74a8e6b893e02', 'did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N'],
  ];
  for (const [sk, did] of vectors) {
    test(did.slice(0, 20), () => {
      const k = new KeyFileSigner(fromHex(sk)!);
      expect(k.did).toBe(did);
      const r = resolveDidKey(did);
      expect(r.ok && r.value.keys[0]!.public_key).toEqual(fromHex(k.publicKeyHex)!);
    });
  }
  test('rejects other multicodecs and bad base58', () => {
    expect(resolveDidKey('did:key:z6MktvqCyLxTsXUH1tUZncNdVeEZ7hNh7npPRbUU27GTrYb8')).toMatchObject({ ok: false, error: { kind: 'malformed_did' } });
    expect(resolveDidKey('did:key:z0OIl')).toMatchObject({ ok: false, error: { kind: 'malformed_did' } });
  });
});

describe('did:cid through a gatekeeper', () => {
  test('resolves the JWK key, caches it, honours deactivation', async () => {
    const gk = startGatekeeper();
    const k = new KeyFileSigner(new Uint8Array(32).fill(5));
    const did = 'did:cid:bagaaieratestaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    gk.register(did, fromHex(k.publicKeyHex)!);
    const r = new HiveDidResolver({ gatekeeperUrl: gk.url, cache_ttl_s: 60 });
    const first = await r.resolve(did, 1000);
    expect(first.ok && first.value.keys[0]).toMatchObject({ id: `${did}#key-1`, public_key: fromHex(k.publicKeyHex)! });
    await r.resolve(did, 1030);
    expect(gk.hits.get(did)).toBe(1);
    gk.register(did, fromHex(k.publicKeyHex)!, true);
    expect(await r.resolve(did, 1100)).toMatchObject({ ok: false, error: { kind: 'deactivated' } });
    expect(await r.resolve('did:cid:bagaaierunknownaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1100)).toMatchObject({ ok: false, error: { kind: 'resolution_failed' } });
    expect(keysFromGatekeeperDocument(did, { didDocument: { id: 'did:cid:other', verificationMethod: [] } })).toMatchObject({ ok: false, error: { kind: 'malformed_document' } });
    await gk.stop();
  });
});

describe('management credentials', () => {
  const operator = new KeyFileSigner(new Uint8Array(32).fill(1));
  const agent = new KeyFileSigner(new Uint8Array(32).fill(2));
  const nodeId = '02' + '33'.repeat(32);
  const now = 1_790_000_000;
  const spec: Omit<CredentialSpec, 'issuer'> = {
    agent_did: agent.did,
    node_id: nodeId,
    tier: 'standard',
    permissions: { monitor: true, fee_policy: true, rebalance: true, config_tune: true, channel_open: true },
    constraints: { max_fee_change_pct: 50, max_rebalance_sats: 1_000_000, max_daily_actions: 100, allowed_schemas: ['hive:fee-policy/*'] },
    compensation: { model: 'per_action', rate_sats: 10, currency: 'L402|cashu' },
    issued_at: now,
    expires_at: now + 30 * 86_400,
    idBytes: new Uint8Array(16).fill(9),
  };
  const issuerKeys = resolveDidKey(operator.did);
  if (!issuerKeys.ok) throw new Error('did');
  const ctx = { issuerKeys: issuerKeys.value, trustedIssuers: new Set([operator.did]), nodeId, revoked: false, now_s: now + 10 };

  test('spec 002 shape; tier caps permissions (standard cannot hold channel_open)', () => {
    const c = buildCredential({ ...spec, issuer: operator.did });
    expect(c).toMatchObject({ type: ['VerifiableCredential', 'HiveManagementCredential'], issuer: operator.did, issuanceDate: '2026-09-21T14:13:20Z', credentialSubject: { tier: 'standard', permissions: { channel_open: false, fee_policy: true } } });
    expect([...effectivePermissions('monitor', { fee_policy: true, monitor: true })]).toEqual(['monitor']);
  });

  test('issued through the signer; verifies; every rule rejects on its own', async () => {
    const store = new MgmtStore(':memory:');
    const issued = await issueCredential(operator, store, spec, now);
    if (!issued.ok) throw new Error(issued.error.kind);
    const parsed = parseCredential(issued.value);
    if (!parsed.ok) throw new Error(parsed.error.detail);
    expect(verifyDocumentProof(parsed.value.raw, issuerKeys.value)).toBe(true);
    expect(verifyCredential(parsed.value, ctx).ok).toBe(true);
    const rule = (over: Partial<typeof ctx>) => {
      const v = verifyCredential(parsed.value, { ...ctx, ...over });
      return v.ok ? 'ok' : v.error.rule;
    };
    expect(rule({ trustedIssuers: new Set() })).toBe('untrusted_issuer');
    expect(rule({ nodeId: '03' + '44'.repeat(32) })).toBe('wrong_node');
    expect(rule({ now_s: now - 1 })).toBe('not_yet_valid');
    expect(rule({ now_s: now + 30 * 86_400 })).toBe('expired');
    expect(rule({ revoked: true })).toBe('revoked');
    const tampered = JSON.parse(issued.value);
    tampered.credentialSubject.constraints.max_fee_change_pct = 1000;
    const tp = parseCredential(JSON.stringify(tampered));
    expect(tp.ok && verifyCredential(tp.value, ctx)).toMatchObject({ ok: false, error: { rule: 'bad_credential_signature' } });
    expect(parseCredential('{"not":"a credential"}')).toMatchObject({ ok: false, error: { rule: 'malformed_credential' } });
    expect(store.listCredentials().length).toBe(1);
    const renewed = await renewCredential(operator, store, parsed.value.id, now + 86_400, new Uint8Array(16).fill(8));
    const rp = renewed.ok ? parseCredential(renewed.value) : null;
    expect(rp?.ok && { from: rp.value.issued_at, to: rp.value.expires_at, id: rp.value.id !== parsed.value.id }).toEqual({ from: now + 86_400, to: now + 31 * 86_400, id: true });
    const shorter = await renewCredential(operator, store, parsed.value.id, now + 86_400, new Uint8Array(16).fill(9), 7 * 86_400);
    const sp = shorter.ok ? parseCredential(shorter.value) : null;
    expect(sp?.ok && { from: sp.value.issued_at, to: sp.value.expires_at }).toEqual({ from: now + 86_400, to: now + 8 * 86_400 });
  });

  test('the proof covers RFC 8785 JCS of the credential without its proof', () => {
    const doc = { b: 1, a: [1, 'x'], proof: { anything: true } };
    expect(jcs({ b: 1, a: [1, 'x'] })).toBe('{"a":[1,"x"],"b":1}');
    expect(documentDigest(doc)).toEqual(documentDigest({ a: [1, 'x'], b: 1 }));
  });

  test('revocations are signed by the issuer and verified before they are stored', async () => {
    const store = new MgmtStore(':memory:');
    const json = await revokeCredential(operator, store, 'urn:uuid:abc', 'key leaked', now);
    if (!json.ok) throw new Error(json.error.kind);
    expect(store.isRevoked('urn:uuid:abc')).toBe(true);
    expect(verifyRevocation(JSON.parse(json.value), issuerKeys.value)).toMatchObject({ ok: true, value: { credential_id: 'urn:uuid:abc', reason: 'key leaked' } });
    const forged = { ...buildRevocation({ credential_id: 'urn:uuid:abc', issuer: operator.did, reason: 'x', revoked_at: now }), proof: JSON.parse(json.value).proof };
    expect(verifyRevocation(forged, issuerKeys.value).ok).toBe(false);
  });
});
