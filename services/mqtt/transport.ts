/**
 * The byte stream under an MQTT session, opened to completion before u8-mqtt gets it: TCP
 * (`mqtt://`, node:net), TLS (`mqtts://`, node:tls, verified against `ca` when given, else the
 * system roots) or a WebSocket with subprotocol `mqtt` (`ws://`, `wss://`, Bun's WebSocket, same TLS
 * rule). u8-mqtt can open these itself, but a failed attempt would then leave a session set-up
 * waiting for good; here a refused, unreachable or silent broker is a plain error and nothing stays.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { U8Client } from 'u8-mqtt/esm/node/v5.js';

/** An open connection to a broker. */
export interface BrokerTransport {
  /** Run `client`'s MQTT session over it. */
  attach(client: U8Client): void;
  /** Drop the connection (no DISCONNECT: the broker sends the will). */
  destroy(): void;
}

const DEFAULT_PORTS: Record<string, number> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

/**
 * Connect to `url` (`mqtt://`, `mqtts://`, `ws://`, `wss://`; the config schema's forms).
 * @param ca PEM of the CA that signed the broker's certificate (TLS forms); none = the system roots.
 * @param timeout_ms bound on the TCP/TLS/WebSocket handshake.
 * @throws Error with the reason (refused, unreachable, certificate rejected, timed out).
 */
export function openTransport(url: string, ca: string | undefined, timeout_ms: number): Promise<BrokerTransport> {
  const u = new URL(url);
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return openWebSocket(url, ca, timeout_ms);
  const port = Number(u.port || DEFAULT_PORTS[u.protocol]);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const tls = u.protocol === 'mqtts:';
  const socket: Socket = tls ? tlsConnect({ host, port, rejectUnauthorized: true, ...(ca ? { ca } : {}) }) : tcpConnect({ host, port });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`connect to ${u.host} timed out after ${timeout_ms} ms`)), timeout_ms);
    const fail = (e: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    socket.once('error', fail);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      // u8-mqtt reads the socket's async iterator, which ends on error; keep one listener so an error is never unhandled.
      socket.on('error', () => undefined);
      resolve({ attach: (client) => client.with_stream(socket), destroy: () => socket.destroy() });
    });
  });
}

function openWebSocket(url: string, ca: string | undefined, timeout_ms: number): Promise<BrokerTransport> {
  const ws = new WebSocket(url, { protocols: ['mqtt'], ...(ca ? { tls: { ca } } : {}) });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`WebSocket ${url} timed out after ${timeout_ms} ms`)), timeout_ms);
    const fail = (e: Error) => {
      clearTimeout(timer);
      ws.close();
      reject(e);
    };
    ws.onerror = () => fail(new Error(`WebSocket ${url} failed`));
    ws.onopen = () => {
      clearTimeout(timer);
      ws.onerror = null;
      resolve({ attach: (client) => client.with_websock(ws), destroy: () => ws.close() });
    };
  });
}
