/** L402 subscriptions for remote management: issuing and verifying. Re-exports only. */
export * from './identifier.ts';
export * from './subscription.ts';
export * from './verifier.ts';
export * from './binary-v2.ts';
