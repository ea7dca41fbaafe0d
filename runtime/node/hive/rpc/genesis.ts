/**
 * `hive-genesis [hive_id]`: found a hive with this node as its first member and the signer's
 * invite key as its first trusted admin (clhive-protocol.md §6.2; runtime/core/machines/genesis.ts).
 * No button press: nothing is signed.
 */
import { genesis, HIVE_ID_RANDOM_BYTES } from '../../../core/machines/genesis.ts';
import type { EngineCore } from '../engine-core.ts';
import { RPC_ERROR, rpcFailure, signerFailure } from './errors.ts';
import { GenesisParams, parseParams } from './params.ts';

/** Result of `hive-genesis`. */
export interface GenesisResult {
  readonly hive_id: string;
  readonly node_id: string;
  readonly tier: 'member';
  readonly admin_pubkey: string;
  /** Unix seconds. */
  readonly created_at: number;
}

/** Run `hive-genesis`. @throws RpcFailure (invalidParams, alreadyInHive, signer*, storeError). */
export async function genesisCommand(core: EngineCore, params: Record<string, unknown>): Promise<GenesisResult> {
  const p = parseParams('hive-genesis', GenesisParams, params);
  if (!p.ok) throw p.error;
  const admin = await core.approvals.adminKey();
  if (!admin.ok) throw signerFailure(admin.error);
  const now = core.now();
  const g = genesis(core.state().fleet.membership, { our_node_id: core.our_node_id, admin_pubkey: admin.node_id, ...p.value }, now, core.random(HIVE_ID_RANDOM_BYTES));
  if (!g.ok) {
    if (g.error.code === 'already_in_hive') throw rpcFailure(RPC_ERROR.alreadyInHive, `this node is already in hive ${g.error.hive_id}`);
    throw rpcFailure(RPC_ERROR.invalidParams, `hive-genesis: ${g.error.field} is not valid`);
  }
  const writes = g.value.effects.map((e) => e.write);
  const applied = await core.applyMembership(writes);
  if (!applied.ok) throw rpcFailure(RPC_ERROR.storeError, `could not write the hive record: ${applied.error.kind}`);
  const hive = g.value.state.hive!;
  core.log('info', 'hive_genesis', { hive_id: hive.hive_id, admin_pubkey: admin.node_id });
  return { hive_id: hive.hive_id, node_id: core.our_node_id, tier: 'member', admin_pubkey: admin.node_id, created_at: hive.created_at };
}
