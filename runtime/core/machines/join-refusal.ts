/**
 * Member side: refuse a join attempt AND tell the candidate why (JOIN_REFUSED, Hivebox, issue 16
 * §5; wire/payloads/join-refused.ts). Only ticket rules are answered — those a candidate can act on
 * (ask for a new ticket, fix a feature) — and only in spec framing, and only after the HELLO passed
 * the per-peer rate limit, so a refusal is never more traffic than the HELLOs that cause it. The
 * detail never names the node that used a ticket. Every other refusal stays silent.
 */
import type { NodeId, UnixSeconds } from '../types.ts';
import type { Framing } from '../wire/framing.ts';
import { JOIN_REFUSAL_RULES, type JoinRefusalRule } from '../wire/payloads/join-refused.ts';
import { refuse, type HandshakeReject, type HandshakeState, type HandshakeStep } from './handshake-types.ts';

const RULES: ReadonlySet<string> = new Set(JOIN_REFUSAL_RULES);

const iso = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000).toISOString().replace('.000Z', 'Z') : '?');

/** The operator-facing detail of a refusal, from the reject's fields (≤ 256 chars). */
function detailOf(rule: JoinRefusalRule, f: Readonly<Record<string, unknown>>): string {
  const text = (() => {
    switch (rule) {
      case 'ticket_already_used':
        return `used at ${iso(f.used_at)} by another node`;
      case 'ticket_expired':
        return `expired at ${iso(f.expires_at)}`;
      case 'ticket_not_yet_valid':
        return `issued at ${iso(f.issued_at)}, ahead of the member's clock`;
      case 'ticket_malformed':
        return `${String(f.reason ?? '')}${typeof f.field === 'string' ? ` (field ${f.field})` : ''}`;
      case 'ticket_wrong_hive':
        return `for hive ${String(f.hive_id ?? '?')}`;
      case 'ticket_admin_not_trusted':
        return `admin key ${String(f.admin_pubkey ?? '?')} is not trusted by this hive`;
      case 'ticket_requirements_not_met':
        return `missing ${Array.isArray(f.missing) ? f.missing.join(', ') : '?'}`;
      case 'ticket_version_too_old':
        return `needs ${String(f.min_version ?? '?')}, you run ${String(f.version ?? '?')}`;
      default:
        return '';
    }
  })();
  return text.slice(0, 256);
}

/**
 * `refuse(s, reject)`, plus a JOIN_REFUSED to `reject.peer_id` when the rule is one a candidate is
 * told and the HELLO came in spec framing.
 * @param now_s unix seconds (the refusal's timestamp).
 */
export function refuseJoin(s: HandshakeState, reject: HandshakeReject, framing: Framing, now_s: UnixSeconds): HandshakeStep {
  const r = refuse(s, reject);
  if (framing !== 'spec' || !RULES.has(reject.reason) || reject.peer_id === undefined) return r;
  const rule = reject.reason as JoinRefusalRule;
  return {
    ...r,
    effects: [...r.effects, { kind: 'send', peer_id: reject.peer_id as NodeId, framing: 'spec', type: 'JOIN_REFUSED', payload: { rule, detail: detailOf(rule, reject.fields ?? {}), timestamp: now_s } }],
  };
}
