/**
 * MQTT status configuration (issue 6 §4): broker URL (`mqtt://`, `mqtts://`, `ws://`, `wss://`),
 * credentials, TLS CA, topic prefixes, and the opt-in for command topics. Validated with zod so a
 * bad config file is a clear error at start, never a half-configured client.
 */
import { z } from 'zod';

const topicLevel = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'one plain topic level: [A-Za-z0-9_-]');

/** The `[mqtt]` section of the daemon config. */
export const MqttConfigSchema = z.object({
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883` or `mqtts://broker.lan:8883`. */
  url: z.string().regex(/^(mqtts?|wss?):\/\/[^\s]+$/, 'mqtt://, mqtts://, ws:// or wss:// URL'),
  username: z.string().min(1).max(256).optional(),
  password: z.string().max(1024).optional(),
  /** PEM file of the CA that signed the broker's certificate (mqtts/wss). */
  ca_file: z.string().min(1).optional(),
  /** Client id; default `hivebox_<node_id_prefix>`. */
  client_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  topic_prefix: topicLevel.default('hivebox'),
  discovery_prefix: topicLevel.default('homeassistant'),
  /** Publish Home Assistant discovery. */
  discovery: z.boolean().default(true),
  /** Accept non-destructive command topics (`…/cmd/refresh`). Off by default: read-only. */
  commands: z.boolean().default(false),
  /** Republish the retained state at least this often (seconds) so ages stay fresh. */
  state_interval_s: z.number().int().min(5).max(3600).default(30),
  /** MQTT protocol: 5, falling back to 3.1.1 (4) when the broker refuses 5; or force one. */
  protocol: z.enum(['auto', '5', '3.1.1']).default('auto'),
});

/** Parsed MQTT config (defaults filled in). */
export type MqttConfig = z.infer<typeof MqttConfigSchema>;

/** Input form (defaults optional). */
export type MqttConfigInput = z.input<typeof MqttConfigSchema>;

/** Parse and validate; a readable error list instead of a throw. */
export function parseMqttConfig(input: unknown): { ok: true; value: MqttConfig } | { ok: false; error: string } {
  const r = MqttConfigSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'mqtt'}: ${i.message}`).join('; ') };
}
