/**
 * The schemas this node supports and the lookup the gate uses (spec 002 §4 "Schema Versioning").
 * A schema id is `hive:<name>/v<N>`; an unknown name or version is rejected with
 * `supported_schemas` so the agent can downgrade. Credential `allowed_schemas` patterns are
 * exact ids, `hive:<name>/*` or `*` (cl-hive management credential allowlist).
 */
import type { SchemaDef } from './action.ts';
import { configV1 } from './config.ts';
import { expansionV1 } from './expansion.ts';
import { feePolicyV1 } from './fee-policy.ts';
import { monitorV1 } from './monitor.ts';
import { rebalanceV1 } from './rebalance.ts';

/** Every schema this node executes, by id. */
export const SCHEMAS: ReadonlyMap<string, SchemaDef> = new Map([feePolicyV1, rebalanceV1, configV1, monitorV1, expansionV1].map((s) => [s.id, s]));

/** What the node advertises (spec 002 §4 "supported_schemas"), sorted. */
export const SUPPORTED_SCHEMAS: readonly string[] = [...SCHEMAS.keys()].sort();

const SCHEMA_ID_RE = /^hive:[a-z][a-z0-9-]{0,40}\/v[1-9]\d{0,3}$/;

/** True when `id` has the `hive:<name>/v<N>` form. */
export function isSchemaId(id: string): boolean {
  return SCHEMA_ID_RE.test(id);
}

/** True when `schemaId` matches one of the credential's `allowed_schemas` patterns. */
export function schemaAllowed(schemaId: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === '*' || p === schemaId || (p.endsWith('/*') && schemaId.startsWith(p.slice(0, -1))));
}
