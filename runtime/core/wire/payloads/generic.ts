/**
 * The payload schema for cl-hive types Hivebox knows by name but does not interpret yet
 * (expansion, intelligence, settlement, splice, MCF, credential and bond messages;
 * clhive-protocol.md §2.1, §2.3 "Other domains"). Such a payload is **not fully validated**: it
 * must be a JSON object within the codec's global caps (size, depth, array and key counts), and
 * `_`-prefixed relay metadata keys are stripped from the validated view. A handler that starts
 * consuming one of these types must first give it a real schema.
 */
import { z } from 'zod';

/** Any JSON object; `_`-prefixed keys removed from the output. */
export const GenericPayload = z.record(z.string(), z.unknown()).transform((obj) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('_')) out[k] = v;
  return out;
});

/** A generic payload's validated view. */
export type GenericPayload = z.output<typeof GenericPayload>;
