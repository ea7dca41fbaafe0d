/**
 * On-device purpose checks (hw/PROTOCOL.md §4): each accepted structure gives the title and fields
 * the device shows; texts of the wrong structure, non-canonical JSON, wrong escaping, unknown
 * requirement bits and display-spoofing characters are refused with TextMalformed.
 */
import { describe, expect, test } from 'bun:test';
import { canonicalJson } from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { describeSignText, unescapeSignedText } from '../../hw/protocol/purposes.ts';
import { INVITE_SUMMARY, inviteText, OTHER_NODE } from './fixtures.ts';

const ADMIN = `03${'11'.repeat(32)}`;
const PEER = `02${'22'.repeat(32)}`;
const T = (s: string) => lightningSignedText(s);
const J = (v: Parameters<typeof canonicalJson>[0]) => T(canonicalJson(v));

function malformed(purpose: Parameters<typeof describeSignText>[0], text: string): string {
  const r = describeSignText(purpose, text);
  if (r.ok) throw new Error(`accepted: ${text}`);
  return r.error.reason;
}

describe('invite', () => {
  test('ticket → title and fields, signer key = admin_pubkey', () => {
    expect(describeSignText('invite', inviteText(ADMIN))).toEqual({ ok: true, value: { ...INVITE_SUMMARY, signer_key: ADMIN } });
    const r = describeSignText('invite', inviteText(ADMIN, { hours: 1.5, requirements: 0b1011, tier: 'member' }));
    expect(r.ok && r.value.title).toBe('invite to hive_1a2b3c, valid 1.5 h, requires splice, dual-fund, onion-msg');
    const none = describeSignText('invite', inviteText(ADMIN, { requirements: 0 }));
    expect(none.ok && none.value.title).toBe('invite to hive_1a2b3c, valid 24 h, no requirements');
  });

  test('refusals', () => {
    const base = { admin_pubkey: ADMIN, hive_id: 'h', requirements: 1, issued_at: 100, expires_at: 3700, initial_tier: 'neophyte' };
    expect(malformed('invite', J({ ...base, requirements: 16 }))).toContain('requirements');
    expect(malformed('invite', J({ ...base, expires_at: 100 }))).toContain('validity');
    expect(malformed('invite', J({ ...base, expires_at: 100 + 8785 * 3600 }))).toContain('validity');
    expect(malformed('invite', J({ ...base, initial_tier: 'admin' }))).toContain('initial_tier');
    expect(malformed('invite', J({ ...base, admin_pubkey: 'xx' }))).toContain('admin_pubkey');
    expect(malformed('invite', J({ ...base, extra: 1 }))).toContain('JSON-canonical');
    expect(malformed('invite', J({ ...base, hive_id: 'evil\u202etxt' }))).toContain('unprintable');
    expect(malformed('invite', J({ ...base, hive_id: 'a\nb' }))).toContain('unprintable');
    expect(malformed('invite', T(JSON.stringify(base)))).toContain('JSON-canonical');
    expect(malformed('invite', canonicalJson(base))).toContain('escaped');
    expect(malformed('invite', `BAN:${PEER}:x:1`)).toBeTruthy();
  });
});

describe('revoke, ban, credential, governance', () => {
  test('accepted structures and what the device shows', () => {
    const cases: [Parameters<typeof describeSignText>[0], string, string][] = [
      ['revoke', `hive:revoke:${PEER}:1763700000:stole "keys"`, `revoke member ${PEER.slice(0, 12)}…: stole "keys"`],
      ['revoke', canonicalJson({ action: 'mgmt_revoke', credential_id: 'c-1', reason: 'rotated' }), 'revoke credential c-1: rotated'],
      ['ban', `BAN:${PEER}:drain: routing loop:1763700000`, `ban ${PEER.slice(0, 12)}…: drain: routing loop`],
      ['ban', `hive:ban_proposal:${'ab'.repeat(16)}:${PEER}:1763700000:leech`, `propose ban of ${PEER.slice(0, 12)}…: leech`],
      ['governance', `hive:ban_vote:${'ab'.repeat(16)}:approve:1763700000`, `vote approve on ban ${'ab'.repeat(16)}`],
      ['governance', `hive:vouch:${PEER}:req-1:1763700000`, `vouch for ${PEER.slice(0, 12)}…`],
    ];
    for (const [purpose, s, title] of cases) {
      const r = describeSignText(purpose, T(s));
      expect(r.ok && r.value.title).toBe(title);
    }
  });

  test('credentials carry the issuer as the signer key', () => {
    const mgmt = { agent_id: PEER, allowed_schemas: ['hive:fee-policy/*'], constraints: {}, credential_id: 'u-1', issuer_id: ADMIN, node_id: OTHER_NODE, tier: 'standard', valid_from: 0, valid_until: 90 * 86400 };
    const r = describeSignText('credential', J(mgmt));
    expect(r).toMatchObject({ ok: true, value: { title: `credential for agent ${PEER.slice(0, 12)}…: tier standard, 90 days`, signer_key: ADMIN } });
    const did = { credential_id: 'd', domain: 'hive:node', evidence_hash: 'e', expires_at: null, issued_at: 1, issuer_id: ADMIN, metrics: {}, outcome: 'renew', period_end: 2, period_start: 1, subject_id: PEER };
    expect(describeSignText('credential', J(did))).toMatchObject({ ok: true, value: { title: `hive:node credential for ${PEER.slice(0, 12)}…: renew`, signer_key: ADMIN } });
    expect(malformed('credential', J({ ...mgmt, tier: 'root' }))).toContain('tier');
    expect(malformed('credential', J({ ...mgmt, valid_until: 731 * 86400 }))).toContain('validity');
  });

  test('a text of one purpose is refused under every other purpose (no confusion)', () => {
    const texts = {
      invite: inviteText(ADMIN),
      revoke: T(`hive:revoke:${PEER}:1:r`),
      ban: T(`BAN:${PEER}:r:1`),
      governance: T(`hive:vouch:${PEER}:q:1`),
    };
    for (const [own, text] of Object.entries(texts)) {
      for (const other of ['invite', 'revoke', 'ban', 'credential', 'governance'] as const) {
        expect(describeSignText(other, text).ok).toBe(other === own);
      }
    }
  });

  test('bad ids, votes and reasons are refused', () => {
    expect(malformed('ban', T(`BAN:02${'AB'.repeat(32)}:r:1`))).toBeTruthy();
    expect(malformed('ban', T(`BAN:${PEER}::1`))).toContain('reason');
    expect(malformed('governance', T(`hive:ban_vote:ab:maybe:1`))).toBeTruthy();
    expect(malformed('revoke', T(`hive:revoke:${PEER}:1:${'x'.repeat(501)}`))).toContain('reason');
    expect(malformed('revoke', J({ action: 'delete', credential_id: 'c', reason: 'r' }))).toBeTruthy();
  });
});

test('unescapeSignedText accepts only exact ensure_ascii=False escaping', () => {
  expect(unescapeSignedText(T('a"b\\c\u00e9\n'))).toBe('a"b\\c\u00e9\n');
  expect(unescapeSignedText('a\\u0041')).toBeNull();
  expect(unescapeSignedText('a"b')).toBeNull();
  expect(unescapeSignedText('a\\/b')).toBeNull();
});
