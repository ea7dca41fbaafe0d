/**
 * A plain MQTT.js subscriber standing in for Home Assistant / `mosquitto_sub` in the tests:
 * records every message (topic, payload text, retain flag) and waits for one that matches.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { TestBroker } from './broker.ts';
import { CONDITION_TIMEOUT_MS } from '../cln/fixtures/recording-engine.ts';

/** One received message. */
export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
}

/** A connected subscriber. */
export interface TestSubscriber {
  readonly client: MqttClient;
  readonly messages: Received[];
  /** First message (already received or arriving within `timeoutMs`) matching `pred`. */
  waitFor(pred: (m: Received) => boolean, timeoutMs?: number, from?: number): Promise<Received>;
  close(): Promise<void>;
}

/** Connect with the broker's credentials and subscribe to `topics`. */
export async function subscribe(broker: TestBroker, topics: string[], protocolVersion: 4 | 5 = 5): Promise<TestSubscriber> {
  const client = await mqtt.connectAsync(broker.url, {
    username: broker.username,
    password: broker.password,
    protocolVersion,
    reconnectPeriod: 200,
    ...(broker.caFile ? { ca: [await Bun.file(broker.caFile).text()] } : {}),
  });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  if (topics.length) {
    client.on('connect', () => void client.subscribeAsync(topics, { qos: 1 }));
    await client.subscribeAsync(topics, { qos: 1 });
  }
  return {
    client,
    messages,
    async waitFor(pred, timeoutMs = CONDITION_TIMEOUT_MS, from = 0) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const hit = messages.slice(from).find(pred);
        if (hit) return hit;
        if (performance.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages.slice(from).map((m) => [m.topic, m.payload.slice(0, 40)]))}`);
        await Bun.sleep(20);
      }
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
