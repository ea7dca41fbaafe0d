/** runtime/node/mgmt: the remote-management engine (spec 002): managed node, advisor client, operator lifecycle. Re-exports only. */
export * from './advisor-client.ts';
export * from './executor.ts';
export * from './managed-node.ts';
export * from './node-view.ts';
export * from './operator.ts';
export * from './payment-gate.ts';
export * from './revocations.ts';
export * from './settlement.ts';
export * from './proof-cache.ts';
export * from './mgmt-engine.ts';
export * from './flood-window.ts';
