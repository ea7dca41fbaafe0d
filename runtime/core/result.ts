/**
 * `Result<T, E>`: how the core reports a peer's fault without throwing (style: h11, LDK `DecodeError`).
 * Throwing is reserved for programmer misuse at an API edge.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Wrap a success value. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wrap a failure value. */
export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
