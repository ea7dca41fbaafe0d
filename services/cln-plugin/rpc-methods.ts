/**
 * The `hive-*` commands the plugin registers with lightningd (getmanifest `rpcmethods`) and passes
 * to the daemon. One table drives the manifest, positional → named parameter mapping and the
 * daemon's dispatch; add a row to expose a new engine command through `lightning-cli`.
 * Source: issue 3 §3 (hive-genesis, hive-invite, hive-join, hive-status, hive-members); issue 7
 * and clhive-protocol.md §6.7 (pending actions, approve / reject, planner log and switches);
 * issue 16 and clhive-protocol.md §6.4–6.6 (governance: promote, vouch, bans, ban-peer, revoke, leave);
 * issue 9 (hive-mgmt-command, hive-mgmt-revoke: the management sub-engine, runtime/node/mgmt/mgmt-engine.ts).
 */

/** One parameter: its name (as the engine receives it) and whether lightning-cli must give it. */
export interface HiveRpcParam {
  readonly name: string;
  readonly required: boolean;
}

/** One registered command. */
export interface HiveRpcMethod {
  /** Command name, `hive-` prefixed. */
  readonly name: string;
  /** Parameters in positional order (lightning-cli `hive-join TICKET` → `{ticket}`). */
  readonly params: readonly HiveRpcParam[];
  /** One-line help shown by `lightning-cli help`. */
  readonly description: string;
}

/** Every `hive-*` command, in help order. */
export const HIVE_RPC_METHODS: readonly HiveRpcMethod[] = [
  { name: 'hive-genesis', params: [{ name: 'hive_id', required: false }], description: 'Create a new Hive with this node as its first member' },
  {
    name: 'hive-invite',
    params: [
      { name: 'valid_hours', required: false },
      { name: 'req_splice', required: false },
      { name: 'req_dual_fund', required: false },
      { name: 'req_version', required: false },
      { name: 'clhive', required: false },
    ],
    description: 'Issue an invite ticket signed by the fleet admin key (needs the signer button); clhive=true: a ticket in cl-hive\'s form for a cl-hive node',
  },
  {
    name: 'hive-join',
    params: [
      { name: 'ticket', required: true },
      { name: 'peer_id', required: false },
    ],
    description: 'Join a Hive with an invite ticket',
  },
  { name: 'hive-status', params: [], description: 'Show this node\'s Hive membership, tier and daemon state' },
  { name: 'hive-members', params: [], description: 'List the Hive members with tier and membership hash' },
  { name: 'hive-pending-actions', params: [{ name: 'all', required: false }], description: 'List the actions waiting for approve / reject (planner proposals and fleet intents, one id space)' },
  {
    name: 'hive-approve-action',
    params: [
      { name: 'action_id', required: true },
      { name: 'amount_sats', required: false },
    ],
    description: 'Approve a pending action ("all" for every one); a channel open goes through the intent lock, then fundchannel',
  },
  {
    name: 'hive-reject-action',
    params: [
      { name: 'action_id', required: true },
      { name: 'reason', required: false },
    ],
    description: 'Reject a pending action ("all" for every one); the target is not proposed again for 24 h',
  },
  { name: 'hive-planner-log', params: [{ name: 'limit', required: false }], description: "The planner's last decision log: figures and the deciding rule per target" },
  { name: 'hive-planner-explain', params: [{ name: 'node_id', required: true }], description: 'Why the planner did or did not act on a node' },
  { name: 'hive-planner-enable-expansions', params: [{ name: 'enabled', required: false }], description: 'Show or switch channel-open proposals (default false)' },
  { name: 'hive-planner-status', params: [], description: "The planner's timer, switches, last cycle, mass-saturation events and top targets" },
  { name: 'hive-channels', params: [{ name: 'refresh', required: false }], description: 'Channel health: liquidity ratio, alert (low outbound < 0.2, low inbound > 0.8), success rate, fees earned' },
  { name: 'hive-promote', params: [], description: 'As a neophyte: ask the members to vouch for your promotion to full member' },
  { name: 'hive-vouch', params: [{ name: 'node_id', required: true }], description: "Vouch for a neophyte's promotion request (promoted once the quorum of full members vouched)" },
  { name: 'hive-bans', params: [], description: 'Ban proposals with their votes and threshold, and the external peers on the fleet ignore list' },
  {
    name: 'hive-ban-propose',
    params: [
      { name: 'node_id', required: true },
      { name: 'reason', required: true },
    ],
    description: 'Propose banning a member; it is banned once a majority of full members approve (your approve vote is cast)',
  },
  {
    name: 'hive-ban-vote',
    params: [
      { name: 'proposal_id', required: true },
      { name: 'vote', required: true },
    ],
    description: 'Vote approve or reject on a ban proposal (ids from hive-bans)',
  },
  {
    name: 'hive-ban-peer',
    params: [
      { name: 'node_id', required: true },
      { name: 'reason', required: true },
      { name: 'evidence', required: false },
    ],
    description: 'Put an external (non-member) node on the fleet ignore list: every member refuses its channel opens',
  },
  {
    name: 'hive-revoke',
    params: [
      { name: 'node_id', required: true },
      { name: 'reason', required: false },
    ],
    description: 'Revoke a member with the fleet admin key (needs the signer button); takes effect on every member at once',
  },
  { name: 'hive-leave', params: [{ name: 'reason', required: false }], description: 'Leave the hive: tell every member, restore the fees of your 0-fee member channels' },
  {
    name: 'hive-intent',
    params: [
      { name: 'intent_type', required: true },
      { name: 'target', required: true },
      { name: 'amount_sats', required: false },
    ],
    description: 'Announce an intent (channel_open NODE_ID AMOUNT, or rebalance) through the fleet intent lock; carried out after the hold unless a member with a lower node id claimed the same target',
  },
  { name: 'hive-intents', params: [], description: "This node's intents (pending, committed, aborted, done, failed) and the members' live intent locks" },
  {
    name: 'hive-mgmt-command',
    params: [
      { name: 'node_id', required: true },
      { name: 'schema', required: true },
      { name: 'action', required: true },
      { name: 'params', required: true },
      { name: 'credential', required: true },
      { name: 'payment', required: false },
    ],
    description: 'As an advisor: send a signed management command (spec 002) to a managed node and return its verified answer and receipt',
  },
  {
    name: 'hive-mgmt-revoke',
    params: [{ name: 'revocation', required: true }],
    description: 'Keep a signed credential revocation (from `hivebox credential revoke`) and gossip it to the fleet',
  },
];

/** lightningd's `usage` string: required names bare, optional names in brackets. */
export function usageOf(m: HiveRpcMethod): string {
  return m.params.map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ');
}

/** Why passthrough params could not be named. */
export interface ParamsError {
  readonly message: string;
}

/**
 * Turn lightningd's passthrough params (object, array, or absent) into named params.
 * @returns the named object, or an error for too many positional values, an unknown name, or a
 *   missing required parameter (answered to the caller as JSON-RPC -32602).
 */
export function nameParams(m: HiveRpcMethod, params: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; error: ParamsError } {
  let named: Record<string, unknown>;
  if (params === undefined || params === null) named = {};
  else if (Array.isArray(params)) {
    if (params.length > m.params.length) return { ok: false, error: { message: `${m.name} takes at most ${m.params.length} parameters, got ${params.length}` } };
    named = {};
    params.forEach((v, i) => {
      if (v !== null) named[m.params[i]!.name] = v;
    });
  } else if (typeof params === 'object') named = { ...(params as Record<string, unknown>) };
  else return { ok: false, error: { message: 'params must be an object or an array' } };
  const known = new Set(m.params.map((p) => p.name));
  const unknown = Object.keys(named).find((k) => !known.has(k));
  if (unknown !== undefined) return { ok: false, error: { message: `unknown parameter: ${unknown}` } };
  const missing = m.params.find((p) => p.required && named[p.name] === undefined);
  if (missing) return { ok: false, error: { message: `missing required parameter: ${missing.name}` } };
  return { ok: true, value: named };
}
