/**
 * The pure framing layer (hw/PROTOCOL.md §2): round trips for every command at every size 0…7,609,
 * each malformed-report rule giving its typed error without disturbing the next message, the CBOR
 * codec's strictness, and a seeded fuzz loop that must never throw or hang.
 */
import { describe, expect, test } from 'bun:test';
import { encode } from 'cbor2';
import {
  BROADCAST_CID,
  CMD,
  CONT_PAYLOAD_BYTES,
  INIT_PAYLOAD_BYTES,
  MAX_MESSAGE_BYTES,
  REASSEMBLY_TIMEOUT_MS,
  REPORT_BYTES,
} from '../../hw/framing/constants.ts';
import { decodeInitResponse, decodeKeepalive, encodeInitResponse, encodeKeepalive } from '../../hw/framing/control-payloads.ts';
import { hidErrorCode } from '../../hw/framing/errors.ts';
import { packetize, type Frame } from '../../hw/framing/packetize.ts';
import { Reassembler, type ReassemblyEvent } from '../../hw/framing/reassembler.ts';
import { decodeMessage, encodeMessage, InfoRequest, SignRequest } from '../../hw/protocol/messages.ts';
import { seededRandom } from './fixtures.ts';

const CID = 0x01020304;

function reports(frame: Frame): Uint8Array[] {
  const r = packetize(frame);
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
}

function feed(re: Reassembler, rs: readonly Uint8Array[], now = 0): ReassemblyEvent[] {
  return rs.map((r) => re.push(r, now));
}

function payloadOf(n: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 31 + 7) & 0xff;
  return p;
}

describe('round trips', () => {
  test('every command, every size 0…7,609', () => {
    const re = new Reassembler();
    const full = payloadOf(MAX_MESSAGE_BYTES);
    let checked = 0;
    for (const cmd of Object.values(CMD)) {
      for (let n = 0; n <= MAX_MESSAGE_BYTES; n++) {
        const payload = full.subarray(0, n);
        const rs = reports({ cid: CID, cmd, payload });
        const events = feed(re, rs);
        const last = events.at(-1)!;
        const packets = 1 + Math.ceil(Math.max(0, n - INIT_PAYLOAD_BYTES) / CONT_PAYLOAD_BYTES);
        const ok =
          rs.length === packets &&
          last.kind === 'frame' && last.frame.cmd === cmd && last.frame.cid === CID && Buffer.compare(last.frame.payload, payload) === 0 &&
          events.slice(0, -1).every((e) => e.kind === 'partial');
        if (!ok) throw new Error(`round trip failed for cmd 0x${cmd.toString(16)} size ${n}`);
        checked++;
      }
    }
    expect(checked).toBe(Object.values(CMD).length * (MAX_MESSAGE_BYTES + 1));
  }, 60_000);

  test('packet layout matches PROTOCOL.md §2.1 byte for byte', () => {
    const rs = reports({ cid: 0xfffffffe, cmd: CMD.SIGN, payload: payloadOf(INIT_PAYLOAD_BYTES + 1) });
    expect(rs).toHaveLength(2);
    expect([...rs[0]!.subarray(0, 7)]).toEqual([0xff, 0xff, 0xff, 0xfe, 0xc2, 0x00, 0x3a]);
    expect([...rs[1]!.subarray(0, 6)]).toEqual([0xff, 0xff, 0xff, 0xfe, 0x00, payloadOf(58)[57]!]);
    expect(rs[1]!.subarray(6).every((b) => b === 0)).toBe(true);
    expect(rs.every((r) => r.length === REPORT_BYTES)).toBe(true);
  });

  test('max message uses sequence 0…0x7f; one byte more is LengthOverflow', () => {
    const rs = reports({ cid: CID, cmd: CMD.PING, payload: payloadOf(MAX_MESSAGE_BYTES) });
    expect(rs).toHaveLength(129);
    expect(rs.at(-1)![4]).toBe(0x7f);
    const over = packetize({ cid: CID, cmd: CMD.PING, payload: payloadOf(MAX_MESSAGE_BYTES + 1) });
    expect(over).toEqual({ ok: false, error: { kind: 'LengthOverflow', length: MAX_MESSAGE_BYTES + 1, max: MAX_MESSAGE_BYTES } });
  });

  test('INIT response and KEEPALIVE payloads round trip', () => {
    const init = { nonce: payloadOf(8), cid: 0xdeadbeef, protocol_version: 1, firmware: [1, 2, 3] as [number, number, number], capabilities: 1 };
    expect(decodeInitResponse(encodeInitResponse(init))).toEqual(init);
    expect(decodeInitResponse(new Uint8Array(16))).toBeNull();
    expect(decodeKeepalive(encodeKeepalive({ status: 2, seconds_left: 59.2 }))).toEqual({ status: 2, seconds_left: 60 });
    expect(decodeKeepalive(new Uint8Array(2))).toBeNull();
  });
});

describe('malformed reports give typed errors and leave the next message intact', () => {
  const good = reports({ cid: CID, cmd: CMD.PING, payload: payloadOf(200) });

  function expectRecovers(re: Reassembler) {
    const events = feed(re, good, 10);
    expect(events.at(-1)!.kind).toBe('frame');
  }

  test('short and oversize reports', () => {
    const re = new Reassembler();
    expect(re.push(new Uint8Array(63), 0)).toEqual({ kind: 'error', cid: 0, error: { kind: 'ShortReport', length: 63 } });
    expect(re.push(new Uint8Array(2), 0)).toEqual({ kind: 'error', cid: null, error: { kind: 'ShortReport', length: 2 } });
    expect(re.push(new Uint8Array(65), 0).kind).toBe('error');
    expect(re.pendingChannel).toBeNull();
    expectRecovers(re);
  });

  test('a short report mid-message does not break the message', () => {
    const re = new Reassembler();
    re.push(good[0]!, 0);
    expect(re.push(good[1]!.subarray(0, 40), 0)).toMatchObject({ error: { kind: 'ShortReport' } });
    expect(re.pendingChannel).toBe(CID);
    const rest = feed(re, good.slice(1));
    expect(rest.at(-1)!.kind).toBe('frame');
  });

  test('channel 0 is BadChannel', () => {
    const re = new Reassembler();
    const r = reports({ cid: 0, cmd: CMD.PING, payload: new Uint8Array(1) })[0]!;
    expect(re.push(r, 0)).toEqual({ kind: 'error', cid: null, error: { kind: 'BadChannel', cid: 0 } });
    expectRecovers(re);
  });

  test('out-of-order sequence drops the message', () => {
    const re = new Reassembler();
    const rs = [...good];
    [rs[1], rs[2]] = [rs[2]!, rs[1]!];
    const events = feed(re, rs);
    expect(events[1]).toEqual({ kind: 'error', cid: CID, error: { kind: 'OutOfOrderSequence', cid: CID, expected: 0, got: 1 } });
    const e1 = events[1]!;
    expect(e1.kind === 'error' && hidErrorCode(e1.error)).toBe(0x04);
    expect(re.pendingChannel).toBeNull();
    expectRecovers(re);
  });

  test('continuation without an initialization packet', () => {
    const re = new Reassembler();
    expect(re.push(good[1]!, 0)).toEqual({ kind: 'error', cid: CID, error: { kind: 'UnexpectedContinuation', cid: CID, seq: 0 } });
    expectRecovers(re);
  });

  test('a new initialization packet mid-message is InterleavedInit, INIT resynchronises', () => {
    const re = new Reassembler();
    re.push(good[0]!, 0);
    expect(re.push(good[0]!, 0)).toEqual({ kind: 'error', cid: CID, error: { kind: 'InterleavedInit', cid: CID } });
    re.push(good[0]!, 0);
    const init = reports({ cid: CID, cmd: CMD.INIT, payload: payloadOf(8) })[0]!;
    expect(re.push(init, 0)).toMatchObject({ kind: 'frame', frame: { cmd: CMD.INIT } });
    expectRecovers(re);
  });

  test('another channel mid-message is ChannelBusy; the message in progress survives', () => {
    const re = new Reassembler();
    re.push(good[0]!, 0);
    const other = reports({ cid: 7, cmd: CMD.PING, payload: new Uint8Array(3) })[0]!;
    expect(re.push(other, 0)).toEqual({ kind: 'error', cid: 7, error: { kind: 'ChannelBusy', cid: 7, busy_cid: CID } });
    expect(feed(re, good.slice(1)).at(-1)!.kind).toBe('frame');
  });

  test('BCNT over 7,609 is LengthOverflow', () => {
    const re = new Reassembler();
    const r = reports({ cid: CID, cmd: CMD.PING, payload: new Uint8Array(0) })[0]!;
    r[5] = 0x1d;
    r[6] = 0xba;
    expect(re.push(r, 0)).toEqual({ kind: 'error', cid: CID, error: { kind: 'LengthOverflow', length: 7610, max: MAX_MESSAGE_BYTES } });
    expectRecovers(re);
  });

  test('a stalled message expires with MessageTimeout, driven by the injected clock', () => {
    const re = new Reassembler();
    re.push(good[0]!, 1000);
    expect(re.expire(1000 + REASSEMBLY_TIMEOUT_MS - 1)).toBeNull();
    expect(re.expire(1000 + REASSEMBLY_TIMEOUT_MS)).toEqual({ kind: 'error', cid: CID, error: { kind: 'MessageTimeout', cid: CID, waited_ms: REASSEMBLY_TIMEOUT_MS } });
    expect(re.pendingChannel).toBeNull();
    expectRecovers(re);
  });

  test('a stale message does not block another channel', () => {
    const re = new Reassembler();
    re.push(good[0]!, 0);
    const other = reports({ cid: 7, cmd: CMD.PING, payload: new Uint8Array(3) })[0]!;
    expect(re.push(other, REASSEMBLY_TIMEOUT_MS)).toMatchObject({ kind: 'frame', frame: { cid: 7 } });
  });

  test('the host filter ignores other hosts\u2019 channels', () => {
    const re = new Reassembler({ accept: (c) => c === CID || c === BROADCAST_CID });
    const other = reports({ cid: 9, cmd: CMD.PING, payload: new Uint8Array(3) })[0]!;
    expect(re.push(other, 0)).toEqual({ kind: 'ignored', cid: 9 });
    expectRecovers(re);
  });
});

describe('CBOR codec', () => {
  const nonce = payloadOf(16);

  test('deterministic encoding round trips', () => {
    const req = { nonce, purpose: 'invite', text: 'x', summary: { title: 't', fields: { b: '2', a: '1' } } };
    const bytes = encodeMessage(req);
    expect(encodeMessage({ summary: req.summary, text: 'x', purpose: 'invite', nonce })).toEqual(bytes);
    expect(decodeMessage(SignRequest, bytes) as unknown).toEqual({ ok: true, value: req });
  });

  test('garbage, trailing bytes, unsorted keys and non-preferred integers are GarbageCbor', () => {
    for (const bad of [Uint8Array.of(0xff, 0x00), Uint8Array.of(), Uint8Array.of(0xa0, 0x00), Uint8Array.of(0xa2, 0x61, 0x7a, 0x01, 0x61, 0x61, 0x02), Uint8Array.of(0x18, 0x01), Uint8Array.of(0xbf, 0xff)]) {
      expect(decodeMessage(InfoRequest, bad)).toMatchObject({ ok: false, error: { kind: 'GarbageCbor' } });
    }
  });

  test('wrong shapes are SchemaMismatch', () => {
    for (const v of [{ nonce: payloadOf(15) }, { nonce, extra: 1 }, { nonce: 'x' }, [nonce], 5]) {
      expect(decodeMessage(InfoRequest, encode(v, { cde: true }))).toMatchObject({ ok: false, error: { kind: 'SchemaMismatch' } });
    }
    expect(decodeMessage(InfoRequest, encode(new Map([[1, nonce]]), { cde: true }))).toMatchObject({ ok: false, error: { kind: 'SchemaMismatch' } });
  });
});

test('seeded fuzz: 50,000 random and mutated reports never throw, every event is typed', () => {
  const rnd = seededRandom('framing-fuzz');
  const re = new Reassembler();
  const valid = reports({ cid: CID, cmd: CMD.SIGN, payload: payloadOf(900) });
  const kinds = new Map<string, number>();
  let now = 0;
  for (let i = 0; i < 50_000; i++) {
    const b = rnd(4);
    let report: Uint8Array;
    switch (b[0]! % 4) {
      case 0:
        report = rnd(b[1]! % 3 === 0 ? b[2]! % 130 : REPORT_BYTES);
        break;
      case 1: {
        report = valid[b[1]! % valid.length]!.slice();
        report[b[2]! % REPORT_BYTES] = b[3]!;
        break;
      }
      case 2:
        report = valid[b[1]! % valid.length]!;
        break;
      default:
        report = rnd(REPORT_BYTES);
        report.set([0, 0, 0, 1 + (b[1]! % 3)], 0);
    }
    now += b[3]! % 50;
    const ev = re.push(report, now);
    const key = ev.kind === 'error' ? ev.error.kind : ev.kind;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
    if (b[1] === 0) re.expire(now);
  }
  for (const k of kinds.keys()) {
    expect(['frame', 'partial', 'ignored', 'ShortReport', 'OversizeReport', 'BadChannel', 'OutOfOrderSequence', 'UnexpectedContinuation', 'InterleavedInit', 'ChannelBusy', 'LengthOverflow']).toContain(k);
  }
  expect(kinds.get('frame') ?? 0).toBeGreaterThan(0);
  re.reset();
  expect(feed(re, valid, now).at(-1)!.kind).toBe('frame');
});
