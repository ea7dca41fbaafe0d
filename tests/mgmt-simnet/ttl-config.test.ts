/**
 * Advisor changes with a TTL, carried out and undone on mgr's lightningd (simnet): `hive:config/v1
 * adjust` changes what the running node does — `min_fee_ppm` refuses an anchor below it (the token
 * stays unspent), `base_fee_msat` is the base fee anchors set — and reverts when its TTL runs out;
 * `set_anchor` sets the fee through `setchannel` and the tick after its TTL sets the previous fee
 * back; a fee the operator changed since is left alone, and each revert happens once.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { SimWorld } from './support/sim-world.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create();
});
afterAll(async () => {
  await w.stop();
});

const anchor = (fee: number, ttl_hours = 1) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: w.scid, target_fee_ppm: fee, ttl_hours, reason: 'ttl test' } });
const adjust = (parameter: string, value: number, ttl_hours = 1) => ({ schema: 'hive:config/v1', action: 'adjust', params: { parameter, value, ttl_hours } });
const baseFee = async () => {
  const r = await w.mgr.backend.listpeerchannels();
  if (!r.ok) throw new Error(r.error.message);
  return r.value.find((c) => c.short_channel_id === w.scid)!.updates!.local!.fee_base_msat;
};
const reverts = () => w.logs.mgr.filter((l) => l.event === 'mgmt_ttl_reverted').map((l) => [l.fields.target, l.fields.outcome]);

test('config adjust applies to the running node and reverts at its TTL; set_anchor reverts at its TTL', async () => {
  const cred = await w.credential({ schemas: ['hive:config/*', 'hive:fee-policy/*'] });
  const pay = async () => (await w.wallet(20)).pay(10);
  expect(await w.fee()).toBe(100);

  const min = await w.client.command(w.mgr.node.nodeId, adjust('min_fee_ppm', 115), cred, await pay());
  expect(min.ok && min.value.result).toMatchObject({ status: 'accepted', payment: 'taken', result: { parameter: 'min_fee_ppm', before: null, after: 115 } });
  const token = await pay();
  const low = await w.client.command(w.mgr.node.nodeId, anchor(110), cred, token);
  expect(low.ok && low.value.result).toMatchObject({ status: 'error', detail: "fee 110 ppm is outside this node's min_fee_ppm..max_fee_ppm (115..∞)", payment: expect.stringMatching(/^not_taken/) });
  expect(await w.fee()).toBe(100);

  const base = await w.client.command(w.mgr.node.nodeId, adjust('base_fee_msat', 500, 3), cred, await pay());
  expect(base.ok && base.value.status).toBe(0);
  const ok = await w.client.command(w.mgr.node.nodeId, anchor(120), cred, await pay());
  expect(ok.ok && ok.value.result).toMatchObject({ status: 'accepted', result: { fee_ppm_before: 100, fee_ppm_after: 120 } });
  expect([await w.fee(), await baseFee()]).toEqual([120, 500]);

  // One hour and a bit later: min_fee_ppm and the anchor revert; base_fee_msat (3 h) stays.
  await w.engines.mgr.onTick((w.clock() + 3_700) * 1000);
  expect(await w.fee()).toBe(100);
  expect(w.stores.mgr.getConfig()).toEqual({ base_fee_msat: 500 });
  expect(reverts()).toEqual([
    ['config:min_fee_ppm', 'reverted 115 → unset'],
    [`fee:${w.scid}`, 'reverted 120 → 100 ppm'],
  ]);
  await w.engines.mgr.onTick((w.clock() + 7_400) * 1000);
  expect(reverts()).toHaveLength(2);

  // An anchor the operator overrides before its TTL is left as the operator set it.
  const again = await w.client.command(w.mgr.node.nodeId, anchor(110), cred, await pay());
  expect(again.ok && again.value.status).toBe(0);
  expect((await w.mgr.backend.setchannel({ id: w.scid, feeppm: 105 })).ok).toBe(true);
  await w.engines.mgr.onTick((w.clock() + 11_000) * 1000);
  expect(await w.fee()).toBe(105);
  expect(reverts().slice(2)).toEqual([
    ['config:base_fee_msat', 'reverted 500 → unset'],
    [`fee:${w.scid}`, 'left at 105 ppm: changed since the anchor (110 ppm)'],
  ]);
});
