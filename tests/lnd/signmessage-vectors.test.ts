/**
 * Issue 18 §3: the text LND signs and the text CLN signs for the same Hive message, byte for byte.
 * Hivebox signs T = lightningSignedText(S) for canonical S (runtime/core/canonical/signed-text.ts).
 *  - CLN: lightningd hashes the raw JSON token of `message` between the quotes, unescaped
 *    (signmessage-request.ts); the CLN backend writes T there verbatim.
 *  - LND: `SignMessage` hashes `"Lightning Signed Message:" ‖ msg` with double SHA-256
 *    (lightning.proto SignMessageRequest `msg` bytes, `single_hash` false) — no JSON layer; the LND
 *    backend sends utf8(T) as `msg`.
 * So both hash the same bytes; a node key then yields the same zbase on both, and each verifies the other's.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { utf8 } from '../../runtime/core/types.ts';
import { LndNodeBackend } from '../../services/lnd/backend.ts';
import type { LndServices } from '../../services/lnd/client.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { signmessageParamsJson } from '../../services/lightning-rpc/signmessage-request.ts';
import { SimNetwork } from '../../runtime/sim/simnet/network.ts';
import { addLndNode } from '../../runtime/sim/simlnd/node.ts';
import { lndBackendFor } from '../conformance/stand-ins.ts';

/** Canonical Hive strings with what JSON escapes: quotes, backslashes, control characters, non-ASCII. */
const CANONICAL = [
  '{"type":"GOSSIP","hive_id":"hive_1a2b","seq":7}',
  '{"alias":"say \\"hi\\"","path":"C:\\\\fleet","note":"a\\nb\\tc"}',
  '{"alias":"Zoë 中 🐝","ctrl":"\u0001"}',
];

/** The bytes lightningd hashes: the raw token between the quotes of the request the CLN backend sends. */
function clnSignedBytes(t: string): Uint8Array {
  const body = signmessageParamsJson(t);
  if (!body.ok) throw new Error(body.error.message);
  const prefix = '{"message":"';
  expect(body.value.startsWith(prefix) && body.value.endsWith('"}')).toBe(true);
  return utf8(body.value.slice(prefix.length, -2));
}

/** The `msg` bytes the LND backend puts in SignMessage (captured from the request it makes). */
async function lndSignedBytes(t: string): Promise<Uint8Array> {
  let msg: Uint8Array | null = null;
  const lightning = {
    SignMessage: (req: { msg: Uint8Array }, _opts: unknown, cb: (e: null, r: { signature: string }) => void) => {
      msg = req.msg;
      cb(null, { signature: 'y'.repeat(104) });
    },
  };
  const backend = new LndNodeBackend({ lightning, router: {}, wallet: {}, close: () => {} } as unknown as LndServices);
  await backend.signmessage(t);
  return msg!;
}

test('for every Hive text T, the bytes CLN hashes and the bytes LND hashes are identical (and differ from a double-escaped request)', async () => {
  for (const s of CANONICAL) {
    const t = lightningSignedText(s);
    const cln = clnSignedBytes(t);
    expect(Buffer.from(await lndSignedBytes(t)).equals(Buffer.from(cln))).toBe(true);
    expect(Buffer.from(cln).toString('utf8')).toBe(t);
    // What a naive client would make lightningd sign: JSON.stringify escapes T a second time.
    const naive = JSON.stringify(t).slice(1, -1);
    if (/[\\"]/.test(t)) expect(naive).not.toBe(t);
  }
});

let network: SimNetwork;
let cln: ReturnType<typeof createLightningBackend>;
let lnd: ReturnType<typeof lndBackendFor>;

beforeAll(async () => {
  network = await SimNetwork.create();
  // The same key seed on a simulated lightningd and a simulated LND.
  const c = await network.addNode({ name: 'c', seed: 'shared-key' });
  const l = await addLndNode(network, { name: 'l', seed: 'shared-key' });
  cln = createLightningBackend({ socketPath: c.rpcPath });
  lnd = lndBackendFor(l.endpoint);
});

afterAll(async () => {
  cln.client.close();
  lnd.close();
  await network.stop();
});

test('the same key signs T to the same zbase through lightningd and through LND; it recovers to that node', async () => {
  const [ci, li] = await Promise.all([cln.backend.getinfo(), lnd.backend.getinfo()]);
  if (!ci.ok || !li.ok) throw new Error('getinfo failed');
  expect(li.value.id).toBe(ci.value.id);
  for (const s of CANONICAL) {
    const t = lightningSignedText(s);
    const [viaCln, viaLnd] = await Promise.all([cln.backend.signmessage(t), lnd.backend.signmessage(t)]);
    if (!viaCln.ok || !viaLnd.ok) throw new Error('signmessage failed');
    expect(viaLnd.value).toEqual(viaCln.value);
    expect(recoverSigner(t, viaLnd.value.zbase)).toBe(ci.value.id);
  }
});
