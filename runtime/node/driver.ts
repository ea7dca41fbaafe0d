/**
 * The one driver of every pure step (the Hive's `hiveStep`, the management `mgmtStep`, and the
 * simulated fleets that run `hiveStep`):
 * step → commit the step's effects in ONE store transaction → only if that commits, adopt the new
 * state → carry out the effects in order, each kind through its entry in an effect table (a table
 * that must name every effect kind, so a new effect is a compile error until it is handled).
 * A commit that fails leaves the state as it was and carries nothing out.
 *
 * The driver does no I/O of its own: the store transaction and the effect handlers are its ports.
 * Handlers may be synchronous (in-memory ports: tests/sim) or asynchronous (lightningd, the fleet
 * signer: runtime/node/hive, runtime/node/mgmt); `carryOut` is synchronous exactly when every handler it runs is.
 */
import { err, ok, type Result } from '../core/result.ts';

/** What a pure step returns: the next state, the effects (store writes among them), and a refusal or null. */
export interface StepOutcome<S, E, R> {
  readonly state: S;
  readonly effects: readonly E[];
  readonly reject?: R | null;
}

/** One handler per effect kind; `C` is what the handlers act on (the engine, a simulated node). */
export type EffectTable<E extends { readonly kind: string }, C, T extends void | Promise<void>> = {
  readonly [K in E['kind']]: (ctx: C, effect: Extract<E, { kind: K }>) => T;
};

/** The store transaction: every store write among `effects` in one transaction, or an error and nothing written. */
export type CommitPort<E, X> = (effects: readonly E[]) => { readonly ok: true } | { readonly ok: false; readonly error: X };

/** A step driver over state `S`, effects `E`, refusals `R`, store errors `X`, handler target `C`. */
export class StepDriver<S, E extends { readonly kind: string }, R, X, C, T extends void | Promise<void>> {
  constructor(
    private current: S,
    private readonly commit: CommitPort<E, X>,
    private readonly effects: EffectTable<E, C, T>,
    private readonly target: C,
  ) {}

  /** The adopted state (changed only by a step whose transaction committed). */
  get state(): S {
    return this.current;
  }

  /**
   * Commit `step`'s effects (after `prefix`, writes made outside the step that belong to the same
   * transaction) and adopt its state.
   * @returns the step's refusal (null when accepted), or the store error (then nothing changed).
   */
  adopt(step: StepOutcome<S, E, R>, prefix: readonly E[] = []): Result<R | null, X> {
    const committed = this.commit(prefix.length ? [...prefix, ...step.effects] : step.effects);
    if (!committed.ok) return err(committed.error);
    this.current = step.state;
    return ok(step.reject ?? null);
  }

  /**
   * Change settings the store does not hold (re-applied from the config at every start): the only
   * state change outside a step.
   */
  reconfigure(update: (state: S) => S): void {
    this.current = update(this.current);
  }

  /** Carry out `effects` in order through the table; a handler's promise is awaited before the next effect runs. */
  carryOut(effects: readonly E[], from = 0): T {
    for (let i = from; i < effects.length; i++) {
      const e = effects[i]!;
      const done = (this.effects[e.kind as E['kind']] as (ctx: C, effect: E) => T)(this.target, e);
      if (done instanceof Promise) return done.then(() => this.carryOut(effects, i + 1)) as T;
    }
    return undefined as T;
  }
}
