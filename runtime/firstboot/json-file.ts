/**
 * Reading firstboot's own JSON files (stored settings, status): parse and validate in one step,
 * null for anything that is not valid JSON of the expected shape.
 */
import type { z } from 'zod';

/** `text` parsed as JSON and checked against `schema`; null when either fails. */
export function parseJsonAs<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
