/**
 * Payment-layer attacks (spec 002 "Threat Model: Payment fraud"): spent and double-spent Cashu
 * tokens, tokens from a mint off the allow-list, short amounts, missing or malformed proofs, and
 * L402 macaroons that are forged, for another DID, another tier, expired, paired with a wrong
 * preimage or used up. Each is refused with its rule, receipted, and nothing executes; a command
 * the local policy vetoes does not take the advisor's token.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { bytesToBase64, newMacaroon } from 'macaroon';
import { Wallet } from '@cashu/cashu-ts';
import { exportBinaryV2 } from '../../services/l402/binary-v2.ts';
import { l402Proof } from '../../runtime/node/mgmt/advisor-client.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { expectRefused, snapshot } from '../mgmt/support/refusal.ts';
import { SCIDS, World } from '../mgmt/support/world.ts';

let w: World;
afterEach(async () => {
  await w.close();
});

const setAnchor = (fee: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: SCIDS.a, target_fee_ppm: fee } });

describe('Cashu', () => {
  beforeEach(async () => {
    w = await World.create({ policy: { protected_channels: [SCIDS.c] } });
  });

  test('a token already redeemed by the node is refused (spent)', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(50)).pay(10);
    expect((await w.client.command(w.sim.id, setAnchor(110), cred, token)).ok).toBe(true);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(115), cred, token), 'payment', 'token_spent');
    expect(w.fee(SCIDS.a)).toBe(110);
  });

  test('a token the advisor double-spent elsewhere first is refused', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(50)).pay(10);
    const elsewhere = new Wallet(w.mint.url);
    await elsewhere.loadMint();
    await elsewhere.receive(token);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, token), 'payment', 'token_spent');
  });

  test('a token from a mint off the allow-list is refused without contacting it', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(50, w.foreignMint)).pay(10);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, token), 'payment', 'mint_not_allowed');
  });

  test('too small, missing or malformed payments', async () => {
    const cred = await w.credential({ rateSats: 10 });
    const wallet = await w.wallet(50);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, await wallet.pay(5)), 'payment', 'insufficient_amount');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, null), 'payment', 'payment_required');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, 'IOU ten sats'), 'payment', 'malformed_payment');
  });

  test('a local-policy veto leaves the token unspent (payment is taken only after policy agrees)', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(50)).pay(10);
    const cmd = { schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: SCIDS.c, target_fee_ppm: 55 } };
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, cmd, cred, token), 'policy', 'protected_channel');
    const probe = new Wallet(w.mint.url);
    await probe.loadMint();
    expect((await probe.checkProofsStates(probe.decodeToken(token).proofs)).map((s) => s.state)).toEqual(['UNSPENT', 'UNSPENT']);
    expect((await w.client.command(w.sim.id, setAnchor(110), cred, token)).ok).toBe(true);
    expect(w.store.redeemedSats()).toBe(10);
  });
});

describe('L402', () => {
  beforeEach(async () => {
    w = await World.create({ subscription: { price_msat: 1_000_000, duration_s: 3600, max_actions: 2 } });
  });

  async function subscribe(cred: string, client = w.client) {
    const r = await client.command(w.sim.id, setAnchor(101), cred, null);
    if (!r.ok) throw new Error('no challenge');
    const l402 = (r.value.result as { l402: { macaroon: string; invoice: string; token_id: string } }).l402;
    return { ...l402, preimage: w.sim.payInvoice(l402.invoice) };
  }

  test('a macaroon bound to another DID (caveat did=)', async () => {
    const sub = await subscribe(await w.credential({ model: 'subscription' }));
    const mallory = new KeyFileSigner(new Uint8Array(32).fill(0x4d));
    const client = w.advisor(mallory, '03' + '4d'.repeat(32));
    const credM = await w.credential({ model: 'subscription', agentDid: mallory.did });
    const before = snapshot(w);
    const r = await client.command(w.sim.id, setAnchor(110), credM, l402Proof(sub.macaroon, sub.preimage));
    expect(expectRefused(w, before, r, 'payment', 'caveat_violated').result).toMatchObject({ detail: `macaroon is for ${w.advisorKey.did}` });
  });

  test('a standard-tier macaroon presented with an advanced credential (caveat tier=)', async () => {
    const sub = await subscribe(await w.credential({ model: 'subscription', tier: 'standard' }));
    const adv = await w.credential({ model: 'subscription', tier: 'advanced' });
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), adv, l402Proof(sub.macaroon, sub.preimage)), 'payment', 'caveat_violated');
  });

  test('an expired macaroon (caveat expires=)', async () => {
    const cred = await w.credential({ model: 'subscription' });
    const sub = await subscribe(cred);
    w.now += 3601;
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, l402Proof(sub.macaroon, sub.preimage)), 'payment', 'caveat_violated');
  });

  test('a forged macaroon (same identifier, unknown root key) and a wrong preimage', async () => {
    const cred = await w.credential({ model: 'subscription' });
    const sub = await subscribe(cred);
    const real = (await import('macaroon')).importMacaroon(sub.macaroon);
    const fake = newMacaroon({ rootKey: new Uint8Array(32).fill(1), identifier: real.identifier, location: 'hivebox', version: 2 });
    fake.addFirstPartyCaveat(`did=${w.advisorKey.did}`);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, l402Proof(bytesToBase64(exportBinaryV2(fake)), sub.preimage)), 'payment', 'macaroon_invalid');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, l402Proof(sub.macaroon, '00'.repeat(32))), 'payment', 'preimage_mismatch');
  });

  test('max_actions used up', async () => {
    const cred = await w.credential({ model: 'subscription' });
    const sub = await subscribe(cred);
    const proof = l402Proof(sub.macaroon, sub.preimage);
    for (const fee of [105, 110]) expect((await w.client.command(w.sim.id, setAnchor(fee), cred, proof)).ok).toBe(true);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(115), cred, proof), 'payment', 'actions_exhausted');
    expect(w.store.getL402Token(sub.token_id)!.used).toBe(2);
  });
});
