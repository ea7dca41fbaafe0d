/**
 * Every rejection path of the three-layer trust model over simnet (issue 9 §7): the advisor fleet
 * member sends real 49152 messages through its lightningd, mgr's plugin and daemon hand them to the
 * managed node, and each refusal comes back as a signed 49153 answer naming the layer and rule,
 * with a receipt recorded and nothing executed — mgr's fees and balances (its own
 * `listpeerchannels`), config, pending actions and redeemed Cashu unchanged, and an attached token
 * left unspent at the mint unless the refusal is about the token itself.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Wallet } from '@cashu/cashu-ts';
import type { OpenedResponse } from '../../runtime/core/mgmt/advisor.ts';
import type { MgmtLayer, MgmtRule } from '../../runtime/core/mgmt/reject.ts';
import type { Result } from '../../runtime/core/result.ts';
import { l402Proof, type AdvisorError } from '../../runtime/node/mgmt/advisor-client.ts';
import { SimWorld, type SimSnapshot } from './support/sim-world.ts';
import { receiptStored } from '../mgmt/support/refusal.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create({ subscription: { price_msat: 2_000_000, duration_s: 3600, max_actions: 10 } });
});
afterAll(async () => {
  await w.stop();
});

const setAnchor = (scid: string, fee: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: scid, target_fee_ppm: fee } });

/**
 * Assert the verified answer is the named refusal with a signed receipt, stored only when the
 * credential had verified (`receiptStored`), and nothing else changed.
 */
async function refused(before: SimSnapshot, r: Result<OpenedResponse, AdvisorError>, layer: MgmtLayer, rule: MgmtRule): Promise<void> {
  if (!r.ok) throw new Error(`no verified answer: ${JSON.stringify(r.error)}`);
  expect(r.value.status).toBe(1);
  expect(r.value.result).toMatchObject({ status: 'rejected', layer, rule });
  expect(r.value.receipt).toMatchObject({ status: 'rejected', layer, rule, node_id: w.mgr.node.nodeId });
  const stored = receiptStored(rule);
  if (stored) expect(w.lastReceipt().receipt_id).toBe(r.value.receipt.receipt_id);
  expect(await w.snapshot()).toEqual({ ...before, receipts: before.receipts + (stored ? 1 : 0) });
}

/** A token's proofs are still unspent at its mint. */
async function unspent(token: string, mintUrl = w.mint.url): Promise<boolean> {
  const probe = new Wallet(mintUrl);
  await probe.loadMint();
  return (await probe.checkProofsStates(probe.decodeToken(token).proofs)).every((s) => s.state === 'UNSPENT');
}

const send = (cmd: ReturnType<typeof setAnchor>, cred: string, payment: string | null) => w.client.command(w.mgr.node.nodeId, cmd, cred, payment);

describe('credential layer', () => {
  test('expired credential (token untouched)', async () => {
    const cred = await w.credential({ issuedAt: w.clock() - 31 * 86_400, days: 30 });
    const token = await (await w.wallet(20)).pay(10);
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 110), cred, token), 'credential', 'expired');
    expect(await unspent(token)).toBe(true);
  });

  test('wrong tier: a monitor credential cannot set fees', async () => {
    const cred = await w.credential({ tier: 'monitor', schemas: ['hive:fee-policy/*'] });
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 110), cred, await (await w.wallet(20)).pay(10)), 'credential', 'insufficient_tier');
  });

  test('schema not allowed by the credential', async () => {
    const cred = await w.credential({ schemas: ['hive:monitor/*'] });
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 110), cred, await (await w.wallet(20)).pay(10)), 'credential', 'schema_not_allowed');
  });

  test('constraint exceeded: +100 % with max_fee_change_pct 50', async () => {
    const cred = await w.credential();
    await refused(await w.snapshot(), await send(setAnchor(w.scid, (await w.fee()) * 2), cred, await (await w.wallet(20)).pay(10)), 'credential', 'max_fee_change_pct');
  });

  test('daily cap reached: max_daily_actions 1, the second command of the day', async () => {
    const cred = await w.credential({ model: 'performance', maxDailyActions: 1 });
    const first = await send(setAnchor(w.scid, 104), cred, null);
    expect(first.ok && first.value.status).toBe(0);
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 106), cred, null), 'credential', 'daily_cap_reached');
  });
});

describe('local policy layer', () => {
  test('veto: the channel is on the protected list (the token is not taken)', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(20)).pay(10);
    await refused(await w.snapshot(), await send(setAnchor(w.protectedScid, 11), cred, token), 'policy', 'protected_channel');
    expect(await unspent(token)).toBe(true);
  });
});

describe('transport layer', () => {
  test('replayed nonce: the same signed bytes a second time', async () => {
    const cred = await w.credential({ model: 'performance' });
    const { bytes } = w.client.buildBytes(setAnchor(w.scid, 103), cred, null);
    expect(await w.sendRaw(bytes)).toMatchObject({ status: 'accepted' });
    const before = await w.snapshot();
    await w.sendRawUnauthenticated(bytes);
    expect(w.engines.mgr.node!.unauthenticatedRefusals()).toMatchObject({ replayed_nonce: 1 });
    expect(await w.snapshot()).toEqual(before);
  });

  test('stale timestamp: the advisor clock 10 minutes behind', async () => {
    const cred = await w.credential({ model: 'performance' });
    w.advisorSkew.s = -600;
    try {
      await refused(await w.snapshot(), await send(setAnchor(w.scid, 107), cred, null), 'transport', 'stale_timestamp');
    } finally {
      w.advisorSkew.s = 0;
    }
    expect(w.stores.mgr.receipts().some((r) => r.agent_did === `peer:${w.adv.node.nodeId}`)).toBe(false);
    await waitUntil(() => w.logs.mgr.some((l) => l.event === 'mgmt_unauthenticated_refused'), 'unauthenticated refusals counted in the log');
  });
});

describe('payment layer', () => {
  test('spent token: the same Cashu token for a second command', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(20)).pay(10);
    const ok = await send(setAnchor(w.scid, 108), cred, token);
    expect(ok.ok && ok.value.status).toBe(0);
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 109), cred, token), 'payment', 'token_spent');
  });

  test('wrong-mint token: a mint off the allow-list is never contacted', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(20, w.foreignMint)).pay(10);
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 110), cred, token), 'payment', 'mint_not_allowed');
    expect(await unspent(token, w.foreignMint.url)).toBe(true);
  });

  test('macaroon caveat violated: a standard-tier subscription presented with an advanced credential', async () => {
    const standard = await w.credential({ model: 'subscription' });
    const challenge = await send(setAnchor(w.scid, 110), standard, null);
    if (!challenge.ok) throw new Error('no challenge');
    const l402 = (challenge.value.result as { l402: { macaroon: string; invoice: string } }).l402;
    const paid = await w.adv.cli.call('pay', { bolt11: l402.invoice });
    if (!paid.ok) throw new Error(paid.error.message);
    const proof = l402Proof(l402.macaroon, (paid.value as { payment_preimage: string }).payment_preimage);
    const advanced = await w.credential({ model: 'subscription', tier: 'advanced' });
    await refused(await w.snapshot(), await send(setAnchor(w.scid, 110), advanced, proof), 'payment', 'caveat_violated');
  });
});
