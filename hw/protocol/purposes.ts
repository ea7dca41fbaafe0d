/**
 * What the signer agrees to sign (hw/PROTOCOL.md §3.2 and §4): the fixed purpose → key slot table,
 * and for each purpose the text structures the device accepts, parsed into the title and fields it
 * shows. Pure. Used by the device model (as its firmware logic) and by the host approval flow to
 * build a summary that matches what the device will display.
 *
 * Sources of the accepted structures: clhive-protocol.md §3.2 (canonical strings), §3.4 (tickets),
 * §6.5 (bans), §8 (credentials and their revocations); spec 000 §5.2 (HIVE_REVOKE).
 */
import { canonicalJson, pyEscapeUnicode, pyLoads, type PyJson } from '../../runtime/core/canonical/python-json.ts';
import type { SignerPurpose } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { isNodeId } from '../../runtime/core/types.ts';
import { SUMMARY_LIMITS } from './messages.ts';

/** A key slot: which key signs a purpose and whether the button must be pressed. */
export interface SlotRule {
  readonly slot: number;
  readonly button: boolean;
}

/** The firmware's fixed purpose table (PROTOCOL.md §3.2): admin purposes on slot 0, governance on slot 1. */
export const PURPOSE_SLOTS: Readonly<Record<SignerPurpose, SlotRule>> = {
  invite: { slot: 0, button: true },
  revoke: { slot: 0, button: true },
  ban: { slot: 0, button: true },
  credential: { slot: 0, button: true },
  governance: { slot: 1, button: false },
};

/** Number of key slots the device holds. */
export const SLOT_COUNT = 2;

/** True when `p` is a purpose tag the device knows. */
export function isSignerPurpose(p: unknown): p is SignerPurpose {
  return typeof p === 'string' && Object.hasOwn(PURPOSE_SLOTS, p);
}

/** What the device shows for a text, derived from the text alone. */
export interface DerivedSummary {
  /** One line, clipped to 96 UTF-8 bytes. */
  readonly title: string;
  /** Display fields, values clipped to 96 UTF-8 bytes. */
  readonly fields: Readonly<Record<string, string>>;
  /** The key the text says must sign it (invite `admin_pubkey`, credential `issuer_id`), 66-hex. */
  readonly signer_key?: string;
}

/** Why a text was refused: it does not have the purpose's structure. */
export interface TextMalformed {
  readonly kind: 'TextMalformed';
  readonly reason: string;
}

type Parsed = Result<DerivedSummary, TextMalformed>;

const REQUIREMENT_BITS: readonly [number, string][] = [[1, 'splice'], [2, 'dual-fund'], [4, 'anchor'], [8, 'onion-msg']];
const MAX_VALID_HOURS = 8784;
const NODE = '(0[23][0-9a-f]{64})';
const TS = '(\\d{1,12})';
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

/** True when `s` has no character the device refuses to display (control, zero-width, bidi, BOM). */
export function isDisplayable(s: string): boolean {
  return !UNPRINTABLE.test(s);
}

const malformed = (reason: string): { ok: false; error: TextMalformed } => err({ kind: 'TextMalformed', reason });

/** Clip `s` to `maxBytes` UTF-8 bytes, marking a cut with `…`. */
export function clipUtf8(s: string, maxBytes: number = SUMMARY_LIMITS.value_bytes): string {
  const enc = new TextEncoder();
  if (enc.encode(s).length <= maxBytes) return s;
  let out = '';
  for (const ch of s) {
    if (enc.encode(out + ch).length > maxBytes - 3) break;
    out += ch;
  }
  return `${out}…`;
}

/** First 12 characters of an id followed by `…` (titles only; fields keep the full id). */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

function derived(title: string, fields: Record<string, string>, signer_key?: string): Parsed {
  const clipped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clipUtf8(v)]));
  return ok({ title: clipUtf8(title, SUMMARY_LIMITS.title_bytes), fields: clipped, ...(signer_key ? { signer_key } : {}) });
}

function printable(name: string, v: unknown, min: number, max: number): string | TextMalformed {
  if (typeof v !== 'string') return { kind: 'TextMalformed', reason: `${name} is not a string` };
  if (v.length < min || v.length > max) return { kind: 'TextMalformed', reason: `${name} length ${v.length} outside ${min}..${max}` };
  if (UNPRINTABLE.test(v)) return { kind: 'TextMalformed', reason: `${name} has unprintable characters` };
  return v;
}

function int(name: string, v: unknown, min: number, max: number): number | TextMalformed {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) return { kind: 'TextMalformed', reason: `${name} is not an integer in ${min}..${max}` };
  return v;
}

const isErr = (v: unknown): v is TextMalformed => typeof v === 'object' && v !== null && (v as TextMalformed).kind === 'TextMalformed';

/**
 * The canonical string S a signed text T stands for: T read as a JSON string body, accepted only
 * when escaping S again (`json.dumps(S, ensure_ascii=False)[1:-1]`) gives T back exactly.
 */
export function unescapeSignedText(text: string): string | null {
  let s: unknown;
  try {
    s = JSON.parse(`"${text}"`);
  } catch {
    return null;
  }
  return typeof s === 'string' && pyEscapeUnicode(s) === text ? s : null;
}

/** Parse S as cl-hive JSON-canonical with exactly `keys`; null when not canonical or keys differ. */
function canonicalObject(s: string, keys: readonly string[]): Record<string, unknown> | null {
  if (!s.startsWith('{')) return null;
  let v: unknown;
  try {
    v = pyLoads(s);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  if (canonicalJson(v as PyJson) !== s) return null;
  const have = Object.keys(v).sort();
  const want = [...keys].sort();
  return have.length === want.length && have.every((k, i) => k === want[i]) ? (v as Record<string, unknown>) : null;
}

/** `x` as shown on the device: integral values bare, others with one decimal. */
function decimal(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

const hours = (span_s: number) => decimal(span_s / 3600);

const TICKET_KEYS = ['admin_pubkey', 'expires_at', 'hive_id', 'initial_tier', 'issued_at', 'requirements'];
/** Hivebox tickets (runtime/core/ticket/ticket.ts `ticketSignedText`) also bind `min_version` and `ticket_id`. */
const HIVEBOX_TICKET_KEYS = [...TICKET_KEYS, 'min_version', 'ticket_id'];

function parseInvite(s: string): Parsed {
  const t = canonicalObject(s, TICKET_KEYS) ?? canonicalObject(s, HIVEBOX_TICKET_KEYS);
  if (!t) return malformed('not a JSON-canonical invite ticket {admin_pubkey, expires_at, hive_id, initial_tier, issued_at, requirements[, min_version, ticket_id]}');
  if (!isNodeId(t.admin_pubkey)) return malformed('admin_pubkey is not a node id');
  const hive = printable('hive_id', t.hive_id, 1, 64);
  const req = int('requirements', t.requirements, 0, 15);
  const issued = int('issued_at', t.issued_at, 0, 1e12);
  const expires = int('expires_at', t.expires_at, 0, 1e12);
  for (const v of [hive, req, issued, expires]) if (isErr(v)) return err(v);
  if (t.initial_tier !== 'neophyte' && t.initial_tier !== 'member') return malformed('initial_tier is not neophyte or member');
  const span = (expires as number) - (issued as number);
  if (span <= 0 || span > MAX_VALID_HOURS * 3600) return malformed(`validity ${span} s outside 1 s..${MAX_VALID_HOURS} h`);
  const reqs = REQUIREMENT_BITS.filter(([bit]) => ((req as number) & bit) !== 0).map(([, name]) => name);
  const requires = reqs.length ? reqs.join(', ') : 'nothing';
  const title = `invite to ${hive as string}, valid ${hours(span)} h, ${reqs.length ? `requires ${requires}` : 'no requirements'}`;
  return derived(title, { hive: hive as string, valid: `${hours(span)} h`, requires, tier: t.initial_tier }, t.admin_pubkey);
}

function parseRevoke(s: string): Parsed {
  const member = new RegExp(`^hive:revoke:${NODE}:${TS}:(.*)$`, 's').exec(s);
  if (member) {
    const reason = printable('reason', member[3], 1, 500);
    if (isErr(reason)) return err(reason);
    return derived(`revoke member ${shortId(member[1]!)}: ${reason}`, { member: member[1]!, reason });
  }
  const c = canonicalObject(s, ['action', 'credential_id', 'reason']);
  if (!c || (c.action !== 'revoke' && c.action !== 'mgmt_revoke')) {
    return malformed('not hive:revoke:<node_id>:<timestamp>:<reason> nor a canonical {action: revoke|mgmt_revoke, credential_id, reason}');
  }
  const id = printable('credential_id', c.credential_id, 1, 64);
  const reason = printable('reason', c.reason, 1, 500);
  for (const v of [id, reason]) if (isErr(v)) return err(v);
  return derived(`revoke credential ${id as string}: ${reason as string}`, { credential: id as string, reason: reason as string });
}

function parseBan(s: string): Parsed {
  const direct = new RegExp(`^BAN:${NODE}:(.*):${TS}$`, 's').exec(s);
  const proposal = new RegExp(`^hive:ban_proposal:([0-9a-f]{1,64}):${NODE}:${TS}:(.*)$`, 's').exec(s);
  if (direct) {
    const reason = printable('reason', direct[2], 1, 500);
    if (isErr(reason)) return err(reason);
    return derived(`ban ${shortId(direct[1]!)}: ${reason}`, { peer: direct[1]!, reason });
  }
  if (proposal) {
    const reason = printable('reason', proposal[4], 0, 500);
    if (isErr(reason)) return err(reason);
    return derived(`propose ban of ${shortId(proposal[2]!)}: ${reason}`, { peer: proposal[2]!, reason, proposal: proposal[1]! });
  }
  return malformed('not BAN:<node_id>:<reason>:<timestamp> nor hive:ban_proposal:<id>:<node_id>:<timestamp>:<reason>');
}

const MGMT_KEYS = ['agent_id', 'allowed_schemas', 'constraints', 'credential_id', 'issuer_id', 'node_id', 'tier', 'valid_from', 'valid_until'];
const DID_KEYS = ['credential_id', 'domain', 'evidence_hash', 'expires_at', 'issued_at', 'issuer_id', 'metrics', 'outcome', 'period_end', 'period_start', 'subject_id'];
const TIERS = new Set(['monitor', 'standard', 'advanced', 'admin']);
const OUTCOMES = new Set(['renew', 'revoke', 'neutral']);

function parseCredential(s: string): Parsed {
  const m = canonicalObject(s, MGMT_KEYS);
  if (m) {
    if (!isNodeId(m.issuer_id)) return malformed('issuer_id is not a node id');
    const agent = printable('agent_id', m.agent_id, 1, 128);
    const node = printable('node_id', m.node_id, 1, 128);
    const from = int('valid_from', m.valid_from, 0, 1e12);
    const until = int('valid_until', m.valid_until, 0, 1e12);
    for (const v of [agent, node, from, until]) if (isErr(v)) return err(v);
    if (typeof m.tier !== 'string' || !TIERS.has(m.tier)) return malformed('tier is not monitor|standard|advanced|admin');
    if (!Array.isArray(m.allowed_schemas) || !m.allowed_schemas.every((x) => typeof x === 'string' && !UNPRINTABLE.test(x))) {
      return malformed('allowed_schemas is not a list of strings');
    }
    const span = (until as number) - (from as number);
    if (span <= 0 || span > 730 * 86400) return malformed('validity outside 1 s..730 days');
    const days = decimal(span / 86400);
    const fields = { agent: agent as string, node: node as string, tier: m.tier, schemas: m.allowed_schemas.join(', ') || '(none)', valid: `${days} days` };
    return derived(`credential for agent ${shortId(agent as string)}: tier ${m.tier}, ${days} days`, fields, m.issuer_id);
  }
  const d = canonicalObject(s, DID_KEYS);
  if (!d) return malformed('not a canonical management credential nor a DID credential');
  if (!isNodeId(d.issuer_id)) return malformed('issuer_id is not a node id');
  const subject = printable('subject_id', d.subject_id, 1, 128);
  const domain = printable('domain', d.domain, 1, 64);
  for (const v of [subject, domain]) if (isErr(v)) return err(v);
  const outcome = d.outcome === null ? 'neutral' : d.outcome;
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return malformed('outcome is not renew|revoke|neutral|null');
  return derived(`${domain as string} credential for ${shortId(subject as string)}: ${outcome}`, { subject: subject as string, domain: domain as string, outcome }, d.issuer_id);
}

function parseGovernance(s: string): Parsed {
  const vote = new RegExp(`^hive:ban_vote:([0-9a-f]{1,64}):(approve|reject):${TS}$`).exec(s);
  if (vote) return derived(`vote ${vote[2]} on ban ${vote[1]}`, { proposal: vote[1]!, vote: vote[2]! });
  const vouch = new RegExp(`^hive:vouch:${NODE}:([0-9A-Za-z_-]{1,128}):${TS}$`).exec(s);
  if (vouch) return derived(`vouch for ${shortId(vouch[1]!)}`, { member: vouch[1]! });
  return malformed('not hive:ban_vote:<id>:<approve|reject>:<timestamp> nor hive:vouch:<node_id>:<request_id>:<timestamp>');
}

const PARSERS: Readonly<Record<SignerPurpose, (s: string) => Parsed>> = {
  invite: parseInvite,
  revoke: parseRevoke,
  ban: parseBan,
  credential: parseCredential,
  governance: parseGovernance,
};

/**
 * Check that `text` (the exact signed text) has the structure of `purpose` and derive what the
 * device shows (PROTOCOL.md §4).
 * @returns the derived title, fields and (for invites and credentials) the key that must sign, or
 *   `TextMalformed` with the rule that failed.
 */
export function describeSignText(purpose: SignerPurpose, text: string): Result<DerivedSummary, TextMalformed> {
  const s = unescapeSignedText(text);
  if (s === null) return malformed('text is not a JSON-escaped string body (ensure_ascii=False)');
  return PARSERS[purpose](s);
}
