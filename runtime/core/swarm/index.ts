/** Swarm core (issue 10): topic, binding statements, the admission gate, routing and dedup. Re-exports only. */
export * from './admit-binding.ts';
export * from './binding.ts';
export * from './frame.ts';
export * from './gate.ts';
export * from './limits.ts';
export * from './rate-bucket.ts';
export * from './route.ts';
export * from './seen-set.ts';
export * from './topic.ts';
