/**
 * Parameter schemas of the `hive-*` commands. lightning-cli passes numbers and booleans as JSON
 * when they parse as JSON and as strings otherwise, so numeric and boolean parameters accept
 * both forms. Unknown parameters are refused. Each schema is a `lazy` getter (core/lazy.ts).
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import type { RpcFailure } from '../../engine.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';

/** A boolean parameter: JSON `true`/`false` or the strings lightning-cli passes. */
export const flag = lazy(() => z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]));
const hours = lazy(() => z.union([z.number(), z.string().regex(/^\d{1,4}$/).transform(Number)]).pipe(z.number().int().min(1).max(168)));
/** A 66-hex compressed public key (node id). */
export const nodeId = lazy(() => z.string().regex(/^0[23][0-9a-f]{64}$/, 'expected a 66-hex node id'));

/** `hive-genesis [hive_id]`. */
export const GenesisParams = lazy(() => z.object({ hive_id: z.string().min(1).max(64).optional() }).strict());
/** `hive-invite [valid_hours=24] [req_splice] [req_dual_fund] [req_version] [clhive]`. */
export const InviteParams = lazy(() =>
  z
    .object({
      valid_hours: hours().optional(),
      req_splice: flag().optional(),
      req_dual_fund: flag().optional(),
      req_version: z.string().max(32).optional(),
      /** A ticket in cl-hive's own form, for a cl-hive node (rpc/invite-clhive.ts). */
      clhive: flag().optional(),
    })
    .strict(),
);
/** `hive-join ticket [peer_id]`. */
export const JoinParams = lazy(() => z.object({ ticket: z.string().min(1).max(16_384), peer_id: nodeId().optional() }).strict());
/** `hive-status`, `hive-members`: no parameters. */
export const NoParams = lazy(() => z.object({}).strict());

/**
 * Validate `params` against the schema `schema` returns (the getters above: each command's schema
 * is built on its first call, not when the engine loads; issue 19 §4).
 * @returns the parsed value, or an `invalidParams` RpcFailure naming the parameter and the rule.
 */
export function parseParams<T>(method: string, schema: () => z.ZodType<T>, params: Record<string, unknown>): { ok: true; value: T } | { ok: false; error: RpcFailure } {
  const r = schema().safeParse(params);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const name = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'params');
  return { ok: false, error: rpcFailure(RPC_ERROR.invalidParams, `${method}: ${name}: ${issue.message}`) };
}
