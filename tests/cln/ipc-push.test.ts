/**
 * The daemon → plugin `ignore_list` push (services/daemon-ipc/daemon-lines.ts) is validated like every
 * other line: a forged or oversize list from whatever holds the socket is refused whole (the
 * plugin keeps its previous list), responses still decode as responses.
 */
import { expect, test } from 'bun:test';
import { decodeDaemonLine, IPC_LIMITS } from '../../services/daemon-ipc/index.ts';

const id = (i: number) => `02${i.toString(16).padStart(64, '0')}`;

test('a well-formed push decodes as a push; a response stays a response', () => {
  expect(decodeDaemonLine(JSON.stringify({ op: 'ignore_list', node_ids: [id(1), id(2)] }))).toEqual({ ok: true, value: { kind: 'push', push: { op: 'ignore_list', node_ids: [id(1), id(2)] } } });
  expect(decodeDaemonLine(JSON.stringify({ id: 3, result: { protocol: 1 } }))).toEqual({ ok: true, value: { kind: 'response', response: { id: 3, result: { protocol: 1 } } } });
});

test('oversize, malformed ids, unknown ops and extra keys are refused whole', () => {
  const big = Array.from({ length: IPC_LIMITS.max_ignore_list + 1 }, (_, i) => id(i));
  for (const bad of [
    { op: 'ignore_list', node_ids: big },
    { op: 'ignore_list', node_ids: [id(1), 'not-a-node-id'] },
    { op: 'ignore_list', node_ids: [id(0xabcdef).toUpperCase()] },
    { op: 'ignore_list', node_ids: id(1) },
    { op: 'ignore_list', node_ids: [], extra: true },
    { op: 'allow_list', node_ids: [] },
  ]) {
    expect(decodeDaemonLine(JSON.stringify(bad)).ok).toBe(false);
  }
  expect(decodeDaemonLine(JSON.stringify({ op: 'ignore_list', node_ids: big.slice(1) })).ok).toBe(true);
});

const budget = {
  inbound_member_msgs_per_s: 50,
  inbound_member_bytes_per_s: 1_000_000,
  inbound_nonmember_msgs_per_s: 5,
  inbound_nonmember_bytes_per_s: 50_000,
  inbound_nonmember_total_msgs_per_s: 100,
  inbound_queue_max: 2_000,
};

test('the members push is checked key by key: budgets are positive integers up to 10^9, no extra keys', () => {
  const good = { op: 'members' as const, node_ids: [id(1)], budget };
  expect(decodeDaemonLine(JSON.stringify(good))).toEqual({ ok: true, value: { kind: 'push', push: good } });
  for (const bad of [
    { ...good, budget: { ...budget, inbound_queue_max: 0 } },
    { ...good, budget: { ...budget, inbound_member_msgs_per_s: 1.5 } },
    { ...good, budget: { ...budget, inbound_member_bytes_per_s: 1_000_000_001 } },
    { ...good, budget: { ...budget, extra: 1 } },
    { ...good, budget: { inbound_member_msgs_per_s: 1 } },
    { ...good, budget: null },
    { op: 'members', node_ids: [id(1)] },
    { ...good, node_ids: ['02zz'] },
    { ...good, more: 1 },
  ]) {
    expect(decodeDaemonLine(JSON.stringify(bad)).ok).toBe(false);
  }
});

test('a response carries a result or an error object, never both, with a non-negative integer id', () => {
  expect(decodeDaemonLine(JSON.stringify({ id: 0, result: null })).ok).toBe(true);
  expect(decodeDaemonLine(JSON.stringify({ id: 4, error: { code: -32601, message: 'no such method', data: { m: 1 } } }))).toEqual({
    ok: true,
    value: { kind: 'response', response: { id: 4, error: { code: -32601, message: 'no such method', data: { m: 1 } } } },
  });
  for (const bad of [
    '{"id":1}',
    '{"id":-1,"result":1}',
    '{"id":1.5,"result":1}',
    '{"id":"1","result":1}',
    '{"id":1,"result":1,"error":{"code":1,"message":"x"}}',
    '{"id":1,"error":{"code":1.5,"message":"x"}}',
    '{"id":1,"error":{"code":1}}',
    '{"id":1,"error":{"code":1,"message":"x","extra":2}}',
    '{"id":1,"error":"boom"}',
    '[]',
    '1',
    'not json',
  ]) {
    expect(decodeDaemonLine(bad).ok).toBe(false);
  }
});

test('the plugin relay does not load zod (issue 19 §4: the plugin only relays; zod was ~8 MiB of its memory)', async () => {
  const built = await Bun.build({ entrypoints: [`${import.meta.dir}/../../services/cln-plugin/stdio.ts`], target: 'bun' });
  expect(built.success).toBe(true);
  const text = (await Promise.all(built.outputs.map((o) => o.text()))).join('\n');
  expect(text).toContain('decodeDaemonLine');
  expect(text).not.toContain('node_modules/zod');
});
