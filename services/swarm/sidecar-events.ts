/**
 * The sidecar's event lines as types, validated with zod before the daemon acts on them
 * (services/swarm/PROTOCOL.md "Events"). Unknown or malformed lines are refused by `parseEvent`.
 */
import { z } from 'zod';
import { isSwarmKey, type SwarmKey } from '../../runtime/core/swarm/index.ts';

const key = z.string().refine(isSwarmKey, 'expected 64 lowercase hex').transform((s) => s as SwarmKey);
const id = z.number().int().optional();

const EventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('ready'), version: z.literal(1), public_key: key, max_frame_bytes: z.number().int() }),
  z.object({ event: z.literal('peer_up'), public_key: key, host: z.string().max(256), port: z.number().int(), initiator: z.boolean() }),
  z.object({ event: z.literal('peer_down'), public_key: key, reason: z.string().max(256) }),
  z.object({ event: z.literal('frame'), public_key: key, data: z.base64().max(87_384) }),
  z.object({ event: z.literal('joined'), topic: z.string(), id }),
  z.object({ event: z.literal('left'), topic: z.string(), id }),
  z.object({
    event: z.literal('stats'),
    id,
    connections: z.number().int(),
    frames_in: z.number().int(),
    frames_out: z.number().int(),
    bytes_in: z.number().int(),
    bytes_out: z.number().int(),
    uptime_ms: z.number(),
  }),
  z.object({ event: z.literal('error'), code: z.string(), message: z.string(), id, public_key: key.optional() }),
  z.object({ event: z.literal('closed') }),
]);

/** One validated sidecar event. `frame.data` is base64 of one frame payload (≤ 65,535 bytes). */
export type SidecarEvent = z.infer<typeof EventSchema>;

/** The `stats` reply. */
export type SidecarStats = Extract<SidecarEvent, { event: 'stats' }>;

/**
 * Parse one line from the sidecar.
 * @returns the event, or null for a line that is not JSON or not a known, well-formed event.
 */
export function parseEvent(line: string): SidecarEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = EventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
