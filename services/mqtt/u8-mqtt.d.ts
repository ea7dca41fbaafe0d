/**
 * Types for the part of u8-mqtt 0.6.7 (npm, BSD-2-Clause, ships no declarations) that
 * services/mqtt uses: `esm/node/v5.js`, the MQTT 5 codec, which also speaks 3.1.1 (`mqtt_v4`).
 * Shapes read from its source (code/base.jsy, code/core.jsy, code/_conn.jsy, code/_dispatch.jsy).
 */
declare module 'u8-mqtt/esm/node/v5.js' {
  /** A CONNACK/PUBACK/SUBACK reason code: a Number with its text (`:ok:…` / `:fail:…`). */
  export interface U8Reason extends Number {
    readonly reason: string;
    readonly ok: boolean;
  }
  /** An inbound PUBLISH. */
  export interface U8Publish {
    readonly topic: string;
    readonly payload: Uint8Array;
    readonly qos: number;
    readonly retain?: boolean;
    readonly pkt_id?: number;
  }
  /** A CONNECT packet. `will.payload`/`password` as text or bytes. */
  export interface U8Connect {
    client_id: string;
    keep_alive: number;
    flags?: { clean_start?: boolean };
    username?: string;
    password?: string | Uint8Array;
    will?: { topic: string; payload: string | Uint8Array; qos: 0 | 1; retain: boolean };
  }
  /** Thrown by `connect()` when the CONNACK refuses: `reason` is the code (3.1.1 0x01–0x05, MQTT 5 ≥ 0x80). */
  export interface U8MqttError extends Error {
    readonly reason: U8Reason;
  }
  /** Client hooks, called as `hook(client, …)`; `on_mqtt_type.mqtt_publish` receives every inbound PUBLISH. */
  export interface U8Options {
    on_mqtt_type?: { mqtt_publish?: (pkt: U8Publish) => unknown };
    /** The transport is up (before CONNECT). */
    on_live?: (client: U8Client, is_reconnect: boolean) => unknown;
    /** The transport went down; `intentional` after `disconnect()`. */
    on_disconnect?: (client: U8Client, intentional: boolean, err?: unknown) => unknown;
    on_error?: (err: unknown, evt: string) => void;
    log_conn?: (evt: string, arg?: unknown, err?: unknown) => void;
    /** Called with each SUBACK promise; its return is what `subscribe` returns. The default keeps them for the topic router. */
    on_sub?: (suback: Promise<U8Answer>) => Promise<U8Answer>;
  }
  /** `[ack, undefined]`, or `[undefined, 'expired']` when no answer came within ~5 s of traffic. */
  export type U8Answer = [({ reason?: U8Reason } & Record<string, unknown>) | undefined, string | undefined];
  export interface U8Client {
    /** Send CONNECT and wait for CONNACK; throws U8MqttError on a refusal. */
    connect(pkt: U8Connect): Promise<unknown>;
    /** Send DISCONNECT (suppresses the will). */
    disconnect(): Promise<unknown>;
    /** PUBLISH; waits until the session is up. QoS 1 resolves on PUBACK. */
    pub(pkt: { topic: string; payload: string | Uint8Array; qos: 0 | 1; retain?: boolean }): Promise<U8Answer | undefined>;
    subscribe(topics: readonly string[], ex: { qos: 0 | 1 }): Promise<U8Answer>;
    puback(pkt: { pkt_id?: number }): Promise<unknown>;
    /** Run the MQTT session over a connected duplex stream (node:net / node:tls socket). */
    with_stream(stream: NodeJS.ReadableStream & NodeJS.WritableStream): U8Client;
    /** Run the MQTT session over an open WebSocket (subprotocol `mqtt`). */
    with_websock(ws: WebSocket): U8Client;
    /** Connection state; `abort(err)` fails everything waiting for a session. */
    readonly conn: { abort(err: Error): void };
  }
  export function mqtt_v5(opt?: U8Options): U8Client;
  export function mqtt_v4(opt?: U8Options): U8Client;
}
