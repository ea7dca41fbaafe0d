/** Remote management adapters (spec 002): DID resolution over HTTP, key files, Cashu payouts, the rebalancer port over lightningd. Re-exports only. */
export * from './did-resolver.ts';
export * from './key-file.ts';
export * from './payout.ts';
export * from './rebalancer.ts';
