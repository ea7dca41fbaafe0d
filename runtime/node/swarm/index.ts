/** runtime/node/swarm: the swarm fallback link inside `hivebox run` (swarm-link.ts) and the cross-path de-duplication. Re-exports only. */
export * from './swarm-link.ts';
