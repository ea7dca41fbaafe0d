/**
 * The engine's settings: the `[hive]` section of the hivebox configuration (issue 3 §3
 * "Configuration"; runtime/config/schema.ts adds it to the file schema) and the values the
 * handshake machines take from it. Every key has a default.
 */
import { z } from 'zod';
import { DEFAULT_FLEET_CONFIG, MAX_MEMBERS_LIMIT } from '../../core/fleet/index.ts';
import { DEFAULT_FRAMING_CONFIG, type FramingConfig } from '../../core/wire/index.ts';
import { HIVEBOX_MANIFEST_PREFIX } from '../../core/ticket/verify.ts';
import pkg from '../../../package.json' with { type: 'json' };

/** `[hive]`: the membership store, the handshake and the operator commands. */
export const HiveSection = z
  .object({
    /** SQLite membership store (bun:sqlite, WAL). `~` expands to $HOME. */
    store_path: z.string().min(1).default('/var/lib/hivebox/hive.db'),
    /** Seconds a first-contact HELLO waits for CHALLENGE before the next framing is tried (spec framing, then cl-hive). */
    challenge_timeout_s: z.number().int().min(1).max(600).default(DEFAULT_FRAMING_CONFIG.challenge_timeout_s),
    /** Admit cl-hive nodes that present a CHANNELD_NORMAL channel instead of a ticket (issue 2 §6; default off). */
    accept_clhive_channel_join: z.boolean().default(false),
    /** How long `hive-join` waits for WELCOME before it answers "still in progress", seconds. */
    join_wait_s: z.number().int().min(1).max(600).default(120),
    /** Seconds the operator has to press the signer button (shown as the countdown when the signer reports none). */
    approval_timeout_s: z.number().int().min(5).max(600).default(60),
    /** Most members the hive may have (cl-hive's `max_members`, default 50, range 2–250; cl-hive's is 2–100): no HELLO is answered and no member row adopted beyond it. */
    max_members: z.number().int().min(2).max(MAX_MEMBERS_LIMIT).default(DEFAULT_FLEET_CONFIG.max_members),
    /** Anti-entropy: seconds between STATE_HASHes to one random connected member (plus 0–25 % jitter); a lost GOSSIP is repaired within two periods (FULL_SYNC answers stay limited to one per member per 60 s). */
    anti_entropy_interval_s: z.number().int().min(10).max(3_600).default(DEFAULT_FLEET_CONFIG.anti_entropy_interval_s),
    /** Seconds between refreshes of our gossiped status and the members' public capacities (also refreshed on every membership change). */
    status_interval_s: z.number().int().min(5).max(3_600).default(60),
    /** Vouch by itself for a neophyte that asks for promotion once its probation is over (full members only; default off). */
    auto_vouch: z.boolean().default(false),
    /** Days a neophyte is on probation before `auto_vouch` vouches for it (cl-hive `probation_days`). */
    probation_days: z.number().int().min(0).max(365).default(90),
  })
  .strict();

/** Validated `[hive]` section. */
export type HiveSettings = z.infer<typeof HiveSection>;

/** The defaults of every `[hive]` key (parsed once, at import: without zod's JIT, which would compile a parser first). */
export const DEFAULT_HIVE_SETTINGS: HiveSettings = HiveSection.parse({}, { jitless: true });

/** The framing strategy configuration these settings select. */
export function framingConfigOf(s: HiveSettings): FramingConfig {
  return { challenge_timeout_s: s.challenge_timeout_s };
}

/** The manifest `version` this build announces in ATTEST: `hivebox v<package version>`. */
export const MANIFEST_VERSION = `${HIVEBOX_MANIFEST_PREFIX}${pkg.version}`;
