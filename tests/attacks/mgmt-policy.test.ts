/**
 * Constraint and local-policy attacks (spec 002 §4 constraints; "Trust Model" layer 3; "Threat
 * Model: Malicious fee manipulation, Denial of service"; conflict rule for several advisors):
 * credential constraints exceeded, bad params, unknown channels, the node's own vetoes (protected
 * channel, quiet hours, 24 h fee cap, locked config), the daily cap, and conflicting advisors.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { expectRefused, snapshot } from '../mgmt/support/refusal.ts';
import { SCIDS, World, type WorldOptions } from '../mgmt/support/world.ts';

let w: World;
afterEach(async () => {
  await w.close();
});
const start = async (opts: WorldOptions = {}) => {
  w = await World.create(opts);
  return w.credential({ model: 'performance' });
};
const setAnchor = (fee: number, scid: string = SCIDS.a) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: scid, target_fee_ppm: fee } });
const rebalance = (amount: number, maxFee = 500) => ({ schema: 'hive:rebalance/v1', action: 'circular_rebalance', params: { from_channel: SCIDS.c, to_channel: SCIDS.b, amount_sats: amount, max_fee_ppm: maxFee } });

describe('credential constraints', () => {
  test('fee change beyond max_fee_change_pct of the current fee', async () => {
    const cred = await start();
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(151), cred, null), 'credential', 'max_fee_change_pct');
  });

  test('rebalance above max_rebalance_sats, or offering more than 1000 ppm', async () => {
    const cred = await start();
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, rebalance(1_000_001), cred, null), 'credential', 'max_rebalance_sats');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, rebalance(100_000, 1001), cred, null), 'credential', 'max_fee_ppm');
  });

  test('params outside the schema, unknown params, unknown channels, config outside its range', async () => {
    const cred = await start();
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { ...setAnchor(110), params: { channel_id: SCIDS.a, target_fee_ppm: -1 } }, cred, null), 'schema', 'invalid_params');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { ...setAnchor(110), params: { channel_id: SCIDS.a, target_fee_ppm: 110, shell: 'rm -rf /' } }, cred, null), 'schema', 'invalid_params');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110, '1x1x1'), cred, null), 'schema', 'unknown_channel');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { schema: 'hive:config/v1', action: 'adjust', params: { parameter: 'min_fee_ppm', value: 99_999 } }, cred, null), 'schema', 'invalid_params');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { schema: 'hive:config/v1', action: 'adjust', params: { parameter: 'bitcoin-rpcpassword', value: 1 } }, cred, null), 'schema', 'invalid_params');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { schema: 'hive:fee-policy/v1', action: 'close_all', params: {} }, cred, null), 'schema', 'unknown_action');
  });

  test('daily cap: max_daily_actions accepted commands per UTC day', async () => {
    w = await World.create();
    const cred = await w.credential({ model: 'performance', maxDailyActions: 2 });
    for (const fee of [105, 110]) expect((await w.client.command(w.sim.id, setAnchor(fee), cred, null)).ok).toBe(true);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(115), cred, null), 'credential', 'daily_cap_reached');
    w.now += 12 * 3600;
    const next = await w.client.command(w.sim.id, setAnchor(115), cred, null);
    expect(next.ok && next.value.status).toBe(0);
  });
});

describe('local policy has the last word', () => {
  test('protected channel', async () => {
    const cred = await start({ policy: { protected_channels: [SCIDS.a] } });
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, null), 'policy', 'protected_channel');
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { ...rebalance(1000), params: { ...rebalance(1000).params, to_channel: SCIDS.a } }, cred, null), 'policy', 'protected_channel');
  });

  test('quiet hours block changes but not monitoring', async () => {
    const cred = await start({ policy: { quiet_hours: { start_hour: 11, end_hour: 13 } } });
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(110), cred, null), 'policy', 'quiet_hours');
    const mon = await w.client.command(w.sim.id, { schema: 'hive:monitor/v1', action: 'health_summary', params: {} }, cred, null);
    expect(mon.ok && mon.value.status).toBe(0);
  });

  test('24 h fee cap is cumulative even when each step is within the credential', async () => {
    const cred = await start();
    expect((await w.client.command(w.sim.id, setAnchor(120), cred, null)).ok).toBe(true);
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(140), cred, null), 'policy', 'max_fee_change_24h');
    w.now += 86_400;
    const later = await w.client.command(w.sim.id, setAnchor(140), cred, null);
    expect(later.ok && later.value.status).toBe(0);
  });

  test('locked config parameter', async () => {
    const cred = await start({ policy: { locked_config: ['base_fee_msat'] } });
    expectRefused(w, snapshot(w), await w.client.command(w.sim.id, { schema: 'hive:config/v1', action: 'adjust', params: { parameter: 'base_fee_msat', value: 0 } }, cred, null), 'policy', 'config_locked');
  });
});

describe('several advisors on one node', () => {
  test('inside the isolation window: higher tier wins, then the newer credential; otherwise refused', async () => {
    w = await World.create();
    const older = await w.credential({ model: 'performance', issuedAt: w.now - 7200 });
    const bob = new KeyFileSigner(new Uint8Array(32).fill(0xb0));
    const bobClient = w.advisor(bob, '03' + 'b0'.repeat(32));
    const newer = await w.credential({ model: 'performance', agentDid: bob.did, issuedAt: w.now - 60 });
    expect((await w.client.command(w.sim.id, setAnchor(110), older, null)).ok).toBe(true);
    w.now += 60;
    const bobWins = await bobClient.command(w.sim.id, setAnchor(115), newer, null);
    expect(bobWins.ok && bobWins.value.status).toBe(0);
    w.now += 60;
    const r = expectRefused(w, snapshot(w), await w.client.command(w.sim.id, setAnchor(112), older, null), 'policy', 'conflict');
    expect((r.result as { detail: string }).detail).toContain(bob.did);
    const carol = new KeyFileSigner(new Uint8Array(32).fill(0xc0));
    const admin = await w.credential({ model: 'performance', agentDid: carol.did, tier: 'advanced', issuedAt: w.now - 86_400 * 5 });
    const carolWins = await w.advisor(carol, '03' + 'c0'.repeat(32)).command(w.sim.id, setAnchor(118), admin, null);
    expect(carolWins.ok && carolWins.value.status).toBe(0);
    w.now += 3600;
    const afterWindow = await w.client.command(w.sim.id, setAnchor(120), older, null);
    expect(afterWindow.ok && afterWindow.value.status).toBe(0);
  });
});
