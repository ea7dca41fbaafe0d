/**
 * `Change`: the accumulator a fleet handler builds its result with. Each write is applied to the
 * in-memory state at once (so later checks in the same step see it) and recorded as a persist
 * effect, in order; `done()` returns the step. Local to one pure call — nothing escapes but the
 * returned values. `refuse()` is the other exit: the given state, one warn log, the reject.
 */
import { applyWrite, type StoreWrite } from '../machines/membership.ts';
import { applyFleetWrite, type FleetRows, type TableName } from './tables.ts';
import type { FleetEffect, FleetReject, FleetState, FleetStep } from './types.ts';

/** Accumulates writes and effects over one step. */
export class Change {
  /** The state with every write so far applied. */
  state: FleetState;
  readonly effects: FleetEffect[] = [];

  constructor(state: FleetState) {
    this.state = state;
  }

  /** Insert or replace a fleet row. */
  put<T extends TableName>(table: T, row: FleetRows[T]): this {
    const write = { op: 'put', table, row } as const;
    this.state = { ...this.state, tables: applyFleetWrite(this.state.tables, write as never) };
    this.effects.push({ kind: 'persist_fleet', write: write as never });
    return this;
  }

  /** Delete a fleet row by key (a no-op write when absent is skipped). */
  del(table: TableName, key: string): this {
    if (!this.state.tables[table].has(key)) return this;
    const write = { op: 'delete', table, key } as const;
    this.state = { ...this.state, tables: applyFleetWrite(this.state.tables, write as never) };
    this.effects.push({ kind: 'persist_fleet', write: write as never });
    return this;
  }

  /** A membership write (members, bans). */
  member(write: StoreWrite): this {
    this.state = { ...this.state, membership: applyWrite(this.state.membership, write) };
    this.effects.push({ kind: 'persist', write });
    return this;
  }

  /** Replace memory-only parts of the state. */
  set(patch: Partial<Omit<FleetState, 'tables' | 'membership'>>): this {
    this.state = { ...this.state, ...patch };
    return this;
  }

  /** Add non-persist effects. */
  emit(...effects: FleetEffect[]): this {
    this.effects.push(...effects);
    return this;
  }

  /** A structured log record. */
  log(level: 'info' | 'warn', event: string, fields: Record<string, unknown> = {}, peer_id?: string): this {
    this.effects.push({ kind: 'log', level, event, fields, ...(peer_id === undefined ? {} : { peer_id }) });
    return this;
  }

  /** The next sequence number (request and intent ids). */
  seq(): number {
    const n = this.state.next_seq;
    this.state = { ...this.state, next_seq: n + 1 };
    return n;
  }

  /** The finished step. */
  done(): FleetStep {
    return { state: this.state, effects: this.effects, reject: null };
  }
}

/** Refuse an input: `state` unchanged, a warn log carrying the evidence, and the reject. */
export function refuse(state: FleetState, reject: FleetReject): FleetStep {
  return {
    state,
    effects: [
      {
        kind: 'log',
        level: 'warn',
        event: 'fleet_reject',
        reason: reject.reason,
        ...(reject.peer_id === undefined ? {} : { peer_id: reject.peer_id }),
        fields: { ...(reject.msg_type === undefined ? {} : { msg_type: reject.msg_type }), ...reject.fields },
      },
    ],
    reject,
  };
}
