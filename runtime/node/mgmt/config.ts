/**
 * The `[mgmt]` section of the hivebox configuration (issue 9; spec 002): whether this node accepts
 * remote management (answers 49152), whose credentials and revocations it trusts, which Cashu
 * mints it takes payment from, its local policy (`[mgmt.policy]`), and, optionally, the DID key
 * with which it acts as an advisor for other members (`hive-mgmt-command`). `mgmtEngineOptions`
 * turns a validated section into the sub-engine's options (runtime/node/compose/engine-factory.ts
 * composes it with the Hive engine).
 */
import { z } from 'zod';
import { localPolicySchema } from '../../core/mgmt/policy.ts';

/** Default `receipt_retention_days`: longer than the longest credential (730 days) whose work the receipts prove. */
export const DEFAULT_RECEIPT_RETENTION_DAYS = 800;

/** `[mgmt]`. */
export const MgmtSection = z
  .object({
    /** Accept management commands (49152) from advisors holding a credential of a trusted issuer. Off by default. */
    enabled: z.boolean().default(false),
    /** SQLite store of credentials, nonces, receipts, subscriptions (`~` expands to $HOME). */
    store_path: z.string().min(1).default('/var/lib/hivebox/mgmt.sqlite'),
    /** DIDs of the operator(s) whose credentials and revocations this node accepts (`did:key:…`, `did:cid:…`). */
    trusted_issuers: z.array(z.string().regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, 'a DID')).max(32).default([]),
    /** Cashu mint URLs accepted as payment (NUT-00 tokens from other mints are refused). */
    allowed_mints: z.array(z.string().url()).max(32).default([]),
    /** Archon gatekeeper for `did:cid` resolution; without it only `did:key` resolves. */
    gatekeeper_url: z.string().url().optional(),
    /** This node's advisor DID key file (mode 0600, 64 hex); set it to send `hive-mgmt-command`. */
    advisor_key_file: z.string().min(1).optional(),
    /** Stored receipts (of authenticated commands only) are deleted this many days after they were signed. */
    receipt_retention_days: z.number().int().min(1).max(3650).default(DEFAULT_RECEIPT_RETENTION_DAYS),
    /** The local policy: always the last word over any credential (spec 002 "Trust Model"). */
    policy: localPolicySchema.partial().prefault({}),
  })
  .strict();

/** Validated `[mgmt]` section. */
export type MgmtSettings = z.infer<typeof MgmtSection>;

/** Whether `[mgmt]` asks for the management sub-engine: management on, or an advisor key set. */
export function mgmtWanted(s: MgmtSettings): boolean {
  return s.enabled || s.advisor_key_file !== undefined;
}
