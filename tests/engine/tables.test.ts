/**
 * The `hive-*` commands the engines serve (the Hive engine and the management sub-engine
 * composed with it) are exactly the ones the CLN plugin registers with lightningd, with the same
 * parameter names.
 */
import { expect, test } from 'bun:test';
import { RPC_COMMANDS } from '../../runtime/node/hive/rpc/index.ts';
import { ChannelsParams } from '../../runtime/node/hive/rpc/channels.ts';
import { BanPeerParams, BanProposeParams, BanVoteParams, LeaveParams, PromoteParams, RevokeParams, VouchParams } from '../../runtime/node/hive/rpc/governance.ts';
import { IntentParams, IntentsParams } from '../../runtime/node/hive/rpc/intent.ts';
import { ApproveActionParams, PendingActionsParams, RejectActionParams } from '../../runtime/node/hive/rpc/actions.ts';
import { GenesisParams, InviteParams, JoinParams, NoParams } from '../../runtime/node/hive/rpc/params.ts';
import { EnableExpansionsParams, PlannerExplainParams, PlannerLogParams } from '../../runtime/node/hive/rpc/planner.ts';
import { HIVE_RPC_METHODS } from '../../services/cln-plugin/rpc-methods.ts';
import { MGMT_RPC_PARAMS } from '../../runtime/node/mgmt/mgmt-engine.ts';

test('the engines serve exactly the commands the plugin registers, with the same parameter names', () => {
  expect([...Object.keys(RPC_COMMANDS), ...Object.keys(MGMT_RPC_PARAMS)].sort()).toEqual(HIVE_RPC_METHODS.map((m) => m.name).sort());
  const schemas = {
    'hive-genesis': GenesisParams,
    'hive-invite': InviteParams,
    'hive-join': JoinParams,
    'hive-status': NoParams,
    'hive-members': NoParams,
    'hive-pending-actions': PendingActionsParams,
    'hive-approve-action': ApproveActionParams,
    'hive-reject-action': RejectActionParams,
    'hive-planner-log': PlannerLogParams,
    'hive-planner-explain': PlannerExplainParams,
    'hive-planner-enable-expansions': EnableExpansionsParams,
    'hive-planner-status': NoParams,
    'hive-channels': ChannelsParams,
    'hive-promote': PromoteParams,
    'hive-vouch': VouchParams,
    'hive-bans': PromoteParams,
    'hive-ban-propose': BanProposeParams,
    'hive-ban-vote': BanVoteParams,
    'hive-ban-peer': BanPeerParams,
    'hive-revoke': RevokeParams,
    'hive-leave': LeaveParams,
    'hive-intent': IntentParams,
    'hive-intents': IntentsParams,
  };
  const names: Record<string, readonly string[]> = { ...Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, Object.keys(v().shape)])), ...MGMT_RPC_PARAMS };
  for (const m of HIVE_RPC_METHODS) expect([...names[m.name]!].sort()).toEqual(m.params.map((p) => p.name).sort());
});
