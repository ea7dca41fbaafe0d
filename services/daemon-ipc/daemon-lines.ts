/**
 * Daemon → plugin lines of the IPC protocol (README.md in this folder): the answers to the plugin's
 * requests and the daemon's pushes, with a hand-written check of their few fixed shapes. The plugin,
 * which only relays, loads this file and not zod (zod alone was ~8 MiB of the plugin's resident
 * memory; issue 19 §4); the plugin → daemon lines the daemon reads keep their zod schemas
 * (protocol.ts). The checks are exactly those the zod schemas made: strict keys, 66-hex node ids,
 * bounded lists, positive integer budgets.
 */
import { IPC_LIMITS } from './limits.ts';
import type { InboundBudgetConfig } from './inbound-budget.ts';
import type { IpcEvent, IpcRequest } from './protocol.ts';

/** A JSON-RPC-style error object carried back to lightningd unchanged (`{code, message, data?}`). */
export interface IpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** Daemon → plugin: the answer to request `id` — a result or an error. */
export type IpcResponse = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: IpcErrorObject };

/**
 * Daemon → plugin, no answer: the fleet's global ignore list (HIVE_BAN_PEER targets, spec 000
 * §3.3), sent after every hello and whenever it changes. The plugin refuses channel opens from
 * these node ids in its `openchannel` / `openchannel2` hooks.
 */
export interface IgnoreListPush {
  readonly op: 'ignore_list';
  readonly node_ids: string[];
}

/**
 * Daemon → plugin, no answer: the hive's members and the inbound budgets, sent after every hello and
 * whenever membership changes. The plugin applies the budgets to `custommsg` hooks before
 * forwarding, so a flood never reaches the socket; it reports what it dropped.
 */
export interface MembersPush {
  readonly op: 'members';
  readonly node_ids: string[];
  /** The inbound budgets (`[daemon] inbound_*`), each a positive integer ≤ 10^9 per second (queue: events). */
  readonly budget: InboundBudgetConfig;
}

/** A line the daemon sends without being asked. */
export type DaemonPush = IgnoreListPush | MembersPush;

/** A line the daemon may send: the answer to a request, or a push. */
export type DaemonLine = { kind: 'response'; response: IpcResponse } | { kind: 'push'; push: DaemonPush };

const NODE_ID = /^0[23][0-9a-f]{64}$/;
const BUDGET_KEYS: readonly (keyof InboundBudgetConfig)[] = [
  'inbound_member_msgs_per_s',
  'inbound_member_bytes_per_s',
  'inbound_nonmember_msgs_per_s',
  'inbound_nonmember_bytes_per_s',
  'inbound_nonmember_total_msgs_per_s',
  'inbound_queue_max',
];

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first key of `o` outside `allowed`, or null. */
function extraKey(o: Obj, allowed: readonly string[]): string | null {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return k;
  return null;
}

function nodeIdsProblem(v: unknown): string | null {
  if (!Array.isArray(v)) return 'node_ids: expected an array';
  if (v.length > IPC_LIMITS.max_ignore_list) return `node_ids: more than ${IPC_LIMITS.max_ignore_list} entries`;
  for (const id of v) if (typeof id !== 'string' || !NODE_ID.test(id)) return 'node_ids: expected 66-hex node ids';
  return null;
}

function budgetProblem(v: unknown): string | null {
  if (!isObject(v)) return 'budget: expected an object';
  const extra = extraKey(v, BUDGET_KEYS);
  if (extra !== null) return `budget: unknown key ${extra}`;
  for (const k of BUDGET_KEYS) {
    const n = v[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > 1_000_000_000) return `budget.${k}: expected an integer 1..10^9`;
  }
  return null;
}

function pushProblem(raw: Obj): string | null {
  if (raw.op === 'ignore_list') {
    const extra = extraKey(raw, ['op', 'node_ids']);
    return extra !== null ? `unknown key ${extra}` : nodeIdsProblem(raw.node_ids);
  }
  if (raw.op === 'members') {
    const extra = extraKey(raw, ['op', 'node_ids', 'budget']);
    return extra !== null ? `unknown key ${extra}` : (nodeIdsProblem(raw.node_ids) ?? budgetProblem(raw.budget));
  }
  return "unknown op: expected 'ignore_list' | 'members'";
}

function responseProblem(raw: Obj): string | null {
  const id = raw.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return 'id: expected a non-negative integer';
  if ('result' in raw) {
    const extra = extraKey(raw, ['id', 'result']);
    return extra === null ? null : `unknown key ${extra}`;
  }
  const extra = extraKey(raw, ['id', 'error']);
  if (extra !== null) return `unknown key ${extra}`;
  const e = raw.error;
  if (!isObject(e)) return 'expected result or error';
  if (extraKey(e, ['code', 'message', 'data']) !== null) return 'error: unknown key';
  if (typeof e.code !== 'number' || !Number.isInteger(e.code)) return 'error.code: expected an integer';
  return typeof e.message === 'string' ? null : 'error.message: expected a string';
}

/**
 * Decode one daemon → plugin line.
 * @returns the response or push, or a reason string (not JSON, unknown op, a field out of shape);
 *   a refused line is refused whole.
 */
export function decodeDaemonLine(line: string): { ok: true; value: DaemonLine } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(raw)) return { ok: false, reason: 'expected a JSON object' };
  if ('op' in raw) {
    const problem = pushProblem(raw);
    return problem === null ? { ok: true, value: { kind: 'push', push: raw as unknown as DaemonPush } } : { ok: false, reason: problem };
  }
  const problem = responseProblem(raw);
  return problem === null ? { ok: true, value: { kind: 'response', response: raw as unknown as IpcResponse } } : { ok: false, reason: problem };
}

/** Serialise one message as a protocol line (JSON never contains a raw newline). */
export function encodeLine(msg: IpcEvent | IpcRequest | IpcResponse | DaemonPush): string {
  return `${JSON.stringify(msg)}\n`;
}
