/**
 * Enrolment from first boot (issue 8 §2): the role the operator wrote in the boot partition's
 * `[hive]` section reaches the daemon as `/etc/hivebox/hive-role.json` (`hivebox firstboot`,
 * runtime/firstboot/render.ts), and `hivebox run` acts on it once the engine is up:
 *
 * - `{"role":"genesis"}` → `hive-genesis` (this box founds a hive; the signer's invite key is its admin);
 * - `{"role":"member","ticket":"…"}` → `hive-join` with the ticket, asking the connected peers;
 * - no file, `{"role":null}`, or this node already in a hive → nothing.
 *
 * The role is a wish for a box that is in no hive yet, never a command repeated against a hive it
 * is in: every attempt first reads `hive-status`. An attempt that can succeed later (signer
 * unplugged, no connected peer yet, join still in progress, lightningd busy) is retried every
 * `retry_s`; a bad file or a ticket that is malformed or expired stops the retries and is
 * logged as an error the operator can act on (`hivebox join TICKET` by hand, or a new ticket in
 * hivebox.toml and a reboot).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { decodeTicket } from '../core/ticket/codec.ts';
import { RPC_ERROR } from '../node/hive/rpc/errors.ts';
import type { StatusResult } from '../node/hive/rpc/status.ts';
import { RpcFailure, type LogFn } from '../node/engine.ts';

/** The role file as firstboot writes it. */
export const HiveRoleFile = z.discriminatedUnion('role', [
  z.object({ role: z.literal('genesis') }),
  z.object({ role: z.literal('member'), ticket: z.string().min(1).max(16 * 1024) }),
  z.object({ role: z.null() }),
]);
export type HiveRoleFile = z.infer<typeof HiveRoleFile>;

/** What one attempt ended with. `retry`: try again after `retry_s`; the others are final. */
export type HiveRoleOutcome =
  | { readonly kind: 'no_role' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'in_hive'; readonly hive_id: string }
  | { readonly kind: 'founded'; readonly hive_id: string }
  | { readonly kind: 'joined'; readonly hive_id: string }
  | { readonly kind: 'bad_ticket'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string };

/** The engine calls enrolment needs (`Daemon.engine` in production). */
export interface RoleEngine {
  rpc(method: string, params: Record<string, unknown>): Promise<unknown>;
}

/**
 * Read the role file. @returns null when there is none (a box not enrolled by firstboot, or
 * `hivebox run` outside the appliance); `{ error }` for a file that is not a role file.
 */
export function readHiveRole(path: string): HiveRoleFile | null | { readonly error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { error: `${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `${path}: not JSON` };
  }
  const parsed = HiveRoleFile.safeParse(json);
  if (!parsed.success) return { error: `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'role'} ${i.message}`).join('; ')}` };
  return parsed.data;
}

/** Errors after which only the operator can help (a new ticket). */
const FINAL_JOIN_ERRORS = new Set<number>([RPC_ERROR.badTicket, RPC_ERROR.invalidParams]);

/**
 * One enrolment attempt: read the file, ask the engine whether we are in a hive, act on the role.
 * A member's ticket is decoded and its expiry checked against `now` (unix seconds) before any peer
 * is asked, so a ticket that can never work is reported at once. Never throws.
 */
export async function applyHiveRole(path: string, engine: RoleEngine, now: number): Promise<HiveRoleOutcome> {
  const role = readHiveRole(path);
  if (role === null || (!('error' in role) && role.role === null)) return { kind: 'no_role' };
  if ('error' in role) return { kind: 'invalid', reason: role.error };
  try {
    const status = (await engine.rpc('hive-status', {})) as StatusResult;
    if (status.hive_id !== null) return { kind: 'in_hive', hive_id: status.hive_id };
    if (role.role === 'genesis') {
      const r = (await engine.rpc('hive-genesis', {})) as { hive_id: string };
      return { kind: 'founded', hive_id: r.hive_id };
    }
    const ticket = decodeTicket(role.ticket);
    if (!ticket.ok) return { kind: 'bad_ticket', reason: `not a Hive invite ticket: ${ticket.error.code === 'malformed' ? ticket.error.reason : ticket.error.code}` };
    if (ticket.value.expires_at <= now) return { kind: 'bad_ticket', reason: `the ticket expired at ${new Date(ticket.value.expires_at * 1000).toISOString()}; ask the hive admin for a new one` };
    const r = (await engine.rpc('hive-join', { ticket: role.ticket })) as { hive_id: string };
    return { kind: 'joined', hive_id: r.hive_id };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (e instanceof RpcFailure && role.role === 'member' && FINAL_JOIN_ERRORS.has(e.code)) return { kind: 'bad_ticket', reason };
    return { kind: 'retry', reason };
  }
}

/** A running enrolment loop. */
export interface HiveRoleLoop {
  /** Resolves with the final outcome (never `retry`), or null when stopped first. */
  readonly settled: Promise<HiveRoleOutcome | null>;
  stop(): void;
}

/** Apply the role now and, while the outcome is `retry`, every `retry_s` seconds; logs each outcome. `now`: unix seconds. */
export function startHiveRole(opts: { readonly path: string; readonly retry_s: number; readonly engine: RoleEngine; readonly log: LogFn; readonly now: () => number }): HiveRoleLoop {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wake: (() => void) | null = null;
  const settled = (async (): Promise<HiveRoleOutcome | null> => {
    while (!stopped) {
      const out = await applyHiveRole(opts.path, opts.engine, opts.now());
      if (stopped) return null;
      if (out.kind === 'no_role') return out;
      if (out.kind === 'retry') {
        opts.log('warn', 'hive_role_retry', { path: opts.path, reason: out.reason, retry_s: opts.retry_s });
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, opts.retry_s * 1000);
        });
        continue;
      }
      const level = out.kind === 'invalid' || out.kind === 'bad_ticket' ? 'error' : 'info';
      opts.log(level, `hive_role_${out.kind}`, { path: opts.path, ...out });
      return out;
    }
    return null;
  })();
  return {
    settled,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
  };
}
