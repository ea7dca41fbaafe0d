/**
 * The 49152/49153 codecs (spec 002 §3): round trips, the signed bytes, size limit before parsing,
 * BOLT 1 rules inside the payload, and the advisor's response verification.
 */
import { describe, expect, test } from 'bun:test';
import { buildRequest, nextNonce, openResponse } from '../../runtime/core/mgmt/advisor.ts';
import { signMessage, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, MGMT_LIMITS, requestDigest, responseSignedText } from '../../runtime/core/mgmt/messages.ts';
import { receiptSignedText, sha256Hex, signReceipt, type Receipt } from '../../runtime/core/mgmt/receipt.ts';
import { encodeBigSize } from '../../runtime/core/mgmt/tlv.ts';
import { toHex } from '../../runtime/core/types.ts';

const sk = new Uint8Array(32).fill(7);
const nodeSk = new Uint8Array(32).fill(8);
const nodeId = toHex(nobleScheme.publicKey(nodeSk));
const cmd = { schema: 'hive:monitor/v1', action: 'health_summary', params: { hours: 24 } };

describe('request codec', () => {
  test('round-trips and signs schema_type ‖ schema_payload ‖ nonce ‖ timestamp', () => {
    const req = buildRequest(cmd, '{"cred":1}', 'cashuBxyz0123456789abcdef', 5n, 1_790_000_000, sk);
    const bytes = encodeRequest(req);
    expect(toHex(bytes.slice(0, 2))).toBe('c000');
    const d = decodeRequest(bytes);
    expect(d.ok && d.value).toEqual(req);
    expect(nobleScheme.verify(req.signature, requestDigest(req), nobleScheme.publicKey(sk))).toBe(true);
    expect(nobleScheme.verify(req.signature, requestDigest({ ...req, nonce: 6n }), nobleScheme.publicKey(sk))).toBe(false);
  });

  test('payment_proof is optional; other fields are required', () => {
    const req = buildRequest(cmd, '{}', null, 1n, 1, sk);
    const d = decodeRequest(encodeRequest(req));
    expect(d.ok && d.value.payment_proof).toBeNull();
    const noSig = Uint8Array.from([0xc0, 0x00, 1, 1, 0x61, 2, 2, 0x7b, 0x7d, 3, 0]);
    expect(decodeRequest(noSig)).toMatchObject({ ok: false, error: { kind: 'missing_field', field: 'signature' } });
  });

  test('oversize is refused before parsing; wrong type, bad UTF-8 and unknown even types are typed errors', () => {
    expect(decodeRequest(new Uint8Array(MGMT_LIMITS.max_message_bytes + 1))).toMatchObject({ ok: false, error: { kind: 'oversize' } });
    expect(decodeRequest(Uint8Array.of(0xc0, 0x01))).toMatchObject({ ok: false, error: { kind: 'wrong_type', type: 0xc001 } });
    const good = encodeRequest(buildRequest(cmd, '{}', null, 1n, 1, sk));
    const withEven = Uint8Array.from([...good, ...encodeBigSize(8n), 1, 0]);
    expect(decodeRequest(withEven)).toMatchObject({ ok: false, error: { kind: 'tlv', tlv: { kind: 'unknown_even_type', type: 8n } } });
    const withOdd = Uint8Array.from([...good, ...encodeBigSize(9n), 1, 0]);
    expect(decodeRequest(withOdd).ok).toBe(true);
    const badUtf8 = Uint8Array.from([0xc0, 0x00, 1, 1, 0xff]);
    expect(decodeRequest(badUtf8)).toMatchObject({ ok: false, error: { kind: 'invalid_value', field: 'schema_type' } });
  });

  test('nonces increase and follow the clock', () => {
    expect(nextNonce(null, 1000)).toBe(1_000_000n);
    expect(nextNonce(5_000_000n, 1000)).toBe(5_000_001n);
  });
});

describe('response codec and advisor verification', () => {
  const receipt: Receipt = {
    receipt_id: '00'.repeat(16),
    node_id: nodeId,
    agent_did: 'did:key:zAgent',
    credential_id: 'urn:uuid:x',
    schema_id: 'hive:monitor/v1',
    action: 'health_summary',
    params_hash: sha256Hex('{}'),
    payment_ref: null,
    status: 'accepted',
    layer: null,
    rule: null,
    result_hash: sha256Hex('{"ok":true}'),
    state_hash_before: '11'.repeat(32),
    state_hash_after: '22'.repeat(32),
    request_nonce: '42',
    executed_at: 1_790_000_000,
  };
  const signed = signReceipt(receipt, signMessage(receiptSignedText(receipt), nodeSk));
  const body = { request_nonce: 42n, status: 0 as const, result: '{"ok":true}', state_hash: new Uint8Array(32).fill(0x22), receipt: JSON.stringify(signed) };
  const bytes = encodeResponse({ ...body, signature: zbase32.decode(signMessage(responseSignedText(body), nodeSk)) });

  test('decodes and verifies', () => {
    expect(decodeResponse(bytes).ok).toBe(true);
    const o = openResponse(bytes, nodeId, 42n, 'did:key:zAgent');
    expect(o.ok && o.value.result).toEqual({ ok: true });
  });

  test('refuses another nonce, another node, another agent, a tampered result', () => {
    expect(openResponse(bytes, nodeId, 43n, 'did:key:zAgent')).toMatchObject({ ok: false, error: { kind: 'wrong_nonce' } });
    expect(openResponse(bytes, '02' + '11'.repeat(32), 42n, 'did:key:zAgent')).toMatchObject({ ok: false, error: { kind: 'bad_node_signature' } });
    expect(openResponse(bytes, nodeId, 42n, 'did:key:zOther')).toMatchObject({ ok: false, error: { kind: 'bad_receipt' } });
    const tampered = encodeResponse({ ...body, result: '{"ok":false}', signature: zbase32.decode(signMessage(responseSignedText({ ...body, result: '{"ok":false}' }), nodeSk)) });
    expect(openResponse(tampered, nodeId, 42n, 'did:key:zAgent')).toMatchObject({ ok: false, error: { kind: 'bad_receipt', detail: 'receipt does not match the response' } });
  });
});
