/**
 * The conformance suite every Lightning node stand-in passes (issue 14 §7, issue 18), so simnet's
 * lightningd, the simulated LND and the in-process test doubles cannot drift apart. Each check is
 * a `NodeBackend` contract (runtime/core/ports.ts) the engine relies on, read through the backend
 * the daemon would use: the CLN backend on simnet's `lightning-rpc`, the LND backend on the
 * simulated LND's gRPC, or the double itself.
 */
import { describe, expect, test } from 'bun:test';
import { recoverSigner, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import type { NodeBackend } from '../../runtime/core/ports.ts';
import { toHex } from '../../runtime/core/types.ts';

/** A started stand-in: node A under test, connected to peer B (with a channel A–B when `scid`). */
export interface StandInHarness {
  readonly backend: NodeBackend;
  readonly peer_id: string;
  /** The A–B channel, or null when the stand-in models no channels with fees. */
  readonly scid: string | null;
  /** Custom messages B received from A so far (hex, type included), in order. */
  received(): readonly string[];
  stop(): Promise<void>;
}

/** A stand-in to check. */
export interface StandIn {
  readonly name: string;
  start(): Promise<StandInHarness>;
}

/** A Hive-range custom message (odd type 32769 + magic `HIVE` + a small body). */
export const HIVE_MSG_HEX = `8001${toHex(new TextEncoder().encode('HIVE{"v":1}'))}`;
/** A node id nobody in any stand-in has. */
const STRANGER = `02${'ab'.repeat(32)}`;
/**
 * A signed text T as Hivebox makes them (already escaped, `lightningSignedText`): the characters
 * whose escaping differs between a JSON token and raw bytes, and non-ASCII.
 */
export const TRICKY_TEXT = 'hive \\"quoted\\" back\\\\slash \u00e9\u4e2d \u{1f41d} \\u0000';

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`conformance: ${what} did not happen within 20 s`);
    await Bun.sleep(10);
  }
}

/** Register the suite for `standIn`. */
export function conformanceSuite(standIn: StandIn): void {
  describe(`node stand-in conformance: ${standIn.name}`, () => {
    const run = (name: string, check: (h: StandInHarness) => Promise<void>) =>
      test(name, async () => {
        const h = await standIn.start();
        try {
          await check(h);
        } finally {
          await h.stop();
        }
      });

    run('getinfo: 66-hex node id, whole block height, network', async ({ backend }) => {
      const info = await backend.getinfo();
      if (!info.ok) throw new Error(info.error.message);
      expect(info.value.id).toMatch(/^0[23][0-9a-f]{64}$/);
      expect(Number.isSafeInteger(info.value.blockheight) && info.value.blockheight >= 0).toBe(true);
      expect(info.value.network.length).toBeGreaterThan(0);
    });

    run('signmessage: zbase over exactly the text recovers to the node id; signature and recid agree with it', async ({ backend }) => {
      const [info, sig] = await Promise.all([backend.getinfo(), backend.signmessage(TRICKY_TEXT)]);
      if (!info.ok || !sig.ok) throw new Error('getinfo/signmessage failed');
      expect(recoverSigner(TRICKY_TEXT, sig.value.zbase)).toBe(info.value.id);
      const raw = zbase32.decode(sig.value.zbase);
      expect(sig.value.signature).toBe(toHex(raw.slice(1)));
      expect(sig.value.recid).toBe(toHex(Uint8Array.of(raw[0]! - 31)));
    });

    run('listpeers: the connected peer, features as BOLT 9 hex', async ({ backend, peer_id }) => {
      const peers = await backend.listpeers(peer_id);
      if (!peers.ok) throw new Error(peers.error.message);
      expect(peers.value.map((p) => [p.id, p.connected])).toEqual([[peer_id, true]]);
      const features = peers.value[0]!.features;
      if (features !== undefined) expect(features).toMatch(/^([0-9a-f]{2})*$/);
    });

    run('sendcustommsg: a Hive-range message reaches the peer byte for byte', async (h) => {
      const sent = await h.backend.sendcustommsg(h.peer_id, HIVE_MSG_HEX);
      if (!sent.ok) throw new Error(sent.error.message);
      expect(typeof sent.value.status).toBe('string');
      await until(() => h.received().length > 0, 'delivery');
      expect(h.received()).toEqual([HIVE_MSG_HEX]);
    });

    run('sendcustommsg: an unknown peer is an error value, nothing delivered', async (h) => {
      const sent = await h.backend.sendcustommsg(STRANGER, HIVE_MSG_HEX);
      expect(sent.ok).toBe(false);
      if (!sent.ok) expect(sent.error.message.length).toBeGreaterThan(0);
      expect(h.received()).toEqual([]);
    });

    run('listpeerchannels: channels of the peer with a state (and the scid when modelled)', async ({ backend, peer_id, scid }) => {
      const chans = await backend.listpeerchannels(peer_id);
      if (!chans.ok) throw new Error(chans.error.message);
      for (const c of chans.value) {
        expect(c.peer_id).toBe(peer_id);
        expect(typeof c.state).toBe('string');
      }
      if (scid !== null) expect(chans.value.map((c) => c.short_channel_id)).toContain(scid);
    });

    run('setchannel 0-fee: applied and read back on the channel; without a channel an error value', async ({ backend, peer_id, scid }) => {
      const set = await backend.setchannel({ id: scid ?? peer_id, feebase: 0, feeppm: 0 });
      if (scid === null) {
        expect(set.ok).toBe(false);
        return;
      }
      if (!set.ok) throw new Error(set.error.message);
      expect(set.value.channels.map((c) => [c.fee_base_msat, c.fee_proportional_millionths])).toEqual([[0, 0]]);
      const chans = await backend.listpeerchannels(peer_id);
      if (!chans.ok) throw new Error(chans.error.message);
      const local = chans.value.find((c) => c.short_channel_id === scid)?.updates?.local;
      expect([local?.fee_base_msat, local?.fee_proportional_millionths]).toEqual([0, 0]);
    });

    run('listchannels: directed entries with source, destination and direction 0/1', async ({ backend }) => {
      const chans = await backend.listchannels();
      if (!chans.ok) throw new Error(chans.error.message);
      for (const c of chans.value) {
        expect(c.source).toMatch(/^0[23][0-9a-f]{64}$/);
        expect(c.destination).toMatch(/^0[23][0-9a-f]{64}$/);
        expect([0, 1]).toContain(c.direction);
      }
    });
  });
}
