/** services/swarm: the daemon's side of the hyperswarm sidecar (README.md). Re-exports only. */
export * from './backoff.ts';
export * from './client.ts';
export * from './hive-sender.ts';
export * from './sidecar-events.ts';
export * from './sidecar-link.ts';
export * from './transport.ts';
