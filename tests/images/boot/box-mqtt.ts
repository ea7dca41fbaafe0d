/**
 * What a booted box reports over MQTT to the host (image boot tests, CI steps 40 and 41): the
 * operator's subscription to `hivebox/+/availability` and `hivebox/+/state` through qemu's
 * user-mode port forward, kept open (reconnecting) while the box boots.
 */
import mqtt from 'mqtt';

/** First sightings (performance.now ms) and the latest health of a box. */
export interface BoxSightings {
  online: number | null;
  healthy: number | null;
  hive_id: string | null;
  health: string;
  reasons: string[];
}

/** Subscribe as `operator` on 127.0.0.1:`port`. @returns the sightings, filled in as messages arrive, and `end` to disconnect. */
export function watchBox(port: number, operator: { username: string; password: string }): { seen: BoxSightings; end: () => void } {
  const seen: BoxSightings = { online: null, healthy: null, hive_id: null, health: '', reasons: [] };
  const sub = mqtt.connect(`mqtt://127.0.0.1:${port}`, { ...operator, reconnectPeriod: 1000, connectTimeout: 5000 });
  sub.on('error', () => {});
  sub.on('connect', () => void sub.subscribeAsync(['hivebox/+/availability', 'hivebox/+/state']));
  sub.on('message', (topic, payload) => {
    const text = payload.toString();
    if (topic.endsWith('/availability') && text === 'online') seen.online ??= performance.now();
    if (!topic.endsWith('/state')) return;
    const state = JSON.parse(text) as { health?: string; hive_id?: string | null; health_reasons?: string[] };
    seen.health = state.health ?? '';
    seen.reasons = state.health_reasons ?? [];
    if (state.health === 'healthy') seen.healthy ??= performance.now();
    if (state.hive_id) seen.hive_id = state.hive_id;
  });
  return { seen, end: () => void sub.end(true) };
}
