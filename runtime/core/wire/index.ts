/**
 * The Hive wire codec's public surface (spec 001 §1; clhive-protocol.md §1–3): framings,
 * envelope, message registry, payload schemas, typed errors, freshness and signing strings.
 */
export * from './decode.ts';
export * from './encode.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './framing.ts';
export * from './limits.ts';
export * from './message-types.ts';
export * from './schemas.ts';
export * from './payloads/attest.ts';
export * from './payloads/challenge.ts';
export * from './payloads/hello.ts';
export * from './payloads/welcome.ts';
