/**
 * TOML parsing for the operator's files (`hivebox.toml` for `hivebox run`, the boot partition's
 * `hivebox.toml` for `hivebox firstboot`) with smol-toml (TOML 1.0), whose errors carry the line and
 * column — Bun's built-in parser reports neither.
 */
import { parse, TomlError } from 'smol-toml';
import { err, ok, type Result } from '../core/result.ts';

/** A TOML syntax error: 1-based position and the parser's one-line reason. */
export interface TomlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * Parse a TOML document.
 * @returns the table, or where and why it is not TOML. @throws only for non-syntax faults of the parser.
 */
export function parseTomlText(text: string): Result<Record<string, unknown>, TomlSyntaxError> {
  try {
    return ok(parse(text) as Record<string, unknown>);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    return err({ line: e.line, column: e.column, reason: e.message.replace(/^Invalid TOML document: /, '').split('\n')[0]! });
  }
}

/** "LINE:COLUMN: reason". */
export function describeTomlError(e: TomlSyntaxError): string {
  return `${e.line}:${e.column}: ${e.reason}`;
}
