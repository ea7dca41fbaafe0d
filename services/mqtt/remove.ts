/**
 * `hivebox mqtt remove`: take a node off the broker for good (issue 6 §4, "removed cleanly on
 * uninstall"). One short session without a last will publishes an empty retained payload on each
 * of the node's retained topics (discovery config, state, availability; `retainedTopics`), so Home
 * Assistant deletes the device and a later subscriber sees nothing. Run it with the daemon
 * stopped: a running `hivebox run` publishes them again on its next state refresh.
 */
import mqtt from 'mqtt';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { MqttConfig } from './config.ts';
import { retainedTopics, statusTopics } from './topics.ts';

/** Why the removal did not happen: no broker session, or the broker did not acknowledge a delete. */
export type RemoveError = { readonly kind: 'BrokerUnreachable' | 'PublishFailed'; readonly reason: string };

/**
 * Delete `nodeId`'s retained topics on the configured broker.
 * @param timeout_ms bound on connecting (ms); each delete is QoS 1 and waits for its PUBACK.
 * @returns the topics cleared.
 */
export async function removeRetained(config: MqttConfig, nodeId: string, timeout_ms = 5000): Promise<Result<readonly string[], RemoveError>> {
  const topics = retainedTopics(statusTopics(nodeId, config.topic_prefix, config.discovery_prefix));
  const ca = config.ca_file ? await Bun.file(config.ca_file).text() : undefined;
  const client = mqtt.connect(config.url, {
    protocolVersion: config.protocol === '3.1.1' ? 4 : 5,
    clientId: `hivebox_remove_${statusTopics(nodeId).nodeIdPrefix}`,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(ca ? { ca: [ca], rejectUnauthorized: true } : {}),
    reconnectPeriod: 0,
    connectTimeout: timeout_ms,
  });
  const connected = await new Promise<string | null>((resolve) => {
    client.once('connect', () => resolve(null));
    client.once('error', (e) => resolve(e.message));
    client.once('close', () => resolve('connection closed'));
  });
  if (connected !== null) {
    client.end(true);
    return err({ kind: 'BrokerUnreachable', reason: `${config.url}: ${connected}` });
  }
  try {
    for (const t of topics) await client.publishAsync(t, '', { qos: 1, retain: true });
    return ok(topics);
  } catch (e) {
    return err({ kind: 'PublishFailed', reason: e instanceof Error ? e.message : String(e) });
  } finally {
    await client.endAsync();
  }
}
