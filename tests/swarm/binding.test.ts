/** Binding statements (issue 10 §2): signed text, decoding limits, verification order. */
import { describe, expect, test } from 'bun:test';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import {
  bindingCanonical,
  bindingNeedsRenewal,
  bindingSignedText,
  compareBinding,
  decodeBinding,
  nextBindingFields,
  verifyBinding,
} from '../../runtime/core/swarm/binding.ts';
import { SWARM_LIMITS } from '../../runtime/core/swarm/limits.ts';
import { HIVE_ID, member, NOW_S, statement, swarmKey } from './fleet-keys.ts';

const A = member(1);

describe('signed text', () => {
  test('canonical form is cl-hive JSON-canonical with the domain field, and T escapes its quotes', () => {
    const st = statement(A);
    const s = bindingCanonical(st);
    expect(s).toBe(
      `{"domain":"hivebox/swarm-binding/v1","expires_at":${st.expires_at},"hive_id":"${HIVE_ID}","issued_at":${NOW_S},"node_id":"${A.node_id}","swarm_key":"${A.swarm_key}"}`,
    );
    expect(bindingSignedText(st)).toBe(s.replaceAll('"', '\\"'));
  });

  test('a signature over the unescaped canonical string (not what lightningd signs) is refused', () => {
    const st = statement(A);
    const wrong = { ...st, signature: signMessage(bindingCanonical(st), A.sk) };
    expect(verifyBinding(wrong, HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'bad_signature' });
  });
});

describe('decodeBinding', () => {
  const good = statement(A);
  test('accepts exactly the six fields', () => {
    expect(decodeBinding(JSON.parse(JSON.stringify(good)))).toEqual({ ok: true, value: good });
  });
  const cases: [string, unknown][] = [
    ['null', null],
    ['array', [good]],
    ['extra field', { ...good, extra: 1 }],
    ['missing field', { ...good, signature: undefined }],
    ['uppercase node id', { ...good, node_id: good.node_id.toUpperCase() }],
    ['short swarm key', { ...good, swarm_key: good.swarm_key.slice(2) }],
    ['float time', { ...good, issued_at: 1.5 }],
    ['negative time', { ...good, expires_at: -1 }],
    ['string time', { ...good, issued_at: String(good.issued_at) }],
    ['bad zbase char', { ...good, signature: 'l' + good.signature.slice(1) }],
    ['short signature', { ...good, signature: good.signature.slice(1) }],
    ['hive id with space', { ...good, hive_id: 'a b' }],
  ];
  for (const [name, value] of cases) {
    test(`refuses ${name} as malformed_binding`, () => {
      expect(decodeBinding(value)).toEqual({ ok: false, error: 'malformed_binding' });
    });
  }
});

describe('verifyBinding', () => {
  test('a fresh statement by the named node verifies', () => {
    expect(verifyBinding(statement(A), HIVE_ID, NOW_S, SWARM_LIMITS).ok).toBe(true);
  });
  test('another hive → wrong_hive', () => {
    expect(verifyBinding(statement(A, { hive_id: 'hive_other' }), HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'wrong_hive' });
  });
  test('expires_at ≤ issued_at or beyond 14 days → validity_too_long', () => {
    for (const expires_at of [NOW_S, NOW_S - 1, NOW_S + SWARM_LIMITS.max_binding_validity_s + 1]) {
      expect(verifyBinding(statement(A, { expires_at }), HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'validity_too_long' });
    }
  });
  test('now ≥ expires_at → expired', () => {
    const st = statement(A, { issued_at: NOW_S - 100, expires_at: NOW_S });
    expect(verifyBinding(st, HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'expired' });
  });
  test('issued beyond the clock skew → future_binding; within it → ok', () => {
    const skew = SWARM_LIMITS.max_clock_skew_s;
    expect(verifyBinding(statement(A, { issued_at: NOW_S + skew + 1, expires_at: NOW_S + 86_400 }), HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({
      ok: false,
      error: 'future_binding',
    });
    expect(verifyBinding(statement(A, { issued_at: NOW_S + skew, expires_at: NOW_S + 86_400 }), HIVE_ID, NOW_S, SWARM_LIMITS).ok).toBe(true);
  });
  test('signed by another node, or fields altered after signing → bad_signature', () => {
    const B = member(2);
    expect(verifyBinding(statement(A, {}, B.sk), HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'bad_signature' });
    expect(verifyBinding({ ...statement(A), swarm_key: swarmKey(9) }, HIVE_ID, NOW_S, SWARM_LIMITS)).toEqual({ ok: false, error: 'bad_signature' });
  });
});

describe('ordering and renewal', () => {
  const st = statement(A);
  test('compareBinding: older or same-time-other-key is stale, identical is same, later is newer', () => {
    expect(compareBinding(st, { ...st, issued_at: st.issued_at - 1 })).toBe('stale');
    expect(compareBinding(st, { ...st, swarm_key: swarmKey(3) })).toBe('stale');
    expect(compareBinding(st, st)).toBe('same');
    expect(compareBinding(st, { ...st, issued_at: st.issued_at + 1 })).toBe('newer');
  });
  test('nextBindingFields issues strictly after the previous statement', () => {
    const self = { hive_id: HIVE_ID, node_id: A.node_id, swarm_key: swarmKey(5) };
    expect(nextBindingFields(st, self, NOW_S, SWARM_LIMITS).issued_at).toBe(NOW_S + 1);
    const later = nextBindingFields(null, self, NOW_S + 50, SWARM_LIMITS);
    expect(later).toEqual({ ...self, issued_at: NOW_S + 50, expires_at: NOW_S + 50 + SWARM_LIMITS.binding_validity_s });
  });
  test('renew when missing, for another key, or within the renewal window', () => {
    expect(bindingNeedsRenewal(null, A.swarm_key, NOW_S, SWARM_LIMITS)).toBe(true);
    expect(bindingNeedsRenewal(st, swarmKey(4), NOW_S, SWARM_LIMITS)).toBe(true);
    expect(bindingNeedsRenewal(st, A.swarm_key, NOW_S, SWARM_LIMITS)).toBe(false);
    expect(bindingNeedsRenewal(st, A.swarm_key, st.expires_at - SWARM_LIMITS.binding_renew_before_s + 1, SWARM_LIMITS)).toBe(true);
  });
});
