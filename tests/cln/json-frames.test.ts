/**
 * Framing of lightningd's JSON streams (services/lightning-rpc/json-frames.ts) and of the IPC's
 * lines (services/daemon-ipc/line-reader.ts): concatenated objects, any split point, strings with
 * braces and escapes, and the two refusals (garbage at top level, oversize).
 */
import { describe, expect, test } from 'bun:test';
import { LineReader } from '../../services/daemon-ipc/line-reader.ts';
import { JsonFrameReader } from '../../services/lightning-rpc/json-frames.ts';

const OBJECTS = [
  '{"jsonrpc":"2.0","id":"cli:x#1","result":{"a":[1,2,{"b":"}{"}]}}',
  '{"id":2,"result":"quote \\" and backslash \\\\ and brace } inside"}',
  '{"id":3,"error":{"code":-32600,"message":"No such peer: 02ab"}}',
  '{"id":4,"result":{"alias":"é🐝","nested":[[[]],{}]}}',
];
const STREAM = `${OBJECTS[0]}\n\n${OBJECTS[1]}${OBJECTS[2]}\n\n  \r\n${OBJECTS[3]}\n\n`;

describe('JsonFrameReader', () => {
  test('splits concatenated objects with and without the "\\n\\n" separator', () => {
    const r = new JsonFrameReader(1 << 20);
    expect(r.push(STREAM)).toEqual({ frames: OBJECTS });
  });

  test('every split point of the stream yields the same frames', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const r = new JsonFrameReader(1 << 20);
      const frames = [...r.push(STREAM.slice(0, cut)).frames, ...r.push(STREAM.slice(cut)).frames];
      expect(frames).toEqual(OBJECTS);
    }
  });

  test('one character at a time', () => {
    const r = new JsonFrameReader(1 << 20);
    const frames: string[] = [];
    for (const ch of STREAM) frames.push(...r.push(ch).frames);
    expect(frames).toEqual(OBJECTS);
    expect(r.pending).toBe(0);
  });

  test('text that is not an object at top level is a framing error, and stays one', () => {
    const r = new JsonFrameReader(1 << 20);
    const first = r.push(`${OBJECTS[0]}\n\nUNUSUAL plugin log line\n`);
    expect(first.frames).toEqual([OBJECTS[0]!]);
    expect(first.error).toEqual({ kind: 'not_object', at: OBJECTS[0]!.length + 2, char: 'U' });
    expect(r.push(OBJECTS[1]!)).toEqual({ frames: [], error: first.error! });
  });

  test('an object over the limit is refused whether it arrives whole or in pieces', () => {
    const big = `{"id":1,"result":"${'x'.repeat(100)}"}`;
    expect(new JsonFrameReader(50).push(big).error).toEqual({ kind: 'oversize', limit_chars: 50 });
    const r = new JsonFrameReader(50);
    expect(r.push(big.slice(0, 40)).error).toBeUndefined();
    expect(r.push(big.slice(40, 80)).error).toEqual({ kind: 'oversize', limit_chars: 50 });
  });
});

describe('LineReader', () => {
  test('holds partial lines across reads and skips empty lines', () => {
    const r = new LineReader(100);
    expect(r.push('{"a":1}\n{"b"')).toEqual({ lines: ['{"a":1}'], oversize: false });
    expect(r.push(':2}\n\n{"c":3}\n')).toEqual({ lines: ['{"b":2}', '{"c":3}'], oversize: false });
  });

  test('a line over the limit poisons the reader', () => {
    const r = new LineReader(10);
    expect(r.push('x'.repeat(11))).toEqual({ lines: [], oversize: true });
    expect(r.push('ok\n')).toEqual({ lines: [], oversize: true });
    expect(new LineReader(10).push(`${'y'.repeat(11)}\n`)).toEqual({ lines: [], oversize: true });
  });
});
