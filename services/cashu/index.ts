/** Cashu payments: node-side redeemer, advisor wallet, local test mint. Re-exports only. */
export * from './advisor-wallet.ts';
export * from './redeemer.ts';
export * from './test-mint/mint.ts';
export * from './test-mint/server.ts';
