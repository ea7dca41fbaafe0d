/**
 * Shapes shared by simnet's lightningd commands: a handler gets the node, the named params and the
 * raw request text (for commands that read raw tokens, like lightningd), and returns a JSON-RPC
 * result or a CLN error object.
 */
import type { SimNode } from './node.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** A JSON-RPC answer body: `result`, or `error` with CLN's code and message. */
export type CommandAnswer = { readonly result: unknown } | { readonly error: { code: number; message: string; data?: unknown } };

/** What a command handler receives. */
export interface CommandCall {
  readonly node: SimNode;
  readonly params: Record<string, unknown>;
  /** The whole request as received (raw JSON text). */
  readonly raw: string;
  /** The caller's request id (for passthrough id chaining). */
  readonly id: unknown;
}

/** One built-in command: parameter names in positional order, how many are required, the handler. */
export interface CommandDef {
  readonly params: readonly string[];
  readonly required: number;
  /** Named (object) params may carry further `key=value` options (CLN `plugin start … options`). */
  readonly keywordOptions?: boolean;
  run(call: CommandCall): CommandAnswer | Promise<CommandAnswer>;
}

/** Build an error answer. */
export function fail(code: number, message: string): CommandAnswer {
  return { error: { code, message } };
}

/** Build a success answer. */
export function ok(result: unknown): CommandAnswer {
  return { result };
}

const NODE_ID_RE = /^0[23][0-9a-fA-F]{64}$/;

/** A node id parameter, lowercased, or null when malformed. */
export function nodeIdParam(v: unknown): string | null {
  return typeof v === 'string' && NODE_ID_RE.test(v) ? v.toLowerCase() : null;
}

/** CLN's message for an ill-typed parameter (`param_*` helpers): "NAME: should be a X: invalid token '…'". */
export function badParam(name: string, what: string, value: unknown): CommandAnswer {
  return fail(CLN_ERROR.INVALID_PARAMS, `${name}: should be ${what}: invalid token '${JSON.stringify(value)}'`);
}
