/**
 * hw/PROTOCOL.md stays true to the code: the report descriptor hex in §1.1 is `REPORT_DESCRIPTOR`,
 * and every line of the §6 test vectors is what the framing code produces.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROADCAST_CID, CMD, HID_ERR, KEEPALIVE_STATUS, REPORT_DESCRIPTOR } from '../../hw/framing/constants.ts';
import { encodeInitResponse, encodeKeepalive } from '../../hw/framing/control-payloads.ts';
import { packetize, type Frame } from '../../hw/framing/packetize.ts';
import { encodeMessage } from '../../hw/protocol/messages.ts';

const DOC = readFileSync(join(import.meta.dir, '../../hw/PROTOCOL.md'), 'utf8');
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

function firstReport(f: Frame): string {
  const r = packetize(f);
  if (!r.ok) throw new Error(r.error.kind);
  return hex(r.value[0]!).replace(/( 00)+$/, '');
}

test('report descriptor hex in §1.1', () => {
  expect(DOC).toContain(`Hex: \`${hex(REPORT_DESCRIPTOR)}\``);
});

test('§6 vectors', () => {
  const block = /```vectors\n([\s\S]*?)```/.exec(DOC)?.[1];
  if (!block) throw new Error('no vectors block');
  const doc = Object.fromEntries(block.trim().split('\n').map((l) => [l.slice(0, 16).trim(), l.slice(16).trim()]));
  const hostNonce = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
  expect(doc).toEqual({
    'INIT out': firstReport({ cid: BROADCAST_CID, cmd: CMD.INIT, payload: hostNonce }),
    'INIT in': firstReport({ cid: BROADCAST_CID, cmd: CMD.INIT, payload: encodeInitResponse({ nonce: hostNonce, cid: 1, protocol_version: 1, firmware: [1, 0, 0], capabilities: 1 }) }),
    'GET_PUBKEY out': firstReport({ cid: 1, cmd: CMD.GET_PUBKEY, payload: encodeMessage({ nonce: new Uint8Array(16).fill(0xab), purpose: 'invite' }) }),
    'KEEPALIVE in': firstReport({ cid: 1, cmd: CMD.KEEPALIVE, payload: encodeKeepalive({ status: KEEPALIVE_STATUS.UPNEEDED, seconds_left: 60 }) }),
    'ERROR in': firstReport({ cid: 1, cmd: CMD.ERROR, payload: Uint8Array.of(HID_ERR.CHANNEL_BUSY) }),
  });
});
