/**
 * runtime/node/hive: the Hive engine behind the daemon (`HiveEngine`): codec → machines → store →
 * effects through lightningd and the fleet signer, plus the `hive-*` commands.
 */
export { HiveSection, DEFAULT_HIVE_SETTINGS, MANIFEST_VERSION, type HiveSettings } from './config.ts';
export { HiveboxEngine, type HiveEngineDeps } from './hive-engine.ts';
export { memberViews, type MemberView } from './membership-view.ts';
export { RPC_ERROR } from './rpc/errors.ts';
export { RPC_COMMANDS, type HiveRpcName } from './rpc/index.ts';
export type { GenesisResult } from './rpc/genesis.ts';
export type { BanPeerResult, BanProposalView, BansResult, LeaveResult, PromoteResult, PromotionView, RevokeResult } from './rpc/governance.ts';
export type { InviteResult } from './rpc/invite.ts';
export type { JoinResult } from './rpc/join.ts';
export type { MembersResult, StatusResult } from './rpc/status.ts';
