/**
 * L402 building blocks (spec 002 §2): the owned v2 binary encoder matches the `macaroon` library's
 * own output and re-imports; identifiers are v0; caveats narrow.
 */
import { describe, expect, test } from 'bun:test';
import { importMacaroon, newMacaroon } from 'macaroon';
import { checkCaveat, maxActions } from '../../runtime/core/mgmt/l402-caveats.ts';
import { exportBinaryV2 } from '../../services/l402/binary-v2.ts';
import { decodeIdentifier, encodeIdentifier } from '../../services/l402/identifier.ts';

describe('macaroon v2 binary', () => {
  test('byte-identical to the library for small macaroons, and re-importable when larger', () => {
    const root = new Uint8Array(32).fill(3);
    const small = newMacaroon({ rootKey: root, identifier: encodeIdentifier(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)), location: 'hivebox', version: 2 });
    small.addFirstPartyCaveat('did=did:key:zQ3s');
    expect(exportBinaryV2(small)).toEqual((small as unknown as { exportBinary(): Uint8Array }).exportBinary());
    for (const c of ['tier=standard', 'expires=1790000000', 'max_actions=1000', 'max_actions=5']) small.addFirstPartyCaveat(c);
    const back = importMacaroon(exportBinaryV2(small));
    expect(back.caveats.map((c) => new TextDecoder().decode(c.identifier))).toEqual(['did=did:key:zQ3s', 'tier=standard', 'expires=1790000000', 'max_actions=1000', 'max_actions=5']);
    expect(() => back.verify(root, () => null, [])).not.toThrow();
    expect(() => back.verify(new Uint8Array(32), () => null, [])).toThrow();
    expect(decodeIdentifier(back.identifier)).toEqual({ payment_hash: '01'.repeat(32), token_id: '02'.repeat(32) });
  });
});

describe('caveats', () => {
  const ctx = { agent_did: 'did:key:zA', tier: 'standard' as const, now_s: 100 };
  test('each condition', () => {
    expect(checkCaveat('did=did:key:zA', ctx)).toBeNull();
    expect(checkCaveat('did=did:key:zB', ctx)).toContain('macaroon is for');
    expect(checkCaveat('tier=advanced', ctx)).toBeNull();
    expect(checkCaveat('tier=monitor', ctx)).toContain('above macaroon tier');
    expect(checkCaveat('expires=101', ctx)).toBeNull();
    expect(checkCaveat('expires=100', ctx)).toContain('expired');
    expect(checkCaveat('services=x', ctx)).toContain('unknown caveat');
    expect(maxActions(['max_actions=1000', 'max_actions=5'])).toBe(5);
  });
});
