/**
 * One MQTT client session on u8-mqtt, kept up: transport.ts opens TCP/TLS/WebSocket, u8-mqtt sends
 * CONNECT; MQTT 5 falls back to 3.1.1 when the broker refuses 5 and `protocol` is `auto` (3.1.1
 * CONNACK 0x01 / MQTT 5 reason 0x84); after a refusal or a lost connection it tries again every
 * second (`reconnect`), logging a failure once, not once a second. Shared by the status publisher,
 * `hivebox status --watch` and `hivebox mqtt remove`.
 *
 * While no session is up, a `publish` waits in u8-mqtt's in-memory queue and goes out once the
 * next one is; `stop()` fails whatever still waits. u8-mqtt does not retransmit a QoS 1 PUBLISH
 * whose PUBACK a lost connection swallowed (that publish then fails), and notices a half-open
 * connection only when TCP does.
 */
import type { U8Client, U8Connect, U8MqttError, U8Publish } from 'u8-mqtt/esm/node/v5.js';
import { mqtt_v4, mqtt_v5 } from 'u8-mqtt/esm/node/v5.js';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { MqttConfig } from './config.ts';
import { type BrokerTransport, openTransport } from './transport.ts';

const PROTOCOL_REFUSED = new Set([1, 132]); // 3.1.1 CONNACK 0x01 / MQTT 5 reason 0x84: unsupported protocol version
const RECONNECT_MS = 1000;
const KEEPALIVE_S = 30;
/** Bound on the TCP/TLS/WebSocket handshake and on waiting for CONNACK (ms). */
const CONNECT_TIMEOUT_MS = 5000;

/** How to hold a session. */
export interface MqttSessionOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` (config.ts). */
  readonly url: string;
  /** PEM of the broker's CA (TLS forms); none = the system roots. */
  readonly ca?: string;
  readonly protocol: 'auto' | '5' | '3.1.1';
  readonly client_id: string;
  readonly username?: string;
  readonly password?: string;
  /** Last will, published by the broker retained at QoS 1 when the connection is lost without DISCONNECT. */
  readonly will?: { readonly topic: string; readonly payload: string };
  /** Every inbound PUBLISH (QoS 1 is acknowledged here). */
  readonly onMessage?: (pkt: U8Publish, text: string) => void;
  /** A session is up (after every accepted CONNACK). */
  readonly onUp?: (version: 4 | 5) => void;
  /** An attempt failed: `reason` as logged. */
  readonly onFailure?: (reason: string) => void;
  /** Try again every second after a failure or a lost connection; default true. */
  readonly reconnect?: boolean;
  readonly log: (line: string) => void;
}

/** A session being held. Methods never throw. */
export interface MqttSession {
  /** True between an accepted CONNACK and the connection going down. */
  up(): boolean;
  /** Resolves true as soon as a session is up (at once when one is), false after `timeout_ms` or on `stop()`. */
  upWithin(timeout_ms: number): Promise<boolean>;
  /** 5, or 4 (= 3.1.1) after a fallback or when forced. */
  version(): 4 | 5;
  /** PUBLISH at QoS 1; resolves on PUBACK (queued while no session is up). `reason` on failure. */
  publish(topic: string, payload: string, retain: boolean): Promise<Result<void, string>>;
  /** SUBSCRIBE at QoS 1. */
  subscribe(topics: readonly string[]): Promise<Result<void, string>>;
  /** DISCONNECT (suppresses the will) when up, then drop the connection; nothing reconnects. Waits at most `timeout_ms`. */
  stop(timeout_ms: number): Promise<void>;
}

/** The broker half of the session options `config` names: url, protocol, credentials, and the CA read from `ca_file`. @throws Error when `ca_file` cannot be read. */
export async function brokerOf(config: MqttConfig): Promise<Pick<MqttSessionOptions, 'url' | 'ca' | 'protocol' | 'username' | 'password'>> {
  return {
    url: config.url,
    ...(config.ca_file ? { ca: await Bun.file(config.ca_file).text() } : {}),
    protocol: config.protocol,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
  };
}

/** Settle with `p`, or with undefined after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

/** The message of a thrown value. */
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Inbound PUBLISH payloads are UTF-8 text (state, commands, HA birth); one decoder serves them all. */
const utf8 = new TextDecoder();

/** Start holding a session with the broker at `opts.url`; returns at once. */
export function startMqttSession(opts: MqttSessionOptions): MqttSession {
  const { log } = opts;
  const reconnect = opts.reconnect ?? true;
  let version: 4 | 5 = opts.protocol === '3.1.1' ? 4 : 5;
  let stopping = false;
  let session = false;
  let transport: BrokerTransport | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let lastFailure = '';
  /** Callers of `upWithin` waiting for the next session (true) or for `stop()` (false). */
  const waiters = new Set<(up: boolean) => void>();
  const wake = (up: boolean) => {
    for (const w of waiters) w(up);
    waiters.clear();
  };

  /** CONNECT, built afresh for every attempt (u8-mqtt fills defaults into the packet it is given). */
  const connectPacket = (): U8Connect => ({
    client_id: opts.client_id,
    keep_alive: KEEPALIVE_S,
    flags: { clean_start: true },
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.will ? { will: { ...opts.will, qos: 1, retain: true } } : {}),
  });

  const later = () => {
    if (!stopping && reconnect && retry === undefined) retry = setTimeout(attempt, RECONNECT_MS);
  };

  const failed = (line: string) => {
    if (line !== lastFailure) log(`mqtt: ${line}`);
    lastFailure = line;
    opts.onFailure?.(line);
    later();
  };

  /** Open the transport and hand it to the client, whose `on_live` sends CONNECT. */
  const attempt = () => {
    retry = undefined;
    if (stopping) return;
    const c = client;
    openTransport(opts.url, opts.ca, CONNECT_TIMEOUT_MS).then(
      (t) => {
        if (stopping || c !== client) return t.destroy();
        transport = t;
        t.attach(c);
      },
      (e: unknown) => failed(`broker ${opts.url} unreachable${reconnect ? ', retrying' : ''}: ${message(e)}`),
    );
  };

  /** CONNECT over a fresh transport; on a refusal drop the transport (and fall back to 3.1.1 when allowed). */
  const handshake = async (c: U8Client, v: 4 | 5) => {
    try {
      const accepted = await withTimeout(c.connect(connectPacket()), CONNECT_TIMEOUT_MS);
      if (accepted === undefined) throw new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`);
    } catch (e) {
      const code = Number((e as U8MqttError).reason);
      transport?.destroy();
      if (v === 5 && opts.protocol === 'auto' && PROTOCOL_REFUSED.has(code)) {
        log('mqtt: broker refused MQTT 5, falling back to 3.1.1');
        version = 4;
        client = makeClient(4);
        return attempt();
      }
      return failed(`connection refused by ${opts.url}: ${PROTOCOL_REFUSED.has(code) ? 'Unacceptable protocol version' : message(e)}`);
    }
    if (stopping || c !== client) return;
    session = true;
    lastFailure = '';
    wake(true);
    opts.onUp?.(v);
  };

  const makeClient = (v: 4 | 5): U8Client => {
    const c: U8Client = (v === 5 ? mqtt_v5 : mqtt_v4)({
      on_mqtt_type: {
        mqtt_publish: (pkt) => {
          if (c !== client) return;
          if (pkt.qos === 1) void c.puback(pkt).catch(() => undefined);
          opts.onMessage?.(pkt, utf8.decode(pkt.payload));
        },
      },
      on_live: () => void handshake(c, v),
      on_disconnect: () => {
        if (c !== client) return;
        if (session && !stopping) log(`mqtt: connection to ${opts.url} lost${reconnect ? ', reconnecting' : ''}`);
        session = false;
        transport = null;
        later();
      },
      on_error: (e, evt) => log(`mqtt: ${evt}: ${message(e)}`),
      log_conn: () => undefined,
      on_sub: (suback) => suback, // no topic router: mqtt_publish above takes every message
    });
    return c;
  };
  let client = makeClient(version);
  attempt();

  return {
    up: () => session,
    upWithin(timeout_ms) {
      if (session || stopping) return Promise.resolve(session);
      const { promise, resolve } = Promise.withResolvers<boolean>();
      const timer = setTimeout(() => (waiters.delete(resolve), resolve(false)), timeout_ms);
      waiters.add((up) => (clearTimeout(timer), resolve(up)));
      return promise;
    },
    version: () => version,
    async publish(topic, payload, retain) {
      try {
        const [ack, failure] = (await client.pub({ topic, payload, qos: 1, retain })) ?? [];
        if (failure !== undefined) return err(`no PUBACK: ${failure}`);
        if (ack?.reason && !ack.reason.ok) return err(ack.reason.reason);
        return ok(undefined);
      } catch (e) {
        return err(message(e));
      }
    },
    async subscribe(topics) {
      try {
        const [ack, failure] = await client.subscribe(topics, { qos: 1 });
        return failure === undefined && ack ? ok(undefined) : err(`no SUBACK: ${failure ?? 'none'}`);
      } catch (e) {
        return err(message(e));
      }
    },
    async stop(timeout_ms) {
      if (stopping) return;
      stopping = true;
      clearTimeout(retry);
      wake(false);
      if (session) await withTimeout(client.disconnect(), timeout_ms);
      session = false;
      client.conn.abort(new Error('MQTT session closed'));
      transport?.destroy();
      transport = null;
    },
  };
}
