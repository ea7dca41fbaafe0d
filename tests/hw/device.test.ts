/**
 * The device model against PROTOCOL.md, driven with raw reports (no host driver): channel
 * allocation, every transport ERROR, every application refusal — each attack leaves no prompt
 * and no signature — keepalives, cancel, busy, secret keys never on the wire, and a fuzz loop.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptedButton, type ButtonAction } from '../../runtime/sim/signer/button.ts';
import { MAX_CHANNELS, SimulatedSignerDevice, type DeviceEvent } from '../../runtime/sim/signer/device.ts';
import { DEVICE_STATE_FILE, DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { APP_ERR, BROADCAST_CID, CMD, HID_ERR, REASSEMBLY_TIMEOUT_MS } from '../../hw/framing/constants.ts';
import { decodeInitResponse, decodeKeepalive } from '../../hw/framing/control-payloads.ts';
import { packetize, type Frame } from '../../hw/framing/packetize.ts';
import { decodeMessage, encodeMessage, SignResponse } from '../../hw/protocol/messages.ts';
import { recoverSigner, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { toHex } from '../../runtime/core/types.ts';
import { INVITE_SUMMARY, inviteText, OTHER_NODE, seededRandom, tempDir } from './fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import { RawHost } from './raw-host.ts';

let n = 0;
const nonce = () => {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setUint32(0, ++n);
  return b;
};

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(button: ButtonAction | readonly ButtonAction[] = 'never') {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const clock = new ManualClock();
  const keys = DeviceKeyStore.open(dir, seededRandom('device-test'));
  const events: DeviceEvent[] = [];
  const device = new SimulatedSignerDevice({ keys, button: scriptedButton(button, clock), clock, onEvent: (e) => events.push(e) });
  const host = new RawHost(device, clock);
  const admin = toHex(keys.publicKey(0));
  const signReq = (o: { text?: string; purpose?: string; fields?: Record<string, string>; nonce?: Uint8Array } = {}) =>
    encodeMessage({ nonce: o.nonce ?? nonce(), purpose: o.purpose ?? 'invite', text: o.text ?? inviteText(admin), summary: { title: INVITE_SUMMARY.title, fields: o.fields ?? { ...INVITE_SUMMARY.fields } } });
  return { dir, clock, keys, device, host, events, admin, signReq };
}

const errorCode = (f: Frame | undefined) => (f?.cmd === CMD.ERROR ? f.payload[0] : undefined);
const answer = (f: Frame | undefined) => {
  const d = decodeMessage(SignResponse, f!.payload);
  if (!d.ok) throw new Error(d.error.kind);
  return d.value;
};

describe('channels and transport errors', () => {
  test('INIT allocates distinct channels and echoes the nonce', () => {
    const { host } = setup();
    host.send(BROADCAST_CID, CMD.INIT, Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9));
    const [f] = host.take();
    expect(f!.cid).toBe(BROADCAST_CID);
    const r = decodeInitResponse(f!.payload)!;
    expect(r).toEqual({ nonce: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), cid: 1, protocol_version: 1, firmware: [1, 0, 0], capabilities: 1 });
    expect(host.init()).toBe(2);
  });

  test('each rule answers its ERROR code', () => {
    const { host, device } = setup();
    const cid = host.init();
    host.send(BROADCAST_CID, CMD.INIT, new Uint8Array(7));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_PAR);
    host.send(BROADCAST_CID, CMD.PING, new Uint8Array(1));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_CHANNEL);
    host.send(0x77, CMD.PING, new Uint8Array(1));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_CHANNEL);
    host.send(cid, 0x55, new Uint8Array(1));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_CMD);
    host.send(cid, CMD.INFO, Uint8Array.of(0xff, 0x00));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_PAR);
    host.send(cid, CMD.SIGN, encodeMessage({ nonce: nonce(), purpose: 'invite' }));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_PAR);
    const big = packetize({ cid, cmd: CMD.PING, payload: new Uint8Array(300) });
    if (!big.ok) throw new Error();
    device.receive(big.value[0]!);
    host.send(cid + 1, CMD.PING, new Uint8Array(1));
    expect(host.take().map(errorCode)).toEqual([HID_ERR.CHANNEL_BUSY]);
  });

  test('a stalled message times out with MSG_TIMEOUT on the device clock', async () => {
    const { host, clock, device } = setup();
    const cid = host.init();
    const big = packetize({ cid, cmd: CMD.PING, payload: new Uint8Array(300) });
    if (!big.ok) throw new Error();
    device.receive(big.value[0]!);
    await clock.advance(REASSEMBLY_TIMEOUT_MS - 1);
    expect(host.take()).toEqual([]);
    await clock.advance(1);
    expect(host.take().map(errorCode)).toEqual([HID_ERR.MSG_TIMEOUT]);
    host.send(cid, CMD.PING, Uint8Array.of(1, 2));
    expect(host.take()[0]).toMatchObject({ cmd: CMD.PING, payload: Uint8Array.of(1, 2) });
  });

  test(`more than ${MAX_CHANNELS} hosts recycle the least recently used channel`, () => {
    const { host } = setup();
    const cids = Array.from({ length: MAX_CHANNELS + 1 }, () => host.init());
    expect(new Set(cids).size).toBe(MAX_CHANNELS + 1);
    host.send(cids[0]!, CMD.PING, new Uint8Array(1));
    expect(errorCode(host.take()[0])).toBe(HID_ERR.INVALID_CHANNEL);
    host.send(cids.at(-1)!, CMD.PING, new Uint8Array(1));
    expect(host.take()[0]!.cmd).toBe(CMD.PING);
  });
});

describe('SIGN refusals: the attack is answered and nothing is shown or signed', () => {
  const cases: [string, (s: ReturnType<typeof setup>) => Uint8Array, number][] = [
    ['unknown purpose', (s) => s.signReq({ purpose: 'payment' }), APP_ERR.UNKNOWN_PURPOSE],
    ['text of another structure (ban text as invite)', (s) => s.signReq({ text: `BAN:${OTHER_NODE}:x:1` }), APP_ERR.TEXT_MALFORMED],
    ['ticket naming another admin key', (s) => s.signReq({ text: inviteText(OTHER_NODE) }), APP_ERR.WRONG_KEY],
    ['host summary contradicting the text', (s) => s.signReq({ fields: { ...INVITE_SUMMARY.fields, valid: '1 h' } }), APP_ERR.SUMMARY_MISMATCH],
    ['text over 6,144 bytes', (s) => s.signReq({ purpose: 'ban', text: `BAN:${OTHER_NODE}:${'x'.repeat(6100)}:1` }), APP_ERR.TEXT_TOO_LONG],
  ];
  for (const [name, req, code] of cases) {
    test(name, () => {
      const s = setup('approve');
      const cid = s.host.init();
      s.host.send(cid, CMD.SIGN, req(s));
      const frames = s.host.take();
      expect(frames).toHaveLength(1);
      expect(answer(frames[0])).toMatchObject({ status: 'error', code });
      expect(s.events).toEqual([]);
      expect(s.device.awaitingButton).toBe(false);
    });
  }

  test('a replayed request (same nonce) is NONCE_REUSED and prompts nothing', async () => {
    const s = setup('approve');
    const cid = s.host.init();
    const req = s.signReq();
    s.host.send(cid, CMD.SIGN, req);
    await s.clock.advance(0);
    expect(answer(s.host.take().at(-1))).toMatchObject({ status: 'approved' });
    const prompts = s.events.length;
    s.host.send(cid, CMD.SIGN, req);
    expect(answer(s.host.take()[0])).toMatchObject({ status: 'error', code: APP_ERR.NONCE_REUSED });
    expect(s.events.length).toBe(prompts);
  });

  test('host-only summary fields are shown labelled, never as device fields', () => {
    const s = setup('never');
    const cid = s.host.init();
    s.host.send(cid, CMD.SIGN, s.signReq({ fields: { note: 'for Alice' } }));
    expect(s.events[0]).toMatchObject({ kind: 'prompt', prompt: { title: INVITE_SUMMARY.title, fields: { ...INVITE_SUMMARY.fields, 'host: note': 'for Alice' } } });
  });
});

describe('waiting for the button', () => {
  test('keepalives every 100 ms count down; approval returns a verifying signature', async () => {
    const s = setup({ press: 'approve', after_ms: 1050 });
    const cid = s.host.init();
    const text = inviteText(s.admin);
    s.host.send(cid, CMD.SIGN, s.signReq({ text }));
    await s.clock.advance(1000);
    const kas = s.host.take().filter((f) => f.cmd === CMD.KEEPALIVE).map((f) => decodeKeepalive(f.payload)!);
    expect(kas).toHaveLength(11);
    expect(kas[0]).toEqual({ status: 2, seconds_left: 60 });
    expect(kas.at(-1)).toEqual({ status: 2, seconds_left: 59 });
    await s.clock.advance(100);
    const a = answer(s.host.take().at(-1));
    if (a.status !== 'approved') throw new Error(a.status);
    expect(recoverSigner(text, zbase32.encode(a.signature))).toBe(s.admin);
    expect(toHex(a.pubkey)).toBe(s.admin);
    expect(s.events.map((e) => (e.kind === 'outcome' ? e.result : e.kind))).toEqual(['prompt', 'approved']);
  });

  test('reject, device timeout, CANCEL and INIT-resync each end the approval', async () => {
    for (const [button, act, status] of [
      ['reject', async () => {}, 'rejected'],
      ['never', async (s: ReturnType<typeof setup>) => s.clock.advance(60_000), 'timeout'],
      ['never', async (s: ReturnType<typeof setup>, cid: number) => s.host.send(cid, CMD.CANCEL, new Uint8Array(0)), 'cancelled'],
      ['never', async (s: ReturnType<typeof setup>, cid: number) => s.host.send(cid, CMD.INIT, new Uint8Array(8)), 'cancelled'],
    ] as const) {
      const s = setup(button);
      const cid = s.host.init();
      s.host.send(cid, CMD.SIGN, s.signReq());
      await act(s, cid);
      await s.clock.advance(0);
      const finals = s.host.take().filter((f) => f.cmd === CMD.SIGN).map(answer);
      expect(finals).toHaveLength(1);
      expect(finals[0]!.status).toBe(status);
      if (status === 'timeout') expect(finals[0]).toMatchObject({ after_s: 60 });
      expect(s.device.awaitingButton).toBe(false);
    }
  });

  test('while waiting: same channel is CHANNEL_BUSY, another host gets busy for SIGN but INFO works', async () => {
    const s = setup('never');
    const a = s.host.init();
    const b = s.host.init();
    s.host.send(a, CMD.SIGN, s.signReq());
    s.host.take();
    s.host.send(a, CMD.PING, new Uint8Array(1));
    expect(s.host.take().map(errorCode)).toEqual([HID_ERR.CHANNEL_BUSY]);
    s.host.send(b, CMD.SIGN, s.signReq());
    expect(answer(s.host.take()[0])).toMatchObject({ status: 'busy' });
    s.host.send(b, CMD.INFO, encodeMessage({ nonce: nonce() }));
    expect(s.host.take()[0]!.cmd).toBe(CMD.INFO);
    expect(s.events.filter((e) => e.kind === 'prompt')).toHaveLength(1);
  });

  test('governance signs without a prompt, with the governance key', () => {
    const s = setup('never');
    const cid = s.host.init();
    const text = `hive:ban_vote:${'ab'.repeat(16)}:approve:1763700000`;
    s.host.send(cid, CMD.SIGN, s.signReq({ purpose: 'governance', text, fields: {} }));
    const a = answer(s.host.take()[0]);
    if (a.status !== 'approved') throw new Error(a.status);
    expect(a.slot).toBe(1);
    expect(recoverSigner(text, zbase32.encode(a.signature))).toBe(toHex(s.keys.publicKey(1)));
    expect(s.events).toEqual([]);
  });
});

test('secret keys never appear in any report', async () => {
  const s = setup('approve');
  const secrets = (JSON.parse(readFileSync(join(s.dir, DEVICE_STATE_FILE), 'utf8')).slots as string[]).map((h) => Buffer.from(h, 'hex'));
  const cid = s.host.init();
  for (const purpose of ['invite', 'revoke', 'ban', 'credential', 'governance']) s.host.send(cid, CMD.GET_PUBKEY, encodeMessage({ nonce: nonce(), purpose }));
  s.host.send(cid, CMD.INFO, encodeMessage({ nonce: nonce() }));
  s.host.send(cid, CMD.SIGN, s.signReq());
  await s.clock.advance(0);
  const wire = Buffer.concat(s.host.reports);
  expect(wire.length).toBeGreaterThan(64 * 8);
  for (const sk of secrets) for (let i = 0; i + 8 <= sk.length; i += 8) expect(wire.indexOf(sk.subarray(i, i + 8))).toBe(-1);
});

test('seeded fuzz: 20,000 random reports never throw and the device still answers', async () => {
  const s = setup('approve');
  const rnd = seededRandom('device-fuzz');
  const cid = s.host.init();
  for (let i = 0; i < 20_000; i++) {
    const b = rnd(3);
    const r = rnd(b[0]! % 5 === 0 ? b[1]! % 100 : 64);
    if (b[2]! % 2 === 0 && r.length >= 5) r.set([0, 0, 0, cid], 0);
    s.device.receive(r);
    if (i % 1000 === 0) await s.clock.advance(REASSEMBLY_TIMEOUT_MS);
  }
  await s.clock.advance(REASSEMBLY_TIMEOUT_MS);
  s.host.take();
  const fresh = s.host.init();
  s.host.send(fresh, CMD.PING, Uint8Array.of(42));
  expect(s.host.take()[0]).toMatchObject({ cmd: CMD.PING, payload: Uint8Array.of(42) });
});
