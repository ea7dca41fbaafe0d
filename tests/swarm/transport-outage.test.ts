/**
 * SwarmTransport over the real sidecar when it crashes (issue 10 §1, §4): the daemon reports
 * `degraded: swarm down`, messages go over Lightning or stay for the outbox, and after the
 * restart the binding is re-signed for the sidecar's new key.
 */
import { afterEach, expect, test } from 'bun:test';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { verifyBinding, type BindingStatement } from '../../runtime/core/swarm/binding.ts';
import { SWARM_LIMITS } from '../../runtime/core/swarm/limits.ts';
import { sendHiveMessage } from '../../services/swarm/hive-sender.ts';
import { InboundDedup } from '../../services/swarm/inbound-dedup.ts';
import { SwarmTransport, type SwarmStatus } from '../../services/swarm/transport.ts';
import { HIVE_ID } from './fleet-keys.ts';
import { A, B } from './gate-driver.ts';
import { StatusLog } from './status-log.ts';

const HIVE_HEX = '48495645' + Buffer.from('{"type":32769,"version":1,"payload":{}}').toString('hex');
const transports: SwarmTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.stop()));
});

function transport(signText: (text: string) => Promise<string | null> = async (t) => signMessage(t, A.sk)) {
  const status = new StatusLog<SwarmStatus>();
  const bindings = new StatusLog<BindingStatement>();
  const logs = new StatusLog<string>();
  const t = new SwarmTransport({
    hive_id: HIVE_ID,
    node_id: A.node_id,
    signText,
    engine: { onCustomMsg: async () => {} },
    sidecar: { kind: 'spawn', args: ['--bootstrap', '', '--host', '127.0.0.1'] },
    backoff: { initial_ms: 100, max_ms: 1000, stable_ms: 60_000 },
    onStatus: status.push,
    onBinding: bindings.push,
    log: logs.push,
  });
  transports.push(t);
  t.setMembership([A.node_id, B.node_id], []);
  return { t, status, bindings, logs };
}

test('sidecar crash: degraded status, Lightning or outbox meanwhile, re-signed binding after restart', async () => {
  const { t, status, bindings } = transport();
  t.start();
  await status.waitFor((s) => s.status === 'swarm up');
  const first = await bindings.waitFor(() => true);
  expect(verifyBinding(first, HIVE_ID, Math.floor(Date.now() / 1000), SWARM_LIMITS).ok).toBe(true);
  expect(first.swarm_key).toBe(t.state.local!.swarm_key);

  const since = status.items.length;
  process.kill(t.sidecarPid!, 'SIGKILL');
  expect(await status.waitFor((s) => s.status === 'degraded: swarm down', since)).toEqual({
    state: 'down',
    status: 'degraded: swarm down',
    public_key: null,
    bound_peers: 0,
  });

  const sentOverLightning: string[] = [];
  const lightning = async (node: string, hex: string) => (sentOverLightning.push(`${node}:${hex}`), true);
  expect(await sendHiveMessage(t, lightning, B.node_id, HIVE_HEX)).toBe('none');
  expect(sentOverLightning).toEqual([]);
  t.lightningPeer(B.node_id, true);
  expect(await sendHiveMessage(t, lightning, B.node_id, HIVE_HEX)).toBe('lightning');
  expect(sentOverLightning).toEqual([`${B.node_id}:${HIVE_HEX}`]);
  expect(await sendHiveMessage(t, async () => false, B.node_id, HIVE_HEX)).toBe('none');

  await status.waitFor((s) => s.status === 'swarm up', since);
  const second = await bindings.waitFor((b) => b.swarm_key !== first.swarm_key);
  expect(second.issued_at).toBeGreaterThan(first.issued_at);
});

test('signmessage failing leaves the swarm up but unbound, and says so', async () => {
  const { t, status, bindings, logs } = transport(async () => null);
  t.start();
  await status.waitFor((s) => s.status === 'swarm up');
  await logs.waitFor((l) => l.includes('signmessage failed'));
  expect(bindings.items).toEqual([]);
  expect(t.binding).toBeNull();
});

test('a message arriving over Lightning and over the swarm reaches the engine once; a repeat by the same path (a retry) reaches it again', async () => {
  let now = 1_000;
  const duplicates: string[] = [];
  const dedup = new InboundDedup(undefined, () => now, (p) => duplicates.push(p));
  expect(dedup.admit(B.node_id, HIVE_HEX)).toBe(true);
  expect(dedup.admit(B.node_id, HIVE_HEX, 'swarm')).toBe(false);
  expect(dedup.admit(A.node_id, HIVE_HEX, 'swarm')).toBe(true);
  expect(duplicates).toEqual([B.node_id]);
  now += 600_000;
  expect(dedup.admit(B.node_id, HIVE_HEX, 'swarm')).toBe(true);
  expect(dedup.admit(B.node_id, HIVE_HEX, 'swarm')).toBe(true);
});
