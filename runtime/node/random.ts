/**
 * Randomness for the engine, from the OS CSPRNG (`crypto.getRandomValues`). The core takes random
 * bytes as inputs (challenge nonces, ticket ids, hive ids); this is where they come from.
 */

/** A source of `n` random bytes (injected so tests can make runs reproducible). */
export type RandomSource = (n: number) => Uint8Array;

/** `n` bytes from the OS CSPRNG. */
export const secureRandom: RandomSource = (n) => crypto.getRandomValues(new Uint8Array(n));
