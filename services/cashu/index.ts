/** Cashu payments: node-side redeemer, advisor wallet (the local test mint is a simulator: runtime/sim/mint). Re-exports only. */
export * from './advisor-wallet.ts';
export * from './redeemer.ts';
