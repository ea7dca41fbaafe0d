/**
 * The LAN status publisher (issue 6 §4): one MQTT.js client that keeps `hivebox/<prefix>/…`
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
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { type ChannelHealthSummary, ChannelHealthSummarySchema } from './channel-health.ts';
import type { MqttConfig } from './config.ts';
import { type CommandName, COMMANDS, type DeviceInfo, discoveryPayload } from './discovery.ts';
import { EVENT_KINDS, EVENT_MAX_BYTES, type EventKind, type PublishedState, type StatusSnapshot, StatusSnapshotSchema } from './snapshot.ts';
import { AVAILABILITY, retainedTopics, type StatusTopics, statusTopics } from './topics.ts';

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
  /** MQTT protocol level in use: 5, or 4 (= 3.1.1) after a fallback. */
  protocolVersion(): 4 | 5;
  /** Publish the retained state now (call on every health transition or engine change). */
  publishState(): Promise<Result<void, PublishError>>;
  /**
   * Publish `event/<kind>` at QoS 1 (not retained). While offline the message waits in MQTT.js's
   * in-memory queue and the promise settles after the reconnect's PUBACK.
   */
  publishEvent(kind: EventKind, payload: Record<string, unknown>): Promise<Result<void, PublishError>>;
  /** Graceful stop: `offline` (retained), then DISCONNECT. Waits at most `timeout_ms` (default 3000). */
  close(timeout_ms?: number): Promise<void>;
  /** Remove everything retained (discovery config, state, availability) and disconnect. */
  uninstall(timeout_ms?: number): Promise<void>;
}

const PROTOCOL_REFUSED = new Set([1, 132]); // 3.1.1 CONNACK 0x01 / MQTT 5 reason 0x84: unsupported protocol version

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
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
  const ca = config.ca_file ? await Bun.file(config.ca_file).text() : undefined;
  let version: 4 | 5 = config.protocol === '3.1.1' ? 4 : 5;
  let closed = false;
  /** Set by `close`/`uninstall`: messages from the broker (HA birth, commands) no longer trigger publishing. */
  let stopping = false;
  /** The announcement of the current connection, awaited by `close`/`uninstall` so none of it lands after their last words. */
  let announcing: Promise<void> = Promise.resolve();

  const options = (v: 4 | 5): IClientOptions => ({
    protocolVersion: v,
    clientId: config.client_id ?? `hivebox_${topics.nodeIdPrefix}`,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(ca ? { ca: [ca], rejectUnauthorized: true } : {}),
    clean: true,
    resubscribe: false,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    keepalive: 30,
    will: { topic: topics.availability, payload: Buffer.from(AVAILABILITY.offline), qos: 1, retain: true },
  });

  const publish = async (topic: string, payload: string, retain: boolean): Promise<Result<void, PublishError>> => {
    try {
      await client.publishAsync(topic, payload, { qos: 1, retain });
      return ok(undefined);
    } catch (e) {
      return err({ kind: 'PublishFailed', reason: e instanceof Error ? e.message : String(e) });
    }
  };

  const publishState = async (): Promise<Result<void, PublishError>> => {
    if (closed) return err({ kind: 'Closed' });
    if (!client.connected) return err({ kind: 'NotConnected' });
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

  const onConnect = async () => {
    log(`mqtt: connected to ${config.url} (MQTT ${version === 5 ? '5' : '3.1.1'})`);
    const subs = [...(config.discovery ? [topics.haStatus] : []), ...(config.commands ? Object.keys(COMMANDS).map((c) => topics.command(c)) : [])];
    if (subs.length) await client.subscribeAsync(subs, { qos: 1 }).catch((e: unknown) => log(`mqtt: subscribe failed: ${String(e)}`));
    for (const r of [await publish(topics.availability, AVAILABILITY.online, true), await publishDiscovery(), await publishState()]) {
      if (!r.ok && r.error.kind !== 'BadSnapshot') log(`mqtt: publish on connect failed: ${JSON.stringify(r.error)}`);
    }
  };

  const onMessage = (topic: string, payload: Buffer) => {
    if (stopping) return;
    const text = payload.toString('utf8');
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

  const connect = (v: 4 | 5): MqttClient => {
    const c = mqtt.connect(config.url, options(v));
    c.on('connect', () => {
      announcing = onConnect();
    });
    c.on('message', onMessage);
    c.on('offline', () => log(`mqtt: broker ${config.url} unreachable, retrying`));
    c.on('error', (e: Error & { code?: unknown }) => {
      if (v === 5 && config.protocol === 'auto' && typeof e.code === 'number' && PROTOCOL_REFUSED.has(e.code)) {
        log('mqtt: broker refused MQTT 5, falling back to 3.1.1');
        c.end(true);
        version = 4;
        client = connect(4);
        return;
      }
      log(`mqtt: ${e.message}`);
    });
    return c;
  };
  let client = connect(version);
  const timer = setInterval(() => void publishState(), config.state_interval_s * 1000);

  const shutdown = async (clearRetained: boolean, timeout_ms: number) => {
    if (closed) return;
    stopping = true;
    clearInterval(timer);
    await withTimeout(announcing, timeout_ms);
    if (client.connected) {
      const last: [string, string][] = clearRetained ? retainedTopics(topics).map((t) => [t, '']) : [[topics.availability, AVAILABILITY.offline]];
      await withTimeout(Promise.all(last.map(([t, p]) => publish(t, p, true))), timeout_ms);
    }
    closed = true;
    await withTimeout(client.endAsync(), timeout_ms);
    client.end(true);
  };

  return {
    topics,
    connected: () => client.connected,
    protocolVersion: () => version,
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
