/**
 * The fleet engine's public surface (issue 4): one step function, its state, inputs and effects,
 * the config, the tables the store persists, and the read helpers the planner and CLI use.
 */
export * from './config.ts';
export * from './public-capacity.ts';
export * from './state.ts';
export * from './step.ts';
export * from './tables.ts';
export * from './types.ts';
export { lockedTargets } from '../machines/intent-lock.ts';
export { currentFleetHash } from '../machines/gossip.ts';
export { currentMembershipHash } from '../machines/state-sync.ts';
export { hiveNodeState, hiveStep, type HiveNodeEffect, type HiveNodeInput, type HiveNodeState, type HiveNodeStep } from './hive-node.ts';
export { activeFullMembers, banThreshold } from './roster.ts';
