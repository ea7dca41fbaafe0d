/**
 * Hive-level steps the real-node scenarios share: found a hive and join nodes with the operator
 * CLI (`hivebox genesis|invite|join`, each a process talking to `hivebox run`), read every
 * member's view through lightningd (`hive-status` / `hive-members`: lightningd → plugin → daemon),
 * and wait for the fleet to agree.
 */
import type { InviteResult, JoinResult, MembersResult, StatusResult } from '../../../runtime/node/hive/index.ts';
import type { Rig } from './rig.ts';
import { eventually } from './wait.ts';

/** `hive-status` through the node's lightningd (the plugin relays it to the daemon). */
export function hiveStatus(rig: Rig, name: string): Promise<StatusResult> {
  return rig.node(name).ln.rpc<StatusResult>('hive-status');
}

/** `hive-members` through the node's lightningd. */
export function hiveMembers(rig: Rig, name: string): Promise<MembersResult> {
  return rig.node(name).ln.rpc<MembersResult>('hive-members');
}

/** `hivebox genesis` on `name`. @returns the hive id. */
export async function genesis(rig: Rig, name: string): Promise<string> {
  return (await rig.hb(name).cliJson<{ hive_id: string }>(['genesis'])).hive_id;
}

/**
 * `hivebox invite` on `admin` (the signer simulator approves), then `hivebox join TICKET --peer
 * <admin>` on `joiner`.
 * @returns the join result and how long the invite and the join took, ms.
 */
export async function inviteAndJoin(rig: Rig, admin: string, joiner: string): Promise<{ join: JoinResult; invite_ms: number; join_ms: number }> {
  const t0 = Date.now();
  const invite = await rig.hb(admin).cliJson<InviteResult>(['invite']);
  const t1 = Date.now();
  const join = await rig.hb(joiner).cliJson<JoinResult>(['join', invite.ticket, '--peer', rig.node(admin).ln.nodeId], 620_000);
  return { join, invite_ms: t1 - t0, join_ms: Date.now() - t1 };
}

/** What "the fleet agrees" means for the nodes `names`. */
export interface FleetAgreement {
  readonly membership_hash: string;
  readonly fleet_hash: string;
  readonly statuses: readonly StatusResult[];
}

/**
 * One look at whether `names` agree: every node lists `names.length` members with one
 * membership hash, one non-null fleet hash, and holds a gossiped state of every member in its
 * store. @returns the agreement, or a description of the first disagreement.
 */
export async function fleetAgreement(rig: Rig, names: readonly string[]): Promise<FleetAgreement | string> {
  const statuses = await Promise.all(names.map((n) => hiveStatus(rig, n)));
  const ids = names.map((n) => rig.node(n).ln.nodeId);
  const hashes = new Set(statuses.map((s) => s.membership_hash));
  const fleet = new Set(statuses.map((s) => s.fleet_hash));
  if (statuses.some((s) => s.member_count !== names.length)) return `member counts ${statuses.map((s) => s.member_count).join(',')}`;
  if (hashes.size !== 1) return `membership hashes differ: ${[...hashes].join(' ')}`;
  if (fleet.size !== 1 || statuses[0]!.fleet_hash === null) return `fleet hashes differ: ${statuses.map((s) => s.fleet_hash?.slice(0, 12)).join(' ')}`;
  for (const n of names) {
    const hb = rig.node(n).hb;
    if (!hb) continue;
    const held = hb.storedStates();
    const missing = ids.filter((id) => !held.has(id));
    if (missing.length) return `${n} holds no state of ${missing.map((m) => m.slice(0, 10)).join(',')}`;
  }
  return { membership_hash: statuses[0]!.membership_hash!, fleet_hash: statuses[0]!.fleet_hash!, statuses };
}

/**
 * Wait until `names` agree (fleetAgreement).
 * @returns the agreement and how long it took, ms. @throws Error with the last disagreement.
 */
export async function waitFleetAgreement(rig: Rig, names: readonly string[], timeout_ms: number): Promise<{ agreement: FleetAgreement; ms: number }> {
  const t0 = Date.now();
  const agreement = await eventually(
    `fleet agreement of ${names.join(',')}`,
    async () => {
      const a = await fleetAgreement(rig, names);
      if (typeof a === 'string') throw new Error(a);
      return a;
    },
    timeout_ms,
    200,
  );
  return { agreement, ms: Date.now() - t0 };
}
