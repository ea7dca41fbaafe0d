/**
 * `hivebox decode` end to end (issue 2 §8): spawns the real CLI and checks the printed JSON and
 * the exit status for a valid, a forged, a stale, a malformed and a foreign message.
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { toHex } from '../../runtime/core/types.ts';
import { encodeHiveMessage, type Framing, type MsgType, type PayloadInput } from '../../runtime/core/wire/index.ts';
import { KEY_A, KEY_B, NOW, samplePayload } from '../wire/fixtures.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');

function hexOf(type: MsgType, payload: PayloadInput, framing: Framing): string {
  const r = encodeHiveMessage(type, payload, framing);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return toHex(r.value);
}

function decode(...args: string[]): { exit: number; out: Record<string, unknown> } {
  const p = Bun.spawnSync(['bun', MAIN, 'decode', ...args, '--json'], { stdout: 'pipe', stderr: 'pipe' });
  const text = p.stdout.toString();
  expect(text.trim().split('\n')).toHaveLength(1);
  return { exit: p.exitCode, out: JSON.parse(text) };
}

describe('hivebox decode', () => {
  test('a signed GOSSIP in spec framing: exit 0, signature valid, signer = sender', () => {
    const { exit, out } = decode(hexOf('GOSSIP', samplePayload('GOSSIP', 'spec'), 'spec'), '--now', String(NOW + 10));
    expect(exit).toBe(0);
    expect(out).toMatchObject({ framing: 'spec', type: 'GOSSIP', type_id: 32777, errors: [] });
    expect(out.signature).toEqual({ present: true, valid: true, signer: KEY_A.node_id });
    expect((out.payload as Record<string, unknown>).capacity_sats).toBe(5_000_000);
  });

  test('a forged BAN_VOTE in clhive framing: exit 0, valid false, signer is who really signed', () => {
    const forged = { ...samplePayload('BAN_VOTE', 'clhive'), voter_peer_id: KEY_A.node_id };
    const { exit, out } = decode(hexOf('BAN_VOTE', forged, 'clhive'), '--now', String(NOW));
    expect(exit).toBe(0);
    expect(out.framing).toBe('clhive');
    expect(out.signature).toEqual({ present: true, valid: false, signer: KEY_B.node_id });
  });

  test('--now fixes the clock: the same message is stale an hour and a second later', () => {
    const hex = hexOf('STATE_HASH', samplePayload('STATE_HASH', 'clhive'), 'clhive');
    expect(decode(hex, '--now', String(NOW + 3600)).out.errors).toEqual([]);
    const late = decode(hex, '--now', String(NOW + 3601));
    expect(late.exit).toBe(0);
    expect(late.out.errors).toEqual([{ kind: 'stale_timestamp', field: 'timestamp', detail: 'timestamp is 3601 s old, max 3600 s' }]);
  });

  test('an unsigned type reports no signature', () => {
    const { out } = decode(hexOf('INTENT', samplePayload('INTENT', 'spec'), 'spec'), '--now', String(NOW));
    expect(out.signature).toEqual({ present: false, valid: null, signer: null });
  });

  test('malformed: exit 2 with the typed error', () => {
    const good = hexOf('GOSSIP', samplePayload('GOSSIP', 'spec'), 'spec');
    const mismatch = `800b${good.slice(4)}`;
    const { exit, out } = decode(mismatch);
    expect(exit).toBe(2);
    expect(out).toMatchObject({ framing: 'spec', type: 'GOSSIP', payload: null });
    expect(out.errors).toEqual([{ kind: 'type_mismatch', field: 'type', detail: 'BOLT type 32779 but envelope type 32777' }]);
    expect(decode('48495645zz').exit).toBe(2);
  });

  test('not Hive traffic: exit 3', () => {
    const { exit, out } = decode('0007000401020304');
    expect(exit).toBe(3);
    expect(out).toMatchObject({ framing: null, type: null, errors: [] });
  });

  test('a bad --now is a usage error', () => {
    expect(Bun.spawnSync(['bun', MAIN, 'decode', '00', '--now', 'soon'], { stderr: 'pipe' }).exitCode).toBe(64);
  });
});
