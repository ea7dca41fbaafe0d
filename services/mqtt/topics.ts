/**
 * Hivebox's MQTT topic layout (issue 6 §4, ecosystem.md §C):
 *   hivebox/<node_id_prefix>/availability   retained `online` | `offline` (also the last will)
 *   hivebox/<node_id_prefix>/state          retained JSON StatusSnapshot
 *   hivebox/<node_id_prefix>/channels       retained JSON channel health summary (channel-health.ts)
 *   hivebox/<node_id_prefix>/event/<kind>   QoS 1, not retained
 *   hivebox/<node_id_prefix>/cmd/<name>     only when commands are enabled (non-destructive)
 *   homeassistant/device/hivebox_<node_id_prefix>/config   retained Home Assistant device discovery
 *   homeassistant/status                    Home Assistant's birth/will (`online` → republish discovery)
 */

/** Hex characters of the node id used in topics: `03864ef025fd` (40 bits after the 02/03 byte). */
export const NODE_ID_PREFIX_CHARS = 12;

/** Payloads of the availability topic (Home Assistant `payload_available` / `payload_not_available`). */
export const AVAILABILITY = { online: 'online', offline: 'offline' } as const;

/** Every topic one node publishes or listens to. */
export interface StatusTopics {
  readonly nodeIdPrefix: string;
  readonly base: string;
  readonly availability: string;
  readonly state: string;
  /** Retained channel health summary. */
  readonly channels: string;
  /** `…/event/<kind>`. */
  event(kind: string): string;
  /** `…/cmd/<name>`. */
  command(name: string): string;
  /** Home Assistant device discovery config topic. */
  readonly discovery: string;
  /** Home Assistant's status topic (birth `online` / will `offline`). */
  readonly haStatus: string;
}

/** First {@link NODE_ID_PREFIX_CHARS} hex characters of a 66-hex node id (lowercased). */
export function nodeIdPrefix(nodeId: string): string {
  return nodeId.toLowerCase().slice(0, NODE_ID_PREFIX_CHARS);
}

/**
 * Topics for `nodeId` under `prefix` (default `hivebox`) and Home Assistant's `discoveryPrefix`
 * (default `homeassistant`). Prefixes must be plain topic levels (`[A-Za-z0-9_-]`), checked by config.ts.
 */
export function statusTopics(nodeId: string, prefix = 'hivebox', discoveryPrefix = 'homeassistant'): StatusTopics {
  const p = nodeIdPrefix(nodeId);
  const base = `${prefix}/${p}`;
  return {
    nodeIdPrefix: p,
    base,
    availability: `${base}/availability`,
    state: `${base}/state`,
    channels: `${base}/channels`,
    event: (kind) => `${base}/event/${kind}`,
    command: (name) => `${base}/cmd/${name}`,
    discovery: `${discoveryPrefix}/device/hivebox_${p}/config`,
    haStatus: `${discoveryPrefix}/status`,
  };
}

/**
 * The retained topics a node leaves on the broker: Home Assistant discovery, state, channel health, availability.
 * An empty retained payload deletes each (MQTT 5 §3.3.1.3), which removes the device from Home Assistant.
 */
export function retainedTopics(topics: StatusTopics): readonly string[] {
  return [topics.discovery, topics.state, topics.channels, topics.availability];
}
