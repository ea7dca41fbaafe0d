/**
 * The LAN status publisher (issue 6 §4): one u8-mqtt client that keeps `hivebox/<prefix>/…`
 * and the Home Assistant discovery config current on a broker.
 *
 * - Connects with MQTT 5 and falls back to 3.1.1 when the broker refuses 5 (`protocol: auto`).
 * - Last will: `availability = offline`, retained, QoS 1. On every (re)connect it publishes
 *   `online`, the discovery config, and a fresh state, so a broker restart heals itself.
 * - `homeassistant/status = online` (HA restarted) → discovery and state are published again.
 * - State is pulled from an injected provider (no engine dependency), validated, published
 *   retained on demand and every `state_interval_s`; so is the channel health summary
 *   (`…/channels`, channel-health.ts) when a provider is given.
 * - Read-only unless `commands: true`; then only `…/cmd/refresh` (republish) is accepted.
 * - `close()` publishes `offline` before disconnecting (a clean DISCONNECT suppresses the will);
 *   `uninstall()` clears every retained topic, removing the device from Home Assistant.
 * - Reconnects every second while the broker is away (session.ts, transport.ts).
 *
 * Why u8-mqtt (npm, BSD-2-Clause, no dependencies, MQTT 3.1.1 and 5) and not MQTT.js: every
 * appliance runs the daemon with `[mqtt]`, and MQTT.js (5.16, CommonJS pulling readable-stream, bl,
 * ws, socks, debug, …) was the largest single cost in the daemon's steady RSS. Compiled x64 binaries,
 * each dropped from the page cache first, VmRSS 1.5 s after connecting to mosquitto (MQTT 5, will)
 * and one retained QoS 1 publish, median of 3 (2026-12-07): a binary that only sleeps 22.5 MiB,
 * MQTT.js 50.6 MiB (+28.1), u8-mqtt through session.ts 34.2 MiB (+11.7, the same as u8-mqtt used
 * bare). What u8-mqtt does not do (session.ts): retransmit a QoS 1 PUBLISH whose PUBACK a lost
 * connection swallowed (the retained topics are republished on the reconnect anyway).
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { type ChannelHealthSummary, ChannelHealthSummarySchema } from './channel-health.ts';
import type { MqttConfig } from './config.ts';
import { type CommandName, COMMANDS, type DeviceInfo, discoveryPayload } from './discovery.ts';
import { EVENT_KINDS, EVENT_MAX_BYTES, type EventKind, type PublishedState, type StatusSnapshot, StatusSnapshotSchema } from './snapshot.ts';
import { AVAILABILITY, retainedTopics, type StatusTopics, statusTopics } from './topics.ts';
import { brokerOf, startMqttSession, withTimeout } from './session.ts';

/** Why a publish did not happen. */
export type PublishError =
  | { readonly kind: 'NotConnected' }
  | { readonly kind: 'BadSnapshot'; readonly issues: string }
  | { readonly kind: 'SnapshotFailed'; readonly reason: string }
  | { readonly kind: 'BadEvent'; readonly reason: string }
  | { readonly kind: 'PublishFailed'; readonly reason: string }
  | { readonly kind: 'Closed' };

/** How to start a publisher. */
export interface StatusPublisherOptions {
  readonly config: MqttConfig;
  /** Node id, software version and model for topics and the HA device block. */
  readonly device: DeviceInfo;
  /** Current state; called on every publish. May be async; a throw is reported, not propagated. */
  readonly snapshot: () => StatusSnapshot | Promise<StatusSnapshot>;
  /** Unix seconds for `updated_at`; default wall clock. */
  readonly now?: () => number;
  /** Journal line sink; default stderr. */
  readonly log?: (line: string) => void;
  /** Channel health summary for the retained `channels` topic, published with the state; null = nothing read yet. */
  readonly channelHealth?: () => ChannelHealthSummary | null | Promise<ChannelHealthSummary | null>;
  /** Called after an accepted command was handled (commands must be enabled). */
  readonly onCommand?: (name: CommandName) => void;
}

/** A running publisher. Methods never throw. */
export interface StatusPublisher {
  readonly topics: StatusTopics;
  /** True while the client holds a broker session. */
  connected(): boolean;
  /** Resolves true as soon as the client holds a broker session (at once when it does), false after `timeout_ms` or on close. */
  connectedWithin(timeout_ms: number): Promise<boolean>;
  /** MQTT protocol level in use: 5, or 4 (= 3.1.1) after a fallback. */
  protocolVersion(): 4 | 5;
  /** Publish the retained state now (call on every health transition or engine change). */
  publishState(): Promise<Result<void, PublishError>>;
  /**
   * Publish `event/<kind>` at QoS 1 (not retained). While offline the message waits in u8-mqtt's
   * in-memory queue and the promise settles after the reconnect's PUBACK; `PublishFailed` when the
   * publisher is closed first, or when the connection drops after the PUBLISH went out and before
   * its PUBACK (u8-mqtt does not send it again).
   */
  publishEvent(kind: EventKind, payload: Record<string, unknown>): Promise<Result<void, PublishError>>;
  /** Graceful stop: `offline` (retained), then DISCONNECT. Waits at most `timeout_ms` (default 3000). */
  close(timeout_ms?: number): Promise<void>;
  /** Remove everything retained (discovery config, state, availability) and disconnect. */
  uninstall(timeout_ms?: number): Promise<void>;
}

/**
 * Start publishing. Resolves at once with the publisher (it does not wait for the broker: the
 * daemon must come up with mosquitto down; the client keeps reconnecting every second).
 * @throws Error only when `ca_file` cannot be read (a configuration error).
 */
export async function startStatusPublisher(opts: StatusPublisherOptions): Promise<StatusPublisher> {
  const { config } = opts;
  const log = opts.log ?? ((line: string) => console.error(line));
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const topics = statusTopics(opts.device.nodeId, config.topic_prefix, config.discovery_prefix);
  const broker = await brokerOf(config);
  let closed = false;
  /** Set by `close`/`uninstall`: messages from the broker (HA birth, commands) no longer trigger publishing. */
  let stopping = false;
  /** The announcement of the current connection, awaited by `close`/`uninstall` so none of it lands after their last words. */
  let announcing: Promise<void> = Promise.resolve();

  const publish = async (topic: string, payload: string, retain: boolean): Promise<Result<void, PublishError>> => {
    const r = await session.publish(topic, payload, retain);
    return r.ok ? r : err({ kind: 'PublishFailed', reason: r.error });
  };

  const publishState = async (): Promise<Result<void, PublishError>> => {
    if (closed) return err({ kind: 'Closed' });
    if (!session.up()) return err({ kind: 'NotConnected' });
    let raw: StatusSnapshot;
    try {
      raw = await opts.snapshot();
    } catch (e) {
      return err({ kind: 'SnapshotFailed', reason: e instanceof Error ? e.message : String(e) });
    }
    const parsed = StatusSnapshotSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      log(`mqtt: state not published, snapshot invalid: ${issues}`);
      return err({ kind: 'BadSnapshot', issues });
    }
    const state: PublishedState = { ...parsed.data, updated_at: now(), sw_version: opts.device.swVersion };
    const published = await publish(topics.state, JSON.stringify(state), true);
    return published.ok ? publishChannels() : published;
  };

  /** The retained channel health summary, when the provider has one that passes its schema. */
  const publishChannels = async (): Promise<Result<void, PublishError>> => {
    if (!opts.channelHealth) return ok(undefined);
    let summary: ChannelHealthSummary | null;
    try {
      summary = await opts.channelHealth();
    } catch (e) {
      return err({ kind: 'SnapshotFailed', reason: e instanceof Error ? e.message : String(e) });
    }
    if (summary === null) return ok(undefined);
    const parsed = ChannelHealthSummarySchema.safeParse(summary);
    if (!parsed.success) {
      log(`mqtt: channel health not published: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return err({ kind: 'BadSnapshot', issues: parsed.error.message });
    }
    return publish(topics.channels, JSON.stringify({ ...parsed.data, updated_at: now() }), true);
  };

  const publishDiscovery = () =>
    config.discovery ? publish(topics.discovery, JSON.stringify(discoveryPayload(topics, opts.device, config.commands)), true) : Promise.resolve(ok(undefined));

  const onConnect = async (version: 4 | 5) => {
    log(`mqtt: connected to ${config.url} (MQTT ${version === 5 ? '5' : '3.1.1'})`);
    const subs = [...(config.discovery ? [topics.haStatus] : []), ...(config.commands ? Object.keys(COMMANDS).map((c) => topics.command(c)) : [])];
    const subscribed = subs.length ? await session.subscribe(subs) : ok(undefined);
    if (!subscribed.ok) log(`mqtt: subscribe failed: ${subscribed.error}`);
    for (const r of [await publish(topics.availability, AVAILABILITY.online, true), await publishDiscovery(), await publishState()]) {
      if (!r.ok && r.error.kind !== 'BadSnapshot') log(`mqtt: publish on connect failed: ${JSON.stringify(r.error)}`);
    }
  };

  const onMessage = ({ topic }: { topic: string }, text: string) => {
    if (stopping) return;
    if (config.discovery && topic === topics.haStatus && text === 'online') {
      log('mqtt: Home Assistant came online, republishing discovery');
      void publishDiscovery().then(() => publishState());
      return;
    }
    if (!config.commands || text !== 'PRESS') return;
    const name = (Object.keys(COMMANDS) as CommandName[]).find((c) => topics.command(c) === topic);
    if (name === 'refresh') {
      void publishState().then(() => opts.onCommand?.(name));
    }
  };

  const session = startMqttSession({
    ...broker,
    client_id: config.client_id ?? `hivebox_${topics.nodeIdPrefix}`,
    will: { topic: topics.availability, payload: AVAILABILITY.offline },
    onMessage,
    onUp: (version) => {
      announcing = onConnect(version);
    },
    log,
  });
  const timer = setInterval(() => void publishState(), config.state_interval_s * 1000);

  const shutdown = async (clearRetained: boolean, timeout_ms: number) => {
    if (closed) return;
    stopping = true;
    clearInterval(timer);
    await withTimeout(announcing, timeout_ms);
    if (session.up()) {
      const last: [string, string][] = clearRetained ? retainedTopics(topics).map((t) => [t, '']) : [[topics.availability, AVAILABILITY.offline]];
      await withTimeout(Promise.all(last.map(([t, p]) => publish(t, p, true))), timeout_ms);
    }
    closed = true;
    await session.stop(timeout_ms);
  };

  return {
    topics,
    connected: () => session.up(),
    connectedWithin: (timeout_ms) => session.upWithin(timeout_ms),
    protocolVersion: () => session.version(),
    publishState,
    async publishEvent(kind, payload) {
      if (closed) return err({ kind: 'Closed' });
      if (!EVENT_KINDS.includes(kind)) return err({ kind: 'BadEvent', reason: `unknown event kind ${String(kind)}` });
      let body: string;
      try {
        body = JSON.stringify({ kind, timestamp: now(), ...payload });
      } catch (e) {
        return err({ kind: 'BadEvent', reason: e instanceof Error ? e.message : String(e) });
      }
      if (Buffer.byteLength(body) > EVENT_MAX_BYTES) return err({ kind: 'BadEvent', reason: `payload over ${EVENT_MAX_BYTES} bytes` });
      return publish(topics.event(kind), body, false);
    },
    close: (timeout_ms = 3000) => shutdown(false, timeout_ms),
    uninstall: (timeout_ms = 3000) => shutdown(true, timeout_ms),
  };
}
