/**
 * The `hive-*` command table: method name → command. The plugin registers the same names with
 * lightningd (services/cln-plugin/rpc-methods.ts; tests/engine check both tables agree). The
 * fleet layer adds its commands (pending actions, governance: rpc/governance.ts) as more rows.
 */
import type { EngineCore } from '../engine-core.ts';
import { approveActionCommand, pendingActionsCommand, rejectActionCommand } from './actions.ts';
import { channelsCommand } from './channels.ts';
import { genesisCommand } from './genesis.ts';
import { banPeerCommand, banProposeCommand, bansCommand, banVoteCommand, leaveCommand, promoteCommand, revokeCommand, vouchCommand } from './governance.ts';
import { intentCommand, intentsCommand } from './intent.ts';
import { inviteCommand } from './invite.ts';
import { joinCommand } from './join.ts';
import { enableExpansionsCommand, plannerExplainCommand, plannerLogCommand, plannerStatusCommand } from './planner.ts';
import { membersCommand, statusCommand } from './status.ts';

/** One command: validates its params and returns the JSON result, or throws RpcFailure. */
export type RpcCommand = (core: EngineCore, params: Record<string, unknown>) => unknown;

/** Command names the engine serves. */
export type HiveRpcName =
  | 'hive-genesis'
  | 'hive-invite'
  | 'hive-join'
  | 'hive-status'
  | 'hive-members'
  | 'hive-pending-actions'
  | 'hive-approve-action'
  | 'hive-reject-action'
  | 'hive-planner-log'
  | 'hive-planner-explain'
  | 'hive-planner-enable-expansions'
  | 'hive-planner-status'
  | 'hive-channels'
  | 'hive-promote'
  | 'hive-vouch'
  | 'hive-bans'
  | 'hive-ban-propose'
  | 'hive-ban-vote'
  | 'hive-ban-peer'
  | 'hive-revoke'
  | 'hive-leave'
  | 'hive-intent'
  | 'hive-intents';

/** Command per method. */
export const RPC_COMMANDS = {
  'hive-genesis': genesisCommand,
  'hive-invite': inviteCommand,
  'hive-join': joinCommand,
  'hive-status': statusCommand,
  'hive-members': membersCommand,
  'hive-pending-actions': pendingActionsCommand,
  'hive-approve-action': approveActionCommand,
  'hive-reject-action': rejectActionCommand,
  'hive-planner-log': plannerLogCommand,
  'hive-planner-explain': plannerExplainCommand,
  'hive-planner-enable-expansions': enableExpansionsCommand,
  'hive-planner-status': plannerStatusCommand,
  'hive-channels': channelsCommand,
  'hive-promote': promoteCommand,
  'hive-vouch': vouchCommand,
  'hive-bans': bansCommand,
  'hive-ban-propose': banProposeCommand,
  'hive-ban-vote': banVoteCommand,
  'hive-ban-peer': banPeerCommand,
  'hive-revoke': revokeCommand,
  'hive-leave': leaveCommand,
  'hive-intent': intentCommand,
  'hive-intents': intentsCommand,
} satisfies Record<HiveRpcName, RpcCommand>;
