/**
 * lightning-rpc client (services/lightning-rpc) against a scripted lightningd socket: framing of
 * concatenated / split / out-of-order responses, CLN error objects as typed values, transport
 * failures (absent, timeout, garbage), reconnect after a lightningd restart, and the hand-written
 * signmessage body that makes lightningd hash exactly T.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { ClnNodeBackend, CLIENT_ERROR, LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import { ScriptedLightningd, type ReceivedRequest } from './fixtures/scripted-lightningd.ts';

let dir: string;
let ld: ScriptedLightningd;
let client: LightningRpcClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbx-rpc-'));
  ld = new ScriptedLightningd(join(dir, 'lightning-rpc'));
  await ld.start();
  client = new LightningRpcClient({ socketPath: ld.path, callTimeoutMs: 2_000 });
});

afterEach(async () => {
  client.close();
  await ld.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('framing', () => {
  test('requests carry string ids and JSON-RPC 2.0; the result member is returned', async () => {
    const r = await client.call('getinfo');
    expect(r).toEqual({ ok: true, value: { method: 'getinfo' } });
    const req = JSON.parse(ld.requests[0]!.raw);
    expect(req).toEqual({ jsonrpc: '2.0', id: 'hivebox:getinfo#0', method: 'getinfo', params: {} });
  });

  test('two responses written together, in reverse order, are matched by id', async () => {
    const held: ReceivedRequest[] = [];
    ld.onRequest = (r) => {
      held.push(r);
      if (held.length === 2) held[0]!.socket.write(ld.responseText(held[1]!, { result: 'second' }) + ld.responseText(held[0]!, { result: 'first' }));
    };
    const [a, b] = await Promise.all([client.call('listpeers'), client.call('listnodes')]);
    expect(a).toEqual({ ok: true, value: 'first' });
    expect(b).toEqual({ ok: true, value: 'second' });
  });

  test('a response split into single bytes across many writes is reassembled', async () => {
    const alias = 'split 🐝 “quotes” \\" }{';
    ld.onRequest = (r) => {
      const bytes = new TextEncoder().encode(ld.responseText(r, { result: { alias } }));
      void (async () => {
        for (const b of bytes) {
          r.socket.write(Uint8Array.of(b));
          await Bun.sleep(0);
        }
      })();
    };
    expect(await client.call('getinfo')).toEqual({ ok: true, value: { alias } });
  });

  test('garbage from the socket is a BAD_RESPONSE and the next call reconnects', async () => {
    ld.onRequest = (r) => r.socket.write('Segmentation fault\n');
    const r = await client.call('getinfo');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(CLIENT_ERROR.BAD_RESPONSE);
    ld.onRequest = (q) => ld.answer(q, { result: 1 });
    expect(await client.call('getinfo')).toEqual({ ok: true, value: 1 });
  });
});

describe('errors as values', () => {
  test('a CLN error object becomes {code, message, method}', async () => {
    ld.onRequest = (r) => ld.answer(r, { error: { code: -32600, message: 'No such peer: 02ab' } });
    expect(await client.call('sendcustommsg', { node_id: '02ab', msg: '4849' })).toEqual({
      ok: false,
      error: { code: -32600, message: 'No such peer: 02ab', method: 'sendcustommsg' },
    });
  });

  test('no answer within the timeout is TIMEOUT; a late answer is ignored', async () => {
    let late: ReceivedRequest | undefined;
    ld.onRequest = (r) => {
      late = r;
    };
    const r = await client.call('getinfo', {}, { timeoutMs: 50 });
    expect(r).toEqual({ ok: false, error: { code: CLIENT_ERROR.TIMEOUT, message: 'no answer from lightningd within 50 ms', method: 'getinfo' } });
    ld.answer(late!, { result: 'late' });
    ld.onRequest = (q) => ld.answer(q, { result: 'fresh' });
    expect(await client.call('getinfo')).toEqual({ ok: true, value: 'fresh' });
  });

  test('no socket is UNAVAILABLE at once', async () => {
    const c = new LightningRpcClient({ socketPath: join(dir, 'absent') });
    const r = await c.call('getinfo');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(CLIENT_ERROR.UNAVAILABLE);
  });
});

describe('lightningd restart', () => {
  test('calls in flight fail with UNAVAILABLE, calls after the restart succeed on a new connection', async () => {
    ld.onRequest = () => {};
    const inFlight = client.call('getinfo');
    await Bun.sleep(20);
    await ld.stop();
    const r = await inFlight;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ code: CLIENT_ERROR.UNAVAILABLE, message: 'connection to lightningd lost', method: 'getinfo' });
    const down = await client.call('getinfo');
    expect(down.ok).toBe(false);
    await ld.start();
    ld.onRequest = (q) => ld.answer(q, { result: 'back' });
    expect(await client.call('getinfo')).toEqual({ ok: true, value: 'back' });
  });
});

describe('signmessage body', () => {
  test('T is written verbatim between the quotes (lightningd hashes the raw token)', async () => {
    const T = lightningSignedText('{"nonce":"ab","note":"tab\there é"}');
    expect(T).toBe('{\\"nonce\\":\\"ab\\",\\"note\\":\\"tab\\there é\\"}');
    ld.onRequest = (r) => ld.answer(r, { result: { signature: '00', recid: '00', zbase: 'z' } });
    const backend = new ClnNodeBackend(client);
    expect((await backend.signmessage(T)).ok).toBe(true);
    const raw = ld.requests[0]!.raw;
    expect(raw).toContain(`"params":{"message":"${T}"}`);
    expect(JSON.parse(raw).params.message).toBe('{"nonce":"ab","note":"tab\there é"}');
  });

  test('a T that is not valid JSON string content never leaves the process', async () => {
    const backend = new ClnNodeBackend(client);
    for (const bad of ['raw " quote', 'lone \\', 'ctrl \u0001']) {
      const r = await backend.signmessage(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(CLIENT_ERROR.BAD_REQUEST);
    }
    expect(ld.requests).toEqual([]);
  });
});

describe('NodeBackend unwraps CLN list members', () => {
  test('listpeers → peers, listchannels → channels, listnodes → nodes, listforwards → forwards', async () => {
    ld.onRequest = (r) => {
      const key = { listpeers: 'peers', listchannels: 'channels', listnodes: 'nodes', listforwards: 'forwards', listpeerchannels: 'channels' }[r.method]!;
      ld.answer(r, { result: { [key]: [{ from: r.method, params: r.params }] } });
    };
    const b = new ClnNodeBackend(client);
    expect(await b.listpeers('02aa')).toEqual({ ok: true, value: [{ from: 'listpeers', params: { id: '02aa' } }] } as never);
    expect(await b.listchannels({ source: '03bb' })).toEqual({ ok: true, value: [{ from: 'listchannels', params: { source: '03bb' } }] } as never);
    expect(await b.listnodes()).toEqual({ ok: true, value: [{ from: 'listnodes', params: {} }] } as never);
    expect(await b.listforwards({ status: 'settled' })).toEqual({ ok: true, value: [{ from: 'listforwards', params: { status: 'settled' } }] } as never);
    expect(await b.listpeerchannels()).toEqual({ ok: true, value: [{ from: 'listpeerchannels', params: {} }] } as never);
  });
});
