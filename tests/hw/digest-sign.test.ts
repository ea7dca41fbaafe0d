/**
 * SIGN_DIGEST (hw/PROTOCOL.md §3.6): management credentials, reputation credentials and
 * revocations signed on the USB signer through the `DigestSigner` port. The device shows what it
 * derives from the JCS document (agent, node, tier, schemas, expiry), waits for the button, and
 * the Archon-form proof verifies with the credential verifier. Rejections and every refusal —
 * from the host driver and, with a bare host, from the device itself — leave no signature.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { scriptedButton } from '../../runtime/sim/signer/button.ts';
import { SimulatedSignerDevice, type DeviceEvent } from '../../runtime/sim/signer/device.ts';
import { DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { APP_ERR, CMD } from '../../hw/framing/constants.ts';
import { DIGEST_FORMAT } from '../../hw/protocol/digest-documents.ts';
import { decodeMessage, encodeMessage, SignDigestResponse } from '../../hw/protocol/messages.ts';
import { parseCredential, verifyCredential } from '../../runtime/core/mgmt/credential.ts';
import { didKeyFromPublicKey, resolveDidKey } from '../../runtime/core/mgmt/did.ts';
import { documentText, jcs, verifyDocumentProof } from '../../runtime/core/mgmt/proof.ts';
import { buildRevocation, verifyRevocation } from '../../runtime/core/mgmt/revocation.ts';
import { utf8 } from '../../runtime/core/types.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { issueCredential, issueReputation, revokeCredential, type IssueRequest } from '../../runtime/node/mgmt/operator.ts';
import { makeRig, seededRandom, tempDir, type Rig } from './fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import { RawHost } from './raw-host.ts';

const NOW = 1_790_000_000;
const NODE = `03${'5c'.repeat(32)}`;
const AGENT = new KeyFileSigner(new Uint8Array(32).fill(7)).did;

const request = (o: Partial<IssueRequest> = {}): IssueRequest => ({
  agent_did: AGENT,
  node_id: NODE,
  tier: 'standard',
  permissions: { monitor: true, fee_policy: true, rebalance: true },
  constraints: { max_fee_change_pct: 50, max_rebalance_sats: 1_000_000, max_daily_actions: 100, allowed_schemas: ['hive:fee-policy/*', 'hive:monitor/*'] },
  compensation: { model: 'per_action', rate_sats: 10, currency: 'L402|cashu' },
  issued_at: NOW,
  expires_at: NOW + 30 * 86_400,
  idBytes: new Uint8Array(16).fill(3),
  ...o,
});

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function rig(button: Parameters<typeof makeRig>[1]) {
  const clock = new ManualClock();
  const r: Rig = makeRig(clock, button);
  const dir = mkdtempSync(join(tmpdir(), 'hivebox-digest-'));
  const store = new MgmtStore(join(dir, 'mgmt.sqlite'));
  cleanups.push(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    r.cleanup();
  });
  return { ...r, clock, store, issuerDid: didKeyFromPublicKey(r.keys.publicKey(0)) };
}

/** Run `p` while the manual clock lets the scripted button fire. */
async function pressed<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  await clock.advance(10);
  return p;
}

describe('approved on the device', () => {
  test('a management credential: the device shows agent, node, tier, schemas and expiry; the proof verifies', async () => {
    const r = rig('approve');
    const issued = await pressed(r.clock, issueCredential(r.signer, r.store, request(), NOW));
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    expect(r.prompts).toHaveLength(1);
    expect(r.prompts[0]).toEqual({
      purpose: 'credential',
      title: `management credential for ${AGENT.slice(0, 12)}…: tier standard, 30 days`,
      fields: {
        agent: AGENT,
        node: NODE,
        tier: 'standard',
        schemas: 'hive:fee-policy/*, hive:monitor/*',
        valid: '30 days',
        expires: '2026-10-21T14:13:20Z',
        limits: 'fee ±50 %, rebalance ≤ 1000000 sat, 100 actions/day',
        payment: 'per_action 10 sat',
      },
      timeout_s: 60,
    });
    const parsed = parseCredential(issued.value);
    if (!parsed.ok) throw new Error(parsed.error.detail);
    expect(parsed.value.issuer).toBe(r.issuerDid);
    const keys = resolveDidKey(r.issuerDid);
    if (!keys.ok) throw new Error(keys.error.kind);
    const verified = verifyCredential(parsed.value, { issuerKeys: keys.value, trustedIssuers: new Set([r.issuerDid]), nodeId: NODE, revoked: false, now_s: NOW + 60 });
    expect(verified.ok).toBe(true);
    expect(r.store.getCredential(parsed.value.id)?.json).toBe(issued.value);
  });

  test('a revocation and a reputation credential, each after its own press, verify against the device key', async () => {
    const r = rig('approve');
    const issued = await pressed(r.clock, issueCredential(r.signer, r.store, request(), NOW));
    if (!issued.ok) throw new Error('issue failed');
    const id = JSON.parse(issued.value).id as string;
    const keys = resolveDidKey(r.issuerDid);
    if (!keys.ok) throw new Error('did');
    const revoked = await pressed(r.clock, revokeCredential(r.signer, r.store, id, 'advisor key lost', NOW + 100));
    if (!revoked.ok) throw new Error(JSON.stringify(revoked.error));
    expect(verifyRevocation(JSON.parse(revoked.value), keys.value)).toMatchObject({ ok: true, value: { credential_id: id, reason: 'advisor key lost' } });
    expect(r.prompts[1]).toMatchObject({ purpose: 'revoke', title: `revoke credential ${id.slice(0, 12)}…: advisor key lost`, fields: { credential: id, reason: 'advisor key lost' } });
    const rep = await pressed(r.clock, issueReputation(r.signer, r.store, AGENT, { baseline_msat: 1000, current_msat: 1500 }, NOW + 200, new Uint8Array(16).fill(9)));
    if (!rep.ok) throw new Error(JSON.stringify(rep.error));
    expect(verifyDocumentProof(JSON.parse(rep.value), keys.value)).toBe(true);
    expect(r.prompts[2]).toMatchObject({ purpose: 'credential', title: `hive:advisor reputation for ${AGENT.slice(0, 12)}…: revoke`, fields: { subject: AGENT, domain: 'hive:advisor', outcome: 'revoke' } });
  });
});

describe('not signed', () => {
  test('rejected on the device → ApprovalRejected; nothing stored', async () => {
    const r = rig('reject');
    expect(await pressed(r.clock, issueCredential(r.signer, r.store, request(), NOW))).toEqual({ ok: false, error: { kind: 'ApprovalRejected' } });
    expect(r.store.listCredentials()).toEqual([]);
    expect(r.events.map((e) => (e.kind === 'outcome' ? e.result : e.kind))).toEqual(['prompt', 'rejected']);
  });

  test('the host refuses before the device: no document, a document that does not hash to the digest, a purpose without a digest form', async () => {
    const r = rig('approve');
    const doc = buildRevocation({ credential_id: 'urn:uuid:1', issuer: r.issuerDid, reason: 'x', revoked_at: NOW });
    const text = documentText(doc);
    const digest = sha256(utf8(text));
    const opts = { purpose: 'revoke' as const, summary: { title: 'revoke', fields: {} } };
    expect(await r.signer.signDigest(digest, opts)).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
    expect(await r.signer.signDigest(sha256(utf8('something else')), { ...opts, document: text })).toMatchObject({ ok: false, error: { kind: 'SignerRefused', reason: 'the document does not hash to the digest' } });
    expect(await r.signer.signDigest(digest, { ...opts, purpose: 'invite', document: text })).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
    expect(r.prompts).toEqual([]);
  });

  test('a software key signs the same proofs without a button (development stand-in)', async () => {
    const soft = new KeyFileSigner(new Uint8Array(32).fill(5));
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const store = new MgmtStore(join(dir, 'm.sqlite'));
    const issued = await issueCredential(soft, store, request(), NOW);
    store.close();
    expect(issued.ok && JSON.parse(issued.value).issuer).toBe(soft.did);
  });
});

describe('the device refuses what a bypassing host sends', () => {
  function device() {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new ManualClock();
    const keys = DeviceKeyStore.open(dir, seededRandom('digest-device'));
    const events: DeviceEvent[] = [];
    const dev = new SimulatedSignerDevice({ keys, button: scriptedButton('approve', clock), clock, onEvent: (e) => events.push(e) });
    const host = new RawHost(dev, clock);
    const cid = host.init();
    let n = 0;
    const ask = (purpose: string, document: string, format: string = DIGEST_FORMAT) => {
      const nonce = new Uint8Array(16).fill(++n);
      host.send(cid, CMD.SIGN_DIGEST, encodeMessage({ nonce, purpose, format, document }));
      const f = host.take().at(-1)!;
      const a = decodeMessage(SignDigestResponse, f.payload);
      if (!a.ok) throw new Error(a.error.kind);
      return a.value;
    };
    return { ask, events, issuer: didKeyFromPublicKey(keys.publicKey(0)) };
  }

  const revocation = (issuer: string, reason = 'lost') => buildRevocation({ credential_id: 'urn:uuid:2', issuer, reason, revoked_at: NOW });

  test('a document naming another issuer → WRONG_KEY; not canonical, carrying a proof, or with hidden characters → TEXT_MALFORMED; other formats → FORMAT_UNSUPPORTED', () => {
    const d = device();
    const other = new KeyFileSigner(new Uint8Array(32).fill(8)).did;
    expect(d.ask('revoke', jcs(revocation(other)))).toMatchObject({ status: 'error', code: APP_ERR.WRONG_KEY });
    expect(d.ask('revoke', JSON.stringify(revocation(d.issuer), null, 2))).toMatchObject({ status: 'error', code: APP_ERR.TEXT_MALFORMED, reason: 'document is not RFC 8785 (JCS) canonical' });
    expect(d.ask('revoke', jcs({ ...revocation(d.issuer), proof: { proofValue: 'x' } }))).toMatchObject({ status: 'error', code: APP_ERR.TEXT_MALFORMED });
    expect(d.ask('revoke', jcs(revocation(d.issuer, 'lost\u202ekcab')))).toMatchObject({ status: 'error', code: APP_ERR.TEXT_MALFORMED });
    expect(d.ask('credential', jcs(revocation(d.issuer)))).toMatchObject({ status: 'error', code: APP_ERR.TEXT_MALFORMED });
    expect(d.ask('revoke', jcs(revocation(d.issuer)), 'lightning-signmessage')).toMatchObject({ status: 'error', code: APP_ERR.FORMAT_UNSUPPORTED });
    expect(d.ask('invite', jcs(revocation(d.issuer)))).toMatchObject({ status: 'error', code: APP_ERR.FORMAT_UNSUPPORTED });
    expect(d.events).toEqual([]);
  });
});
