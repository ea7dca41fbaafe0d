/**
 * Invite tickets (issue 2 §5; spec 000 §4.1, §6 "Ticket Theft"): issuing through the Signer port,
 * the transport form, and every verification reject.
 */
import { describe, expect, test } from 'bun:test';
import { base64urlnopad } from '@scure/base';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { decodeTicket, encodeTicket } from '../../runtime/core/ticket/codec.ts';
import { negotiatedFeatures, type HiveFeature } from '../../runtime/core/ticket/features.ts';
import { draftTicket, sealTicket } from '../../runtime/core/ticket/issue.ts';
import { ticketSignedText, TICKET_MAX_BYTES, type InviteTicket } from '../../runtime/core/ticket/ticket.ts';
import { checkRequirements, checkVersion, hiveboxVersionOf, verifyTicket, type TicketContext } from '../../runtime/core/ticket/verify.ts';
import { MANIFEST_VERSION } from '../../runtime/node/hive/config.ts';
import { utf8 } from '../../runtime/core/types.ts';
import { ADMIN_ID, HIVE_ID, T0, issueTicket, nodeIdOf, secretKey, ticketIdBytes } from './fixtures.ts';

const JOINER = nodeIdOf(secretKey(0x02));
const OTHER = nodeIdOf(secretKey(0x03));

function ctx(over: Partial<TicketContext> = {}): TicketContext {
  return { hive_id: HIVE_ID, trusted_admins: new Set([ADMIN_ID]), now_s: T0 + 60, node_id: JOINER, used_tickets: new Map(), ...over };
}

/** Re-encode a ticket object as-is (no re-signing), to build tampered tickets. */
function rawEncode(obj: unknown): string {
  return base64urlnopad.encode(utf8(JSON.stringify(obj)));
}

describe('issuing', () => {
  test('draft → signer → seal gives a ticket that verifies and round-trips', async () => {
    const { ticket, encoded } = await issueTicket({ requirements: 1, min_version: '1.4' });
    expect(ticket.initial_tier).toBe('neophyte');
    expect(ticket.expires_at - ticket.issued_at).toBe(24 * 3600);
    expect(ticket.ticket_id).toBe('01'.repeat(16));
    expect(/^[A-Za-z0-9_-]+$/.test(encoded)).toBe(true);
    expect(decodeTicket(encoded)).toEqual({ ok: true, value: ticket });
    expect(encodeTicket(ticket)).toBe(encoded);
    expect(verifyTicket(encoded, ctx())).toEqual({ ok: true, value: ticket });
  });

  test('the signed text is T of the JSON-canonical of every field but the signature', async () => {
    const { ticket } = await issueTicket();
    const expected =
      `{\\"admin_pubkey\\":\\"${ADMIN_ID}\\",\\"expires_at\\":${T0 + 86400},\\"hive_id\\":\\"${HIVE_ID}\\",` +
      `\\"initial_tier\\":\\"neophyte\\",\\"issued_at\\":${T0},\\"min_version\\":\\"\\",\\"requirements\\":0,` +
      `\\"ticket_id\\":\\"${'01'.repeat(16)}\\"}`;
    expect(ticketSignedText(ticket)).toBe(expected);
  });

  test('valid_hours: default 24, maximum 168, integer ≥ 1', () => {
    const base = { hive_id: HIVE_ID, admin_pubkey: ADMIN_ID };
    const d168 = draftTicket({ ...base, valid_hours: 168 }, T0, ticketIdBytes(1));
    expect(d168.ok && d168.value.fields.expires_at - T0).toBe(168 * 3600);
    for (const valid_hours of [0, 169, 1.5, -1]) {
      expect(draftTicket({ ...base, valid_hours }, T0, ticketIdBytes(1))).toEqual({
        ok: false,
        error: { code: 'invalid_request', field: 'valid_hours', reason: 'integer 1–168' },
      });
    }
  });

  test('bad issuing parameters name their field', () => {
    const base = { hive_id: HIVE_ID, admin_pubkey: ADMIN_ID };
    const field = (r: ReturnType<typeof draftTicket>) => (r.ok ? null : r.error.field);
    expect(field(draftTicket({ ...base, hive_id: '' }, T0, ticketIdBytes(1)))).toBe('hive_id');
    expect(field(draftTicket({ ...base, admin_pubkey: ADMIN_ID.toUpperCase() }, T0, ticketIdBytes(1)))).toBe('admin_pubkey');
    expect(field(draftTicket({ ...base, requirements: 16 }, T0, ticketIdBytes(1)))).toBe('requirements');
    expect(field(draftTicket({ ...base, min_version: 'v1.4' }, T0, ticketIdBytes(1)))).toBe('min_version');
    expect(field(draftTicket(base, T0, new Uint8Array(15)))).toBe('ticket_id_bytes');
  });

  test('the signer summary says what is being approved', () => {
    const d = draftTicket({ hive_id: HIVE_ID, admin_pubkey: ADMIN_ID, requirements: 3, valid_hours: 12 }, T0, ticketIdBytes(9));
    expect(d.ok && d.value.summary.title).toBe(`invite to ${HIVE_ID}, valid 12 h, requires splice, dual-fund`);
  });

  test('sealing refuses a signature that is not the admin key over the draft', () => {
    const d = draftTicket({ hive_id: HIVE_ID, admin_pubkey: ADMIN_ID }, T0, ticketIdBytes(1));
    if (!d.ok) throw new Error();
    expect(sealTicket(d.value, signMessage(d.value.text, secretKey(0x55)))).toEqual({ ok: false, error: { code: 'bad_signature' } });
    expect(sealTicket(d.value, 'y'.repeat(104))).toEqual({ ok: false, error: { code: 'bad_signature' } });
  });
});

describe('verification rejects', () => {
  test('malformed: size, alphabet, JSON, fields, tier, lifetime', async () => {
    const { ticket } = await issueTicket();
    const code = (x: unknown) => {
      const r = verifyTicket(x, ctx());
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(42)).toBe('malformed');
    expect(code('A'.repeat(TICKET_MAX_BYTES + 1))).toBe('malformed');
    expect(code('!!!not-base64!!!')).toBe('malformed');
    expect(code(base64urlnopad.encode(utf8('{"hive_id":')))).toBe('malformed');
    expect(code(base64urlnopad.encode(new Uint8Array([0xff, 0xfe, 0x7b])))).toBe('malformed');
    const { signature: _drop, ...unsigned } = ticket;
    expect(code(rawEncode(unsigned))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, extra: 1 }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, initial_tier: 'member' }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, requirements: '1' }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, issued_at: 1.5 }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, ticket_id: 'AB'.repeat(16) }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, expires_at: ticket.issued_at + 168 * 3600 + 1 }))).toBe('malformed');
    expect(code(rawEncode({ ...ticket, expires_at: ticket.issued_at }))).toBe('malformed');
    const r = verifyTicket(rawEncode({ ...ticket, admin_pubkey: 'zz' }), ctx());
    expect(!r.ok && r.error.code === 'malformed' && r.error.field).toBe('admin_pubkey');
  });

  test('padded base64url is accepted', async () => {
    const { encoded, ticket } = await issueTicket();
    const padded = encoded + '='.repeat((4 - (encoded.length % 4)) % 4);
    expect(verifyTicket(padded, ctx())).toEqual({ ok: true, value: ticket });
  });

  test('wrong_hive', async () => {
    const { encoded } = await issueTicket({ hive_id: 'hive_other' });
    expect(verifyTicket(encoded, ctx())).toEqual({ ok: false, error: { code: 'wrong_hive', hive_id: 'hive_other' } });
  });

  test('admin_not_trusted: a valid ticket signed by a key this hive does not trust', async () => {
    const rogue = secretKey(0x66);
    const { encoded } = await issueTicket({}, { signer: (await import('./fixtures.ts')).adminSigner(rogue) });
    expect(verifyTicket(encoded, ctx())).toEqual({ ok: false, error: { code: 'admin_not_trusted', admin_pubkey: nodeIdOf(rogue) } });
  });

  test('not_yet_valid beyond 300 s of clock skew, accepted within it', async () => {
    const { encoded } = await issueTicket({}, { now: T0 + 1000 });
    expect(verifyTicket(encoded, ctx({ now_s: T0 + 699 }))).toEqual({ ok: false, error: { code: 'not_yet_valid', issued_at: T0 + 1000 } });
    expect(verifyTicket(encoded, ctx({ now_s: T0 + 700 })).ok).toBe(true);
  });

  test('expired after expires_at', async () => {
    const { encoded } = await issueTicket({ valid_hours: 1 });
    expect(verifyTicket(encoded, ctx({ now_s: T0 + 3600 })).ok).toBe(true);
    expect(verifyTicket(encoded, ctx({ now_s: T0 + 3601 }))).toEqual({ ok: false, error: { code: 'expired', expires_at: T0 + 3600 } });
  });

  test('bad_signature: a field changed after signing, or a signature by another key', async () => {
    const { ticket } = await issueTicket();
    expect(verifyTicket(rawEncode({ ...ticket, requirements: 0 === ticket.requirements ? 1 : 0 }), ctx())).toEqual({
      ok: false,
      error: { code: 'bad_signature' },
    });
    const forged: InviteTicket = { ...ticket, signature: signMessage(ticketSignedText(ticket), secretKey(0x77)) };
    expect(verifyTicket(encodeTicket(forged), ctx())).toEqual({ ok: false, error: { code: 'bad_signature' } });
    expect(verifyTicket(encodeTicket({ ...ticket, signature: 'y'.repeat(104) }), ctx())).toEqual({ ok: false, error: { code: 'bad_signature' } });
  });

  test('already_used by another node; the same node may retry', async () => {
    const { encoded, ticket } = await issueTicket();
    const used_tickets = new Map([[ticket.ticket_id, { used_by: JOINER, used_at: T0 + 30 }]]);
    expect(verifyTicket(encoded, ctx({ used_tickets })).ok).toBe(true);
    expect(verifyTicket(encoded, ctx({ used_tickets, node_id: OTHER }))).toEqual({ ok: false, error: { code: 'already_used', used_by: JOINER, used_at: T0 + 30 } });
  });

  test('requirements_not_met is judged on negotiated BOLT 9 bits', () => {
    const only = (...f: HiveFeature[]) => new Set(f);
    expect(checkRequirements({ requirements: 1 | 8 }, only('splice', 'onion-msg')).ok).toBe(true);
    expect(checkRequirements({ requirements: 1 | 2 | 4 }, only('splice'))).toEqual({
      ok: false,
      error: { code: 'requirements_not_met', missing: ['dual-fund', 'anchor'] },
    });
    expect(checkRequirements({ requirements: 0 }, only()).ok).toBe(true);
  });

  test('version_too_old: semver against Hivebox\'s own manifest version; empty min_version accepts anything', () => {
    expect(checkVersion({ min_version: '1.4' }, 'hivebox v1.4.0').ok).toBe(true);
    expect(checkVersion({ min_version: '1.4' }, 'hivebox v1.10.0').ok).toBe(true);
    expect(checkVersion({ min_version: '2.2.6' }, 'hivebox v2.10.0').ok).toBe(true);
    expect(checkVersion({ min_version: '1.4' }, 'hivebox v1.3.9')).toEqual({
      ok: false,
      error: { code: 'version_too_old', min_version: '1.4', version: 'hivebox v1.3.9' },
    });
    expect(checkVersion({ min_version: '1.4' }, 'hivebox v1.4.0-rc.1').ok).toBe(false);
    expect(checkVersion({ min_version: '1' }, 'unknown').ok).toBe(false);
    expect(checkVersion({ min_version: '' }, 'unknown').ok).toBe(true);
    expect(checkVersion({ min_version: '' }, 'cl-hive v2.2.6').ok).toBe(true);
  });

  test('a manifest from another implementation or a non-semver fails any min_version (issue 15 item 10)', () => {
    for (const version of ['cl-hive v2.2.6', 'cl-revenue-ops v1.4.2', 'hivebox v1.4', 'hivebox 1.4.0', 'hivebox v1.4.0 extra', 'x hivebox v9.0.0', '9.9.9']) {
      expect({ version, ok: checkVersion({ min_version: '1.0' }, version).ok }).toEqual({ version, ok: false });
    }
    expect(hiveboxVersionOf(MANIFEST_VERSION)).not.toBeNull();
  });
});

describe('negotiated features (CLN listpeers `features`, BOLT 9)', () => {
  test('CLN doc example 0898882a8a59a1 (bits 23, 29, 39 set) proves anchor, dual-fund and onion-msg, not splice', () => {
    // python: [b for b in range(64) if 0x0898882a8a59a1 >> b & 1] → 0,5,7,8,11,12,14,17,19,23,25,27,29,35,39,43,44,47,51
    expect([...negotiatedFeatures('0898882a8a59a1')!].sort()).toEqual(['anchor', 'dual-fund', 'onion-msg']);
  });

  test('odd, even and experimental splice bits', () => {
    const hexWith = (...bits: number[]) => {
      const n = bits.reduce((a, b) => a | (1n << BigInt(b)), 0n);
      const h = n.toString(16);
      return h.length % 2 ? `0${h}` : h;
    };
    expect([...negotiatedFeatures(hexWith(63))!]).toEqual(['splice']);
    expect([...negotiatedFeatures(hexWith(62))!]).toEqual(['splice']);
    expect([...negotiatedFeatures(hexWith(163))!]).toEqual(['splice']);
    expect([...negotiatedFeatures(hexWith(29, 23, 39))!].sort()).toEqual(['anchor', 'dual-fund', 'onion-msg']);
    expect(negotiatedFeatures('')!.size).toBe(0);
    expect(negotiatedFeatures('xyz')).toBeNull();
  });
});
