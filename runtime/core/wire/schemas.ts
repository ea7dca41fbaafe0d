/**
 * Payload validation of every Hive message type (issue 2 §2: validated before any handler sees
 * it). Each type's schema, and its stricter spec-framing form where Hivebox-only fields become
 * required, is in its spec (payloads/<type>.ts, wire/spec.ts). Validation strips unknown and
 * `_`-prefixed keys from the view. A hot type's `accept` takes the success path without zod.
 */
import type { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { type WireError, wireError } from './errors.ts';
import type { RawPayload } from './envelope.ts';
import type { Framing } from './framing.ts';
import { type MessageSpecs, type MsgType, specOf } from './message-types.ts';

/** The validated payload type of message type `T`. */
export type PayloadOf<T extends MsgType> = z.output<MessageSpecs[T]['schema']>;

function issuePath(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Validate a raw payload of type `type` in `framing`.
 * @returns the validated view (unknown and `_` keys stripped, Python floats as numbers) or
 *   `invalid_field` naming the first failing field (dotted path, `[i]` for array items).
 */
export function validatePayload<T extends MsgType>(type: T, framing: Framing, raw: unknown): Result<PayloadOf<T>, WireError> {
  const spec = specOf(type);
  const strict = framing === 'spec' ? spec.spec_schema : undefined;
  if (strict === undefined && spec.accept !== undefined) {
    const view = spec.accept(raw as RawPayload);
    if (view !== null) return ok(view as PayloadOf<T>);
  }
  const parsed = (strict ?? spec.schema).safeParse(raw);
  if (parsed.success) return ok(parsed.data as PayloadOf<T>);
  const issue = parsed.error.issues[0]!;
  return err(wireError('invalid_field', issue.message, issuePath(issue.path)));
}
