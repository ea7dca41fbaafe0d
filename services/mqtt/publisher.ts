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
 * - Reconnects every second while the broker is away (transport.ts opens the TCP/TLS/WebSocket).
 *
 * Why u8-mqtt (npm, BSD-2-Clause, no dependencies, MQTT 3.1.1 and 5) and not MQTT.js: every
 * appliance runs the daemon with `[mqtt]`, and MQTT.js (5.16, CommonJS with readable-stream, bl, ws,
 * socks, debug, …) was the largest single cost of the daemon's steady RSS. Compiled-binary probe,
 * binary dropped from the page cache, connect + one retained QoS 1 publish to mosquitto, VmRSS over a
 * bare process: MQTT.js +24 MiB (import +11.4, connect/publish +12.6), u8-mqtt +5.6 MiB; the daemon
 * with `[mqtt]` on a real mosquitto (`HIVEBOX_BENCH_APPLIANCE=daemon bun run bench appliance`) read
 * 72.5 MiB steady with MQTT.js. What u8-mqtt does not do, and this file does not add: it does not
 * retransmit a QoS 1 PUBLISH whose PUBACK the lost connection swallowed (the retained topics are
 * republished on the reconnect anyway), and it notices a half-open connection only when TCP does.
 */
import type { U8Client, U8MqttError, U8Publish } from 'u8-mqtt/esm/node/v5.js';
import { mqtt_v4, mqtt_v5 } from 'u8-mqtt/esm/node/v5.js';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { type ChannelHealthSummary, ChannelHealthSummarySchema } from './channel-health.ts';
import type { MqttConfig } from './config.ts';
import { type CommandName, COMMANDS, type DeviceInfo, discoveryPayload } from './discovery.ts';
import { EVENT_KINDS, EVENT_MAX_BYTES, type EventKind, type PublishedState, type StatusSnapshot, StatusSnapshotSchema } from './snapshot.ts';
import { AVAILABILITY, retainedTopics, type StatusTopics, statusTopics } from './topics.ts';
import { type BrokerTransport, openTransport } from './transport.ts';

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
   * Publish `event/<kind>` at QoS 1 (not retained). While offline the message waits in u8-mqtt's
   * in-memory queue and the promise settles after the reconnect's PUBACK (`Closed`-style
   * `PublishFailed` when the publisher is closed first).
   */
  publishEvent(kind: EventKind, payload: Record<string, unknown>): Promise<Result<void, PublishError>>;
  /** Graceful stop: `offline` (retained), then DISCONNECT. Waits at most `timeout_ms` (default 3000). */
  close(timeout_ms?: number): Promise<void>;
  /** Remove everything retained (discovery config, state, availability) and disconnect. */
  uninstall(timeout_ms?: number): Promise<void>;
}

const PROTOCOL_REFUSED = new Set([1, 132]); // 3.1.1 CONNACK 0x01 / MQTT 5 reason 0x84: unsupported protocol version
const RECONNECT_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;
const KEEPALIVE_S = 30;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

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
  /** Set by `close`/`uninstall`: messages from the broker (HA birth, commands) no longer trigger publishing, nothing reconnects. */
  let stopping = false;
  /** The announcement of the current connection, awaited by `close`/`uninstall` so none of it lands after their last words. */
  let announcing: Promise<void> = Promise.resolve();
  /** True between an accepted CONNACK and the transport going down. */
  let session = false;
  let transport: BrokerTransport | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** The last failure logged, so a broker that stays away is one journal line, not one a second. */
  let lastFailure = '';

  const connectPacket = () => ({
    client_id: config.client_id ?? `hivebox_${topics.nodeIdPrefix}`,
    keep_alive: KEEPALIVE_S,
    flags: { clean_start: true },
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    will: { topic: topics.availability, payload: AVAILABILITY.offline, qos: 1 as const, retain: true },
  });

  const publish = async (topic: string, payload: string, retain: boolean): Promise<Result<void, PublishError>> => {
    try {
      const [ack, failure] = (await client.pub({ topic, payload, qos: 1, retain })) ?? [];
      if (failure !== undefined) return err({ kind: 'PublishFailed', reason: `no PUBACK: ${failure}` });
      if (ack?.reason && !ack.reason.ok) return err({ kind: 'PublishFailed', reason: ack.reason.reason });
      return ok(undefined);
    } catch (e) {
      return err({ kind: 'PublishFailed', reason: message(e) });
    }
  };

  const publishState = async (): Promise<Result<void, PublishError>> => {
    if (closed) return err({ kind: 'Closed' });
    if (!session) return err({ kind: 'NotConnected' });
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
    if (subs.length) await client.subscribe(subs, { qos: 1 }).catch((e: unknown) => log(`mqtt: subscribe failed: ${message(e)}`));
    for (const r of [await publish(topics.availability, AVAILABILITY.online, true), await publishDiscovery(), await publishState()]) {
      if (!r.ok && r.error.kind !== 'BadSnapshot') log(`mqtt: publish on connect failed: ${JSON.stringify(r.error)}`);
    }
  };

  const onMessage = (pkt: U8Publish) => {
    if (pkt.qos === 1) void client.puback(pkt).catch(() => undefined);
    if (stopping) return;
    const { topic } = pkt;
    const text = new TextDecoder().decode(pkt.payload);
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

  /** Open the transport and hand it to the client; its `on_live` sends CONNECT. Retries every second until it works. */
  const attempt = () => {
    retry = undefined;
    if (stopping) return;
    const c = client;
    openTransport(config.url, ca, CONNECT_TIMEOUT_MS).then(
      (t) => {
        if (stopping || c !== client) return t.destroy();
        transport = t;
        t.attach(c);
      },
      (e: unknown) => failed(`broker ${config.url} unreachable, retrying: ${message(e)}`),
    );
  };

  const failed = (line: string) => {
    if (line !== lastFailure) log(`mqtt: ${line}`);
    lastFailure = line;
    if (!stopping && retry === undefined) retry = setTimeout(attempt, RECONNECT_MS);
  };

  /** CONNECT over a fresh transport; on a refusal, drop the transport (and fall back to 3.1.1 when MQTT 5 was refused and allowed to). */
  const handshake = async (c: U8Client, v: 4 | 5) => {
    try {
      const accepted = await withTimeout(c.connect(connectPacket()), CONNECT_TIMEOUT_MS);
      if (accepted === undefined) throw new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`);
    } catch (e) {
      const code = Number((e as U8MqttError).reason);
      if (v === 5 && config.protocol === 'auto' && PROTOCOL_REFUSED.has(code)) {
        log('mqtt: broker refused MQTT 5, falling back to 3.1.1');
        version = 4;
        client = makeClient(4);
        transport?.destroy();
        attempt();
        return;
      }
      const reason = PROTOCOL_REFUSED.has(code) ? 'Unacceptable protocol version' : message(e);
      transport?.destroy();
      return failed(`connection refused by ${config.url}: ${reason}`);
    }
    if (stopping || c !== client) return;
    session = true;
    lastFailure = '';
    announcing = onConnect();
  };

  const makeClient = (v: 4 | 5): U8Client => {
    const c: U8Client = (v === 5 ? mqtt_v5 : mqtt_v4)({
      on_mqtt_type: { mqtt_publish: (pkt) => (c === client ? onMessage(pkt) : undefined) },
      on_live: () => void handshake(c, v),
      on_disconnect: () => {
        if (c !== client) return;
        if (session) log(`mqtt: broker ${config.url} unreachable, retrying`);
        session = false;
        transport = null;
        if (!stopping && retry === undefined) retry = setTimeout(attempt, RECONNECT_MS);
      },
      on_error: (e, evt) => log(`mqtt: ${evt}: ${message(e)}`),
      log_conn: () => undefined,
      on_sub: (suback) => suback, // no topic router: mqtt_publish above takes every message
    });
    return c;
  };
  let client = makeClient(version);
  attempt();
  const timer = setInterval(() => void publishState(), config.state_interval_s * 1000);

  const shutdown = async (clearRetained: boolean, timeout_ms: number) => {
    if (closed) return;
    stopping = true;
    clearInterval(timer);
    clearTimeout(retry);
    await withTimeout(announcing, timeout_ms);
    if (session) {
      const last: [string, string][] = clearRetained ? retainedTopics(topics).map((t) => [t, '']) : [[topics.availability, AVAILABILITY.offline]];
      await withTimeout(Promise.all(last.map(([t, p]) => publish(t, p, true))), timeout_ms);
      await withTimeout(client.disconnect(), timeout_ms);
    }
    closed = true;
    session = false;
    client.conn.abort(new Error('publisher closed'));
    transport?.destroy();
    transport = null;
  };

  return {
    topics,
    connected: () => session,
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
