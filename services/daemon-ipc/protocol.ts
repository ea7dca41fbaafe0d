/**
 * Plugin → daemon messages of the IPC protocol (README.md in this folder): one JSON object per
 * line. Every line the daemon reads is checked against these zod schemas before it is acted on;
 * node ids are 66-hex, payloads are bounded even-length hex. The daemon → plugin lines are checked
 * without zod, in daemon-lines.ts, so the plugin does not load it.
 */
import { z } from 'zod';
import { lazy } from '../../runtime/core/lazy.ts';
import { IPC_LIMITS } from './limits.ts';

const nodeId = lazy(() => z.string().regex(/^0[23][0-9a-f]{64}$/, 'expected a 66-hex node id'));
const hexPayload = lazy(() =>
  z
    .string()
    .max(IPC_LIMITS.max_payload_hex)
    .regex(/^(?:[0-9a-f]{2}){2,}$/, 'expected lowercase even-length hex with a 2-byte type'),
);

/** Plugin → daemon, no answer: a `custommsg` hook delivery (payload includes the 2-byte BOLT type). */
export const CustomMsgEvent = lazy(() => z.object({ op: z.literal('custommsg'), peer_id: nodeId(), payload: hexPayload() }).strict());
/** Plugin → daemon, no answer: the `peer_connected` hook (features = the peer's init features hex). */
export const PeerConnectedEvent = lazy(() =>
  z
    .object({ op: z.literal('peer_connected'), peer_id: nodeId(), direction: z.enum(['in', 'out']), features: z.string().regex(/^[0-9a-f]*$/).max(1024) })
    .strict(),
);
/** Plugin → daemon, no answer: the `connect` notification. */
export const ConnectEvent = lazy(() => z.object({ op: z.literal('connect'), peer_id: nodeId(), direction: z.enum(['in', 'out']) }).strict());
/** Plugin → daemon, no answer: the `disconnect` notification. */
export const DisconnectEvent = lazy(() => z.object({ op: z.literal('disconnect'), peer_id: nodeId() }).strict());

/** Why an inbound custom message was dropped (services/daemon-ipc/inbound-budget.ts `InboundDropReason`). */
export const DropReason = lazy(() => z.enum(['peer_msgs_budget', 'peer_bytes_budget', 'nonmember_total_budget', 'queue_full']));
/** Plugin → daemon, no answer: custom messages the plugin dropped by the budgets since its last report, per peer and reason. */
export const InboundDropsEvent = lazy(() =>
  z
    .object({
      op: z.literal('inbound_drops'),
      drops: z.array(z.object({ peer_id: nodeId(), member: z.boolean(), reason: DropReason(), count: z.number().int().positive() }).strict()).max(IPC_LIMITS.max_drop_reports),
    })
    .strict(),
);

/** Every event the plugin forwards. */
export const IpcEvent = lazy(() => z.discriminatedUnion('op', [CustomMsgEvent(), PeerConnectedEvent(), ConnectEvent(), DisconnectEvent(), InboundDropsEvent()]));
/** A forwarded hook/notification (see `IpcEvent` schema). */
export type IpcEvent = z.infer<ReturnType<typeof IpcEvent>>;

/** Plugin → daemon request: greeting sent on every (re)connect; carries lightningd's init configuration. */
export const HelloRequest = lazy(() =>
  z
    .object({
      id: z.number().int().nonnegative(),
      op: z.literal('hello'),
      protocol: z.number().int(),
      plugin_version: z.string().max(64),
      lightning: z.object({ lightning_dir: z.string().max(4096), rpc_file: z.string().max(4096), network: z.string().max(32) }).strict(),
    })
    .strict(),
);
/** Plugin → daemon request: a `hive-*` command passed through lightningd (params already named). */
export const RpcRequest = lazy(() =>
  z
    .object({
      id: z.number().int().nonnegative(),
      op: z.literal('rpc'),
      method: z.string().regex(/^hive-[a-z0-9-]{1,64}$/),
      params: z.record(z.string(), z.unknown()),
    })
    .strict(),
);

/** Every request the plugin sends (each gets exactly one response with the same id). */
export const IpcRequest = lazy(() => z.discriminatedUnion('op', [HelloRequest(), RpcRequest()]));
/** A plugin request: hello or rpc (see `IpcRequest` schema). */
export type IpcRequest = z.infer<ReturnType<typeof IpcRequest>>;

/** A line the plugin may send: a request (has `id`) or an event. */
export type PluginLine = { kind: 'request'; request: IpcRequest } | { kind: 'event'; event: IpcEvent };

/**
 * Decode one plugin → daemon line.
 * @returns the request or event, or a reason string (not JSON / unknown op / schema violation);
 *   for a bad request whose id is readable, `id` is set so the daemon can answer with an error.
 */
export function decodePluginLine(line: string): { ok: true; value: PluginLine } | { ok: false; reason: string; id?: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : undefined;
  if (id !== undefined) {
    const r = IpcRequest().safeParse(raw);
    return r.success ? { ok: true, value: { kind: 'request', request: r.data } } : { ok: false, reason: r.error.issues[0]?.message ?? 'bad request', id };
  }
  const e = IpcEvent().safeParse(raw);
  return e.success ? { ok: true, value: { kind: 'event', event: e.data } } : { ok: false, reason: e.error.issues[0]?.message ?? 'bad event' };
}
