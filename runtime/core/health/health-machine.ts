/**
 * The appliance's one health state machine (issue 6 §3): `starting → healthy ⇄ degraded → failed`,
 * driven by component observations. Pure: `stepHealth(spec, state, input, now_s)` returns the next
 * state and effects; the daemon logs and publishes every `transition` effect (journal, MQTT
 * `state`, sd_notify STATUS=) and sends READY=1 on the `ready` effect.
 *
 * Rules (derived from the component table each time, never stored separately):
 * - `failed`  — a critical component exhausted its restart budget, or startup outlived
 *               `startup_timeout_s`. Terminal: the daemon exits and systemd's Restart= takes over.
 * - `starting`— some component needed for READY (store, signer check, backend) has not been up yet,
 *               or some component has not been observed at all yet (until `startup_timeout_s`).
 * - `healthy` — every component's last observation was up.
 * - `degraded`— otherwise; `reasons` names each component that is down and why.
 * Times are unix seconds.
 */
import { err, ok, type Result } from '../result.ts';
import type { UnixSeconds } from '../types.ts';

/** The four health states. */
export type HealthStatus = 'starting' | 'healthy' | 'degraded' | 'failed';

/** One supervised component as the machine sees it. */
export interface ComponentSpec {
  /** Short stable name: `store`, `signer`, `backend`, `lightningd`, `plugin`, `mosquitto`, `swarm`. */
  readonly name: string;
  /** Must have been up once before READY=1 (store, signer check, backend). */
  readonly required_for_ready: boolean;
  /** Giving up on it fails the daemon (true) or only degrades it for good (false). */
  readonly critical: boolean;
}

/** The machine's fixed configuration. */
export interface HealthSpec {
  readonly components: readonly ComponentSpec[];
  /** Longest time in `starting` before the daemon is `failed` (seconds). */
  readonly startup_timeout_s: number;
}

/** Why the daemon is not healthy: one line per affected component. */
export interface HealthReason {
  readonly component: string;
  readonly reason: string;
}

/** Last observation of one component. `up: null` = not observed yet. */
export interface ComponentHealth {
  readonly up: boolean | null;
  readonly reason: string | null;
  /** When `up` last changed (seconds). */
  readonly since: number;
  /** Its restart budget ran out (set by a `gave_up` input, cleared when it is seen up again). */
  readonly gave_up: boolean;
  /** Has been up at least once since the daemon started. */
  readonly ever_up: boolean;
}

/** The machine's state. */
export interface HealthState {
  readonly status: HealthStatus;
  readonly reasons: readonly HealthReason[];
  /** When `status` or `reasons` last changed (seconds). */
  readonly since: number;
  readonly started_at: number;
  /** READY=1 has been requested (emitted once, on leaving `starting`). */
  readonly ready: boolean;
  readonly components: Readonly<Record<string, ComponentHealth>>;
}

/**
 * One component observation. `gave_up: true` means its restart budget ran out (the restart policy
 * said so); it implies down.
 */
export interface Observation {
  readonly component: string;
  readonly up: boolean;
  readonly reason?: string;
  readonly gave_up?: boolean;
}

/**
 * What the machine accepts: a batch of observations (normally one supervisor round, so a round
 * yields at most one transition), or a clock tick (startup timeout).
 */
export type HealthInput = { readonly kind: 'observed'; readonly observations: readonly Observation[] } | { readonly kind: 'tick' };

/**
 * What the driver must do. `transition` comes whenever the status or its reasons change (so `from`
 * may equal `to`, e.g. `degraded` with a new reason); `ready` comes once, on leaving `starting`.
 */
export type HealthEffect =
  | {
      readonly kind: 'transition';
      readonly from: HealthStatus;
      readonly to: HealthStatus;
      readonly reasons: readonly HealthReason[];
      readonly at: number;
    }
  | { readonly kind: 'ready' };

/** Why an input was refused (state unchanged). */
export type HealthReject =
  | { readonly kind: 'UnknownComponent'; readonly component: string }
  | { readonly kind: 'AlreadyFailed' };

/** Longest stored reason text (chars); longer probe messages are cut. */
export const REASON_MAX_CHARS = 160;

/** The state before any observation. */
export function initialHealth(spec: HealthSpec, now_s: UnixSeconds): HealthState {
  const components: Record<string, ComponentHealth> = {};
  for (const c of spec.components) components[c.name] = { up: null, reason: null, since: now_s, gave_up: false, ever_up: false };
  const blank: HealthState = { status: 'starting', reasons: [], since: now_s, started_at: now_s, ready: false, components };
  return { ...blank, reasons: derive(spec, blank, now_s).reasons };
}

function clampReason(reason: string | undefined, fallback: string): string {
  const r = (reason ?? '').trim() || fallback;
  return r.length > REASON_MAX_CHARS ? `${r.slice(0, REASON_MAX_CHARS - 1)}…` : r;
}

function derive(spec: HealthSpec, s: HealthState, now_s: UnixSeconds): { status: HealthStatus; reasons: HealthReason[] } {
  const fatal: HealthReason[] = [];
  const waitingRequired: HealthReason[] = [];
  const waitingOther: HealthReason[] = [];
  const down: HealthReason[] = [];
  for (const c of spec.components) {
    const h = s.components[c.name]!;
    if (h.gave_up && c.critical) fatal.push({ component: c.name, reason: h.reason ?? 'gave up' });
    if (!s.ready && c.required_for_ready && !h.ever_up) waitingRequired.push({ component: c.name, reason: h.reason ?? 'not up yet' });
    else if (!s.ready && h.up === null) waitingOther.push({ component: c.name, reason: 'not observed yet' });
    if (h.up !== true) down.push({ component: c.name, reason: h.reason ?? 'not observed yet' });
  }
  if (fatal.length) return { status: 'failed', reasons: fatal };
  const timedOut = now_s - s.started_at >= spec.startup_timeout_s;
  if (waitingRequired.length && timedOut) {
    return { status: 'failed', reasons: waitingRequired.map((w) => ({ component: w.component, reason: `startup timed out: ${w.reason}` })) };
  }
  if (waitingRequired.length || (waitingOther.length && !timedOut)) return { status: 'starting', reasons: [...waitingRequired, ...waitingOther] };
  return down.length ? { status: 'degraded', reasons: down } : { status: 'healthy', reasons: [] };
}

function sameReasons(a: readonly HealthReason[], b: readonly HealthReason[]): boolean {
  return a.length === b.length && a.every((r, i) => r.component === b[i]!.component && r.reason === b[i]!.reason);
}

/**
 * Apply one input at `now_s` (seconds).
 * @returns the next state and effects, or a typed reject with the state unchanged
 *   (unknown component; anything after `failed`, which is terminal).
 */
export function stepHealth(
  spec: HealthSpec,
  state: HealthState,
  input: HealthInput,
  now_s: UnixSeconds,
): Result<{ state: HealthState; effects: HealthEffect[] }, HealthReject> {
  if (state.status === 'failed') return err({ kind: 'AlreadyFailed' });
  const components: Record<string, ComponentHealth> = { ...state.components };
  for (const o of input.kind === 'observed' ? input.observations : []) {
    const prev = components[o.component];
    if (!prev) return err({ kind: 'UnknownComponent', component: o.component });
    if (o.gave_up) {
      components[o.component] = { ...prev, up: false, gave_up: true, reason: clampReason(o.reason, 'gave up'), since: prev.up === false ? prev.since : now_s };
    } else if (o.up) {
      components[o.component] = { up: true, reason: null, since: prev.up === true ? prev.since : now_s, gave_up: false, ever_up: true };
    } else {
      components[o.component] = { ...prev, up: false, reason: clampReason(o.reason, 'down'), since: prev.up === false ? prev.since : now_s };
    }
  }
  const interim: HealthState = { ...state, components };
  const { status, reasons } = derive(spec, interim, now_s);
  const effects: HealthEffect[] = [];
  const becomesReady = !state.ready && status !== 'starting' && status !== 'failed';
  if (becomesReady) effects.push({ kind: 'ready' });
  const changed = status !== state.status || !sameReasons(reasons, state.reasons);
  if (changed) effects.push({ kind: 'transition', from: state.status, to: status, reasons, at: now_s });
  return ok({
    state: { ...interim, status, reasons, since: changed ? now_s : state.since, ready: state.ready || becomesReady },
    effects,
  });
}

/** One human-readable line for logs and sd_notify STATUS=: `degraded: mosquitto (inactive); plugin (not listed)`. */
export function describeHealth(status: HealthStatus, reasons: readonly HealthReason[]): string {
  return reasons.length ? `${status}: ${reasons.map((r) => `${r.component} (${r.reason})`).join('; ')}` : status;
}
