/**
 * `hivebox mqtt remove`: take a node off the broker for good (issue 6 §4, "removed cleanly on
 * uninstall"). One short session without a last will publishes an empty retained payload on each
 * of the node's retained topics (discovery config, state, availability; `retainedTopics`), so Home
 * Assistant deletes the device and a later subscriber sees nothing. Run it with the daemon
 * stopped: a running `hivebox run` publishes them again on its next state refresh.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { MqttConfig } from './config.ts';
import { brokerOf, startMqttSession, withTimeout } from './session.ts';
import { retainedTopics, statusTopics } from './topics.ts';

/** Why the removal did not happen: no broker session, or the broker did not acknowledge a delete. */
export type RemoveError = { readonly kind: 'BrokerUnreachable' | 'PublishFailed'; readonly reason: string };

/**
 * Delete `nodeId`'s retained topics on the configured broker.
 * @param timeout_ms bound on connecting and on each delete (ms); each delete is QoS 1 and waits for its PUBACK.
 * @returns the topics cleared.
 */
export async function removeRetained(config: MqttConfig, nodeId: string, timeout_ms = 5000): Promise<Result<readonly string[], RemoveError>> {
  const topics = retainedTopics(statusTopics(nodeId, config.topic_prefix, config.discovery_prefix));
  const broker = await brokerOf(config);
  const outcome = Promise.withResolvers<string | null>();
  const session = startMqttSession({
    ...broker,
    client_id: `hivebox_remove_${statusTopics(nodeId).nodeIdPrefix}`,
    reconnect: false,
    onUp: () => outcome.resolve(null),
    onFailure: (reason) => outcome.resolve(reason),
    log: () => undefined,
  });
  try {
    const failure = await withTimeout(outcome.promise, timeout_ms);
    if (failure !== null) return err({ kind: 'BrokerUnreachable', reason: failure ?? `${config.url}: no session within ${timeout_ms} ms` });
    for (const t of topics) {
      const r = (await withTimeout(session.publish(t, '', true), timeout_ms)) ?? err(`no PUBACK within ${timeout_ms} ms`);
      if (!r.ok) return err({ kind: 'PublishFailed', reason: r.error });
    }
    return ok(topics);
  } finally {
    await session.stop(timeout_ms);
  }
}
