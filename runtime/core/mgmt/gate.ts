/**
 * The admission gate for 49152 requests: every check that decides whether a command may run,
 * in one place and one order, as pure functions over facts the driver gathered
 * (spec 002 §3 replay/size, §1 credential verification, §4 schemas and constraints).
 *
 * Order: `preflight` (timestamp window, credential shape — before any I/O), then, once the DIDs
 * are resolved, `authorize`: agent signature → nonce/rate (state advances from here on, so a
 * signed-but-rejected request still burns its nonce) → credential → schema/action → allowed
 * schemas → tier → permission → params → constraints → daily cap. Payment (services) and the
 * local policy (policy.ts) follow.
 */
import { err, ok, type Result } from '../result.ts';
import { parseCredential, verifyCredential, type CredentialContext, type ParsedCredential, type VerifiedCredential } from './credential.ts';
import { verifyWithDidKeys, type DidKeys } from './did.ts';
import { requestDigest, type MgmtRequest } from './messages.ts';
import type { PolicyCommand } from './policy.ts';
import { reject, type MgmtReject } from './reject.ts';
import { admitNonce, checkDailyCap, checkFreshness, type AgentReplayState } from './replay.ts';
import type { ActionDef, ChannelView, MgmtEffect } from './schemas/action.ts';
import { isSchemaId, SCHEMAS, schemaAllowed, SUPPORTED_SCHEMAS } from './schemas/registry.ts';
import { tierRank } from './tiers.ts';
import type { UnixSeconds } from '../types.ts';

/** Largest `schema_payload`, bytes (spec 002 §3: commands are ~2–4 KB in total). */
export const MAX_PAYLOAD_BYTES = 16_384;

/** A request that passed the I/O-free checks, with its parsed credential. */
export interface Preflight {
  readonly req: MgmtRequest;
  readonly credential: ParsedCredential;
}

/**
 * Checks that need no I/O: timestamp within ±300 s, credential shape.
 * @returns the preflight, or `transport/stale_timestamp|future_timestamp`, `credential/malformed_credential`.
 */
export function preflight(req: MgmtRequest, now_s: UnixSeconds): Result<Preflight, MgmtReject> {
  const fresh = checkFreshness(req.timestamp, now_s);
  if (fresh) return err(fresh);
  const credential = parseCredential(req.credential);
  if (!credential.ok) return err(reject('credential', credential.error.rule, credential.error.detail));
  return ok({ req, credential: credential.value });
}

/** Facts the driver gathered for {@link authorize}. */
export interface AuthFacts {
  /** Resolved keys of the credential subject (the agent). */
  readonly agentKeys: DidKeys;
  /** Resolved keys of the credential issuer. */
  readonly issuerKeys: DidKeys;
  readonly trustedIssuers: ReadonlySet<string>;
  readonly nodeId: string;
  readonly revoked: boolean;
  readonly agentState: AgentReplayState;
  /** Accepted commands under this credential today (UTC). */
  readonly acceptedToday: number;
  readonly channels: ReadonlyMap<string, ChannelView>;
  /** Unix seconds. */
  readonly now_s: UnixSeconds;
  /** Memoised credential proof check (see `CredentialContext.proofCheck`). */
  readonly proofCheck?: CredentialContext['proofCheck'];
}

/** An authorized command, ready for payment and local policy. */
export interface Authorized {
  readonly credential: VerifiedCredential;
  readonly schema_id: string;
  readonly action: string;
  readonly def: ActionDef<never>;
  readonly params: unknown;
  readonly effect: MgmtEffect;
}

/** Outcome of {@link authorize}: replay state to persist (null = unchanged) and the verdict. */
export interface AuthOutcome {
  readonly agentState: AgentReplayState | null;
  readonly verdict: Result<Authorized, MgmtReject>;
  /**
   * True once the agent's signature, its nonce and its credential (trusted issuer, not revoked, in
   * date) verified: only such a request is attributable and gets a stored receipt (issue 15 item 7).
   */
  readonly credentialVerified: boolean;
}

function parsePayload(text: string): { schema?: unknown; action?: unknown; params?: unknown } | null {
  if (text.length > MAX_PAYLOAD_BYTES) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function authorizeCommand(pre: Preflight, c: VerifiedCredential, facts: AuthFacts): Result<Authorized, MgmtReject> {
  const schemaId = pre.req.schema_type;
  const schema = isSchemaId(schemaId) ? SCHEMAS.get(schemaId) : undefined;
  if (!schema) return err(reject('schema', 'unsupported_schema', `${schemaId} is not supported`, SUPPORTED_SCHEMAS));
  const payload = parsePayload(pre.req.schema_payload);
  if (!payload || payload.schema !== schemaId || typeof payload.action !== 'string') {
    return err(reject('schema', 'invalid_params', 'schema_payload must be a JSON object {schema, action, params} matching schema_type'));
  }
  const def = Object.hasOwn(schema.actions, payload.action) ? schema.actions[payload.action] : undefined;
  if (!def) return err(reject('schema', 'unknown_action', `${schemaId} has no action ${payload.action}`));
  if (!schemaAllowed(schemaId, c.constraints.allowed_schemas)) return err(reject('credential', 'schema_not_allowed', `${schemaId} not in allowed_schemas`));
  if (tierRank(c.tier) < tierRank(def.tier)) return err(reject('credential', 'insufficient_tier', `${payload.action} needs ${def.tier}, credential is ${c.tier}`));
  if (!c.permissions.has(def.permission)) return err(reject('credential', 'permission_denied', `credential does not grant ${def.permission}`));
  const params = def.params.safeParse(payload.params ?? {});
  if (!params.success) return err(reject('schema', 'invalid_params', params.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')));
  const violation = def.constraints(params.data as never, c, { channels: facts.channels });
  if (violation) return err(reject(violation.rule === 'unknown_channel' ? 'schema' : 'credential', violation.rule, violation.detail));
  const cap = checkDailyCap(facts.acceptedToday, c.constraints.max_daily_actions);
  if (cap) return err(cap);
  return ok({ credential: c, schema_id: schemaId, action: payload.action, def, params: params.data, effect: def.plan(params.data as never) });
}

/**
 * Authenticate and authorize a preflighted request.
 * Rejections: `transport/bad_signature|replayed_nonce|rate_limited`, `credential/*` (credential.ts
 * rules, `agent_mismatch`, `schema_not_allowed`, `insufficient_tier`, `permission_denied`,
 * constraint rules, `daily_cap_reached`), `schema/unsupported_schema|unknown_action|invalid_params|unknown_channel`.
 */
export function authorize(pre: Preflight, facts: AuthFacts): AuthOutcome {
  const c = pre.credential;
  if (facts.agentKeys.did !== c.agent_did) return { agentState: null, credentialVerified: false, verdict: err(reject('credential', 'agent_mismatch', 'resolved agent DID differs from the credential subject')) };
  if (!verifyWithDidKeys(facts.agentKeys, requestDigest(pre.req), pre.req.signature)) {
    return { agentState: null, credentialVerified: false, verdict: err(reject('transport', 'bad_signature', `signature does not verify for ${c.agent_did}`)) };
  }
  const replay = admitNonce(facts.agentState, pre.req.nonce, facts.now_s);
  if (!replay.ok) return { agentState: null, credentialVerified: false, verdict: replay };
  const verified = verifyCredential(c, { issuerKeys: facts.issuerKeys, trustedIssuers: facts.trustedIssuers, nodeId: facts.nodeId, revoked: facts.revoked, now_s: facts.now_s, proofCheck: facts.proofCheck });
  if (!verified.ok) return { agentState: replay.value, credentialVerified: false, verdict: err(reject('credential', verified.error.rule, verified.error.detail)) };
  return { agentState: replay.value, credentialVerified: true, verdict: authorizeCommand(pre, verified.value, facts) };
}

/** The command as the local policy sees it. */
export function policyCommand(a: Authorized): PolicyCommand {
  const p = a.params as never;
  return {
    effect: a.effect,
    mutates: a.def.mutates,
    channels: a.def.channels(p),
    targets: a.def.targets(p),
    contender: { agent_did: a.credential.agent_did, tier: a.credential.tier, credential_issued_at: a.credential.issued_at },
  };
}
