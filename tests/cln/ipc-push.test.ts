/**
 * The daemon → plugin `ignore_list` push (services/daemon-ipc/protocol.ts) is validated like every
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
