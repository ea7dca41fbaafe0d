/**
 * The daemon's supervisor: probes named components, restarts them with backoff and a bounded
 * budget, and keeps the one health state machine (runtime/core/health) up to date.
 *
 * Each round (`checkOnce`) probes every component in parallel (each probe bounded by
 * `probe_timeout_ms`), runs each observation through the pure restart policy, feeds the whole
 * round to the health machine as one batch (so a round makes at most one transition), then runs
 * the restart actions the policy asked for, and hands every health
 * `transition` to `onTransition` (log + MQTT + sd_notify STATUS=) and `ready` to `onReady`
 * (sd_notify READY=1). A component that `runs_in` another (the plugin in lightningd) waits while
 * that one is down instead of spending its restart budget. Probes and restart actions are injected so the same supervisor drives
 * systemd units (components.ts), lightningd's `plugin start`, or the simnet.
 * The clock is injected (`now()` → unix seconds) so backoff and budgets are testable without waiting.
 */
import {
  type ComponentSpec,
  type HealthEffect,
  type HealthInput,
  type HealthState,
  initialHealth,
  type Observation,
  stepHealth,
} from '../../runtime/core/health/health-machine.ts';
import {
  DEFAULT_RESTART_POLICY,
  INITIAL_RESTART_STATE,
  type RestartEffect,
  type RestartPolicy,
  type RestartState,
  refundRestart,
  stepRestart,
} from '../../runtime/core/health/restart-policy.ts';
import type { Result } from '../../runtime/core/result.ts';

/** A probe's verdict. `reason` is one short human line (`getinfo: connection refused`). */
export type ProbeResult = { up: true } | { up: false; reason: string };

/** One supervised component: what it is, how to look at it, and how to restart it. */
export interface SupervisedComponent extends ComponentSpec {
  /** Resolve with the component's state; a throw or a timeout counts as down with that reason. */
  probe(): Promise<ProbeResult>;
  /** Bring it back; absent for components the daemon can only observe (store, signer). */
  restart?: () => Promise<Result<void, string>>;
  /** Backoff and budget; default {@link DEFAULT_RESTART_POLICY}. */
  readonly policy?: RestartPolicy;
  /**
   * Name of the component this one runs inside (`lightningd` for the plugin). While that one is
   * down, and for HOST_START_GRACE_S after it is back, this one is not restarted; a restart that
   * failed because it went down is not counted.
   */
  readonly runs_in?: string;
}

/** Something the supervisor did or saw, for the journal. */
export type SupervisorEvent =
  | { kind: 'restart'; component: string; attempt: number; restarts_in_window: number; outcome: Result<void, string>; counted?: false }
  | { kind: 'gave_up'; component: string; restarts_in_window: number; window_s: number };

/** Supervisor wiring. */
export interface SupervisorOptions {
  readonly components: readonly SupervisedComponent[];
  /** Longest time in `starting` before `failed` (seconds). */
  readonly startup_timeout_s: number;
  /** Unix seconds; injected (tests pass a fake clock). */
  readonly now: () => number;
  /** Bound on each probe (ms). Default 5000. */
  readonly probe_timeout_ms?: number;
  /** Every health transition, with the state after it. */
  readonly onTransition?: (t: Extract<HealthEffect, { kind: 'transition' }>, state: HealthState) => void;
  /** Startup finished (send READY=1). Called once. */
  readonly onReady?: (state: HealthState) => void;
  /** Restarts and give-ups. */
  readonly onEvent?: (e: SupervisorEvent) => void;
}

/** A running supervisor. */
export interface Supervisor {
  /** The current health state. */
  health(): HealthState;
  /** One probe round; resolves with the health state after it. Rounds never overlap. */
  checkOnce(): Promise<HealthState>;
  /** Run `checkOnce` every `interval_ms` (first round at once). @returns stop. */
  start(interval_ms: number): () => void;
}

/**
 * Seconds a component waits after its host came back before it is restarted: lightningd answers
 * RPC while it is still handing its configured plugins `init`, and a `plugin start` then would
 * race the plugin lightningd is starting itself.
 */
export const HOST_START_GRACE_S = 15;

async function runProbe(c: SupervisedComponent, timeout_ms: number): Promise<ProbeResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ up: false, reason: `probe timed out after ${timeout_ms} ms` }), timeout_ms);
  });
  try {
    return await Promise.race([c.probe(), timeout]);
  } catch (e) {
    return { up: false, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Build a supervisor. Component names must be unique.
 * @throws Error on duplicate component names (a wiring bug, not a runtime condition).
 */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const names = new Set(opts.components.map((c) => c.name));
  if (names.size !== opts.components.length) throw new Error('supervisor: duplicate component names');
  const spec = { components: opts.components, startup_timeout_s: opts.startup_timeout_s };
  let health = initialHealth(spec, opts.now());
  const restarts = new Map<string, RestartState>(opts.components.map((c) => [c.name, INITIAL_RESTART_STATE]));
  let running: Promise<HealthState> | null = null;
  /** When each component was last seen down (seconds): a host just back gets HOST_START_GRACE_S. */
  const hostDownAt = new Map<string, number>();

  const feed = (input: HealthInput) => {
    const r = stepHealth(spec, health, input, opts.now());
    if (!r.ok) return;
    health = r.value.state;
    for (const e of r.value.effects) {
      if (e.kind === 'ready') opts.onReady?.(health);
      else opts.onTransition?.(e, health);
    }
  };

  const round = async (): Promise<HealthState> => {
    const results = await Promise.all(opts.components.map((c) => runProbe(c, opts.probe_timeout_ms ?? 5000)));
    const observations: Observation[] = [];
    const restartsDue: [SupervisedComponent, Extract<RestartEffect, { kind: 'restart' }>, number][] = [];
    const now = opts.now();
    for (const [i, c] of opts.components.entries()) if (!results[i]!.up) hostDownAt.set(c.name, now);
    /** Why `c` must wait for its host: down now, or back for less than the start grace. */
    const waitFor = (c: SupervisedComponent): string | null => {
      const i = opts.components.findIndex((h) => h.name === c.runs_in);
      if (i < 0) return null;
      if (!results[i]!.up) return `waiting for ${c.runs_in}`;
      const down = hostDownAt.get(c.runs_in!);
      return down !== undefined && now - down < HOST_START_GRACE_S ? `waiting for ${c.runs_in} to start it` : null;
    };
    for (const [i, c] of opts.components.entries()) {
      const result = results[i]!;
      const wait = result.up ? null : waitFor(c);
      const blocked = wait !== null;
      const seen: Observation = result.up ? { component: c.name, up: true } : { component: c.name, up: false, reason: wait ? `${wait}: ${result.reason}` : result.reason };
      if (!c.restart) {
        observations.push(seen);
        continue;
      }
      const step = stepRestart(c.policy ?? DEFAULT_RESTART_POLICY, restarts.get(c.name)!, { up: result.up, blocked }, opts.now());
      restarts.set(c.name, step.state);
      const gaveUp = step.effects.find((e) => e.kind === 'gave_up');
      if (gaveUp) {
        opts.onEvent?.({ kind: 'gave_up', component: c.name, restarts_in_window: gaveUp.restarts_in_window, window_s: gaveUp.window_s });
        const last = result.up ? '' : `: ${result.reason}`;
        observations.push({ component: c.name, up: false, gave_up: true, reason: `gave up after ${gaveUp.restarts_in_window} restarts in ${gaveUp.window_s} s${last}` });
      } else {
        observations.push(seen);
      }
      for (const e of step.effects) if (e.kind === 'restart') restartsDue.push([c, e, step.state.restarts.at(-1)!]);
    }
    feed({ kind: 'observed', observations });
    feed({ kind: 'tick' });
    for (const [c, e, at] of restartsDue) {
      const outcome = await c.restart!().catch((x: unknown) => ({ ok: false as const, error: x instanceof Error ? x.message : String(x) }));
      const host = opts.components.find((h) => h.name === c.runs_in);
      const hostGone = !outcome.ok && host !== undefined && !(await runProbe(host, opts.probe_timeout_ms ?? 5000)).up;
      if (hostGone) restarts.set(c.name, refundRestart(restarts.get(c.name)!, at));
      opts.onEvent?.({ kind: 'restart', component: c.name, attempt: e.attempt, restarts_in_window: hostGone ? e.restarts_in_window - 1 : e.restarts_in_window, outcome, ...(hostGone ? { counted: false } : {}) });
    }
    return health;
  };

  const checkOnce = (): Promise<HealthState> => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    health: () => health,
    checkOnce,
    start(interval_ms) {
      void checkOnce();
      const timer = setInterval(() => void checkOnce(), interval_ms);
      return () => clearInterval(timer);
    },
  };
}
