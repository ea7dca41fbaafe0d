/**
 * The firstboot status file (/var/lib/hivebox/firstboot-status.json): what the last
 * `hivebox firstboot` run imported, generated and could not use. The daemon reads it as the
 * `firstboot` health component: any problem makes the box `degraded` with the problems as the
 * reason (MQTT `state.health_reasons`), so a bad or missing setting is visible on the LAN while
 * the box keeps running.
 */
import { z } from 'zod';
import { parseJsonAs } from './json-file.ts';
import type { Observation } from '../core/health/health-machine.ts';

/** Version of the status file layout. */
export const FIRSTBOOT_STATUS_VERSION = 1 as const;

/** The status file's content. */
export const FirstbootStatusSchema = z.object({
  version: z.literal(FIRSTBOOT_STATUS_VERSION),
  /** True when nothing is missing or refused. */
  ok: z.boolean(),
  /** Unix seconds of the run. */
  at: z.number().int().nonnegative(),
  /** `imported` (a boot file was read), `kept` (no boot file: previous settings), `defaults` (neither). */
  source: z.enum(['imported', 'kept', 'defaults']),
  problems: z.array(z.object({ key: z.string(), reason: z.string() })),
  /** Dotted keys taken from the boot file. */
  imported: z.array(z.string()),
  /** Secrets generated on the box (e.g. `mqtt.password`). */
  generated: z.array(z.string()),
  /** Secrets blanked in the boot file after import. */
  redacted: z.array(z.string()),
});

/** A parsed status file. */
export type FirstbootStatus = z.infer<typeof FirstbootStatusSchema>;

/** Name of the health component fed from the status file. */
export const FIRSTBOOT_COMPONENT = 'firstboot';

/** Parse status file text; null when it is not a valid status. */
export function parseFirstbootStatus(text: string): FirstbootStatus | null {
  return parseJsonAs(FirstbootStatusSchema, text);
}

/** One line for logs and MQTT: `bitcoind.rpc_host: missing: …; hive.role: …`. */
export function describeProblems(problems: FirstbootStatus['problems']): string {
  return problems.map((p) => `${p.key}: ${p.reason}`).join('; ');
}

/**
 * The health observation for a status file's text (null = file missing): up when the last run was
 * clean; down with the problems as reason otherwise (the health machine shortens long reasons).
 */
export function firstbootObservation(text: string | null): Observation {
  if (text === null) return { component: FIRSTBOOT_COMPONENT, up: false, reason: 'firstboot has not run (no status file)' };
  const s = parseFirstbootStatus(text);
  if (!s) return { component: FIRSTBOOT_COMPONENT, up: false, reason: 'firstboot status file unreadable' };
  return s.ok ? { component: FIRSTBOOT_COMPONENT, up: true } : { component: FIRSTBOOT_COMPONENT, up: false, reason: describeProblems(s.problems) };
}
