/**
 * The local test mint's primitives against the Cashu NUT test vectors (copied from
 * shared/data/vectors/cashu-nuts/00-tests.md, 02-tests.md, 12-tests.md): hash_to_curve, blinded
 * messages, blind signatures (the mint's @cashu/crypto `createBlindSignature`), keyset ids, TokenV3
 * and TokenV4 (de)serialisation as the node's redeemer decodes them, and DLEQ proofs.
 */
import { describe, expect, test } from 'bun:test';
import { getDecodedToken, getTokenMetadata, hasValidDleq, verifyDLEQProof, pointFromHex as ctsPoint, type Keyset } from '@cashu/cashu-ts';
import { blindMessage } from '@cashu/crypto/modules/client';
import { deriveKeysetId, deserializeMintKeys, hashToCurve, pointFromHex } from '@cashu/crypto/modules/common';
import { createBlindSignature } from '@cashu/crypto/modules/mint';
import { fromHex } from '../../runtime/core/types.ts';
import { CashuRedeemer } from '../../services/cashu/redeemer.ts';
import { LocalMint } from '../../runtime/sim/mint/mint.ts';

const h = (s: string) => fromHex(s)!;

describe('NUT-00 hash_to_curve', () => {
  const vectors: [string, string][] = [
    ['0000000000000000000000000000000000000000000000000000000000000000', '024cce997d3b518f739663b757deaec95bcd9473c30a14ac2fd04023a739d1a725'],
    ['0000000000000000000000000000000000000000000000000000000000000001', '022e7158e11c9506f1aa4248bf531298daa7febd6194f003edcd9b93ade6253acf'],
    ['0000000000000000000000000000000000000000000000000000000000000002', '026cdbe15362df59cd1dd3c9c11de8aedac2106eca69236ecd9fbe117af897be4f'],
  ];
  for (const [msg, point] of vectors) test(msg.slice(-4), () => expect(hashToCurve(h(msg)).toHex(true)).toBe(point));
});

describe('NUT-00 blinded messages and blind signatures', () => {
  test('B_ = Y + rG', () => {
    const cases: [string, string, string][] = [
      ['d341ee4871f1f889041e63cf0d3823c713eea6aff01e80f1719f08f9e5be98f6', '99fce58439fc37412ab3468b73db0569322588f62fb3a49182d67e23d877824a', '033b1a9737a40cc3fd9b6af4b723632b76a67a36782596304612a6c2bfb5197e6d'],
      ['f1aaf16c2239746f369572c0784d9dd3d032d952c2d992175873fb58fae31a60', 'f78476ea7cc9ade20f9e05e58a804cf19533f03ea805ece5fee88c8e2874ba50', '029bdf2d716ee366eddf599ba252786c1033f47e230248a4612a5670ab931f1763'],
    ];
    for (const [x, r, B] of cases) expect(blindMessage(h(x), BigInt(`0x${r}`)).B_.toHex(true)).toBe(B);
  });
  test("C_ = kB_ with the mint's createBlindSignature", () => {
    const B_ = pointFromHex('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    expect(createBlindSignature(B_, h('0000000000000000000000000000000000000000000000000000000000000001'), 1, '00').C_.toHex(true)).toBe('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    expect(createBlindSignature(B_, h('7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f'), 1, '00').C_.toHex(true)).toBe('0398bc70ce8184d27ba89834d19f5199c84443c31131e48d3c1214db24247d005d');
  });
});

describe('NUT-02 keyset ids (v1)', () => {
  test('00456a94ab4e1c46', () => {
    const keys = {
      '1': '03a40f20667ed53513075dc51e715ff2046cad64eb68960632269ba7f0210e38bc',
      '2': '03fd4ce5a16b65576145949e6f99f445f8249fee17c606b688b504a849cdc452de',
      '4': '02648eccfa4c026960966276fa5a4cae46ce0fd432211a4f449bf84f13aa5f8303',
      '8': '02fdfd6796bfeac490cbee12f778f867f0a2c68f6508d17c649759ea0dc3547528',
    };
    expect(deriveKeysetId(deserializeMintKeys(keys))).toBe('00456a94ab4e1c46');
  });
  test("the test mint's keyset id is the NUT-02 v1 id of its public keys", () => {
    const mint = new LocalMint(new Uint8Array(32).fill(9), 8);
    expect(mint.keysetId).toMatch(/^00[0-9a-f]{14}$/);
    expect(deriveKeysetId(deserializeMintKeys(mint.publicKeys))).toBe(mint.keysetId);
  });
});

const V3 =
  'cashuAeyJ0b2tlbiI6W3sibWludCI6Imh0dHBzOi8vODMzMy5zcGFjZTozMzM4IiwicHJvb2ZzIjpbeyJhbW91bnQiOjIsImlkIjoiMDA5YTFmMjkzMjUzZTQxZSIsInNlY3JldCI6IjQwNzkxNWJjMjEyYmU2MWE3N2UzZTZkMmFlYjRjNzI3OTgwYmRhNTFjZDA2YTZhZmMyOWUyODYxNzY4YTc4MzciLCJDIjoiMDJiYzkwOTc5OTdkODFhZmIyY2M3MzQ2YjVlNDM0NWE5MzQ2YmQyYTUwNmViNzk1ODU5OGE3MmYwY2Y4NTE2M2VhIn0seyJhbW91bnQiOjgsImlkIjoiMDA5YTFmMjkzMjUzZTQxZSIsInNlY3JldCI6ImZlMTUxMDkzMTRlNjFkNzc1NmIwZjhlZTBmMjNhNjI0YWNhYTNmNGUwNDJmNjE0MzNjNzI4YzcwNTdiOTMxYmUiLCJDIjoiMDI5ZThlNTA1MGI4OTBhN2Q2YzA5NjhkYjE2YmMxZDVkNWZhMDQwZWExZGUyODRmNmVjNjlkNjEyOTlmNjcxMDU5In1dfV0sInVuaXQiOiJzYXQiLCJtZW1vIjoiVGhhbmsgeW91LiJ9';
const V4 =
  'cashuBpGF0gaJhaUgArSaMTR9YJmFwgaNhYQFhc3hAOWE2ZGJiODQ3YmQyMzJiYTc2ZGIwZGYxOTcyMTZiMjlkM2I4Y2MxNDU1M2NkMjc4MjdmYzFjYzk0MmZlZGI0ZWFjWCEDhhhUP_trhpXfStS6vN6So0qWvc2X3O4NfM-Y1HISZ5JhZGlUaGFuayB5b3VhbXVodHRwOi8vbG9jYWxob3N0OjMzMzhhdWNzYXQ=';

describe('NUT-00 token (de)serialisation', () => {
  test('TokenV3 decodes with both proofs', () => {
    const t = getDecodedToken(V3, ['009a1f293253e41e']);
    expect(t.mint).toBe('https://8333.space:3338');
    expect(t.proofs.map((p) => p.amount.toNumber())).toEqual([2, 8]);
    expect(t.memo).toBe('Thank you.');
  });
  test('TokenV4 decodes (single keyset, memo)', () => {
    const t = getDecodedToken(V4, ['00ad268c4d1f5826']);
    expect(t.mint).toBe('http://localhost:3338');
    expect(t.proofs[0]!.secret).toBe('9a6dbb847bd232ba76db0df197216b29d3b8cc14553cd27827fc1cc942fedb4e');
    expect(t.proofs[0]!.C).toBe('038618543ffb6b8695df4ad4babcde92a34a96bdcd97dcee0d7ccf98d472126792');
  });
  test('the redeemer reads both forms and refuses the bad-prefix vector', () => {
    const r = new CashuRedeemer(['https://8333.space:3338', 'http://localhost:3338']);
    expect(r.inspect(V3, 10)).toMatchObject({ ok: true, value: { mint: 'https://8333.space:3338', amount_sats: 10 } });
    expect(r.inspect(V4, 1)).toMatchObject({ ok: true, value: { mint: 'http://localhost:3338', amount_sats: 1 } });
    expect(r.inspect(`cas${V3.slice(3).replace('huA', 'shuA')}`, 1)).toMatchObject({ ok: false, error: { rule: 'malformed_payment' } });
    expect(r.inspect(V3.slice('cashuA'.length), 1)).toMatchObject({ ok: false, error: { rule: 'malformed_payment' } });
    expect(getTokenMetadata(V3).amount.toNumber()).toBe(10);
  });
});

describe('NUT-12 DLEQ', () => {
  test('vector BlindSignature DLEQ verifies', () => {
    const A = ctsPoint('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    const B_ = ctsPoint('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    const C_ = ctsPoint('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    const dleq = { e: h('9818e061ee51d5c8edc3342369a554998ff7b4381c8652d724cdf46429be73d9'), s: h('9818e061ee51d5c8edc3342369a554998ff7b4381c8652d724cdf46429be73da') };
    expect(verifyDLEQProof(dleq, B_, C_, A)).toBe(true);
  });
  test("the test mint's signatures carry DLEQ proofs cashu-ts accepts", () => {
    const mint = new LocalMint(new Uint8Array(32).fill(3), 8);
    const bm = blindMessage(new TextEncoder().encode('hivebox-dleq'), 12345n);
    const quote = mint.createQuote(4);
    expect(quote.ok).toBe(true);
    const signed = mint.mint(quote.ok ? quote.value.quote : '', [{ amount: 4, id: mint.keysetId, B_: bm.B_.toHex(true) }]);
    if (!signed.ok) throw new Error(signed.error.detail);
    const sig = signed.value.signatures[0]!;
    const A = pointFromHex(mint.publicKeys['4']!);
    const C = pointFromHex(sig.C_).subtract(A.multiply(12345n));
    const proof = { amount: 4, id: mint.keysetId, secret: 'hivebox-dleq', C: C.toHex(true), dleq: { e: sig.dleq.e, s: sig.dleq.s, r: (12345n).toString(16).padStart(64, '0') } };
    const keyset = { id: mint.keysetId, keys: mint.publicKeys } as unknown as Keyset;
    expect(hasValidDleq(proof as never, keyset)).toBe(true);
  });
});
