/**
 * Remote management as `hivebox run` composes it from the `[mgmt]` configuration section
 * (configuredEngineFactory: Hive engine + management sub-engine) on two simnet nodes with the
 * real plugin: the advisor node's operator runs `lightning-cli hive-mgmt-command` (positional
 * params, through lightningd → plugin → daemon → sub-engine), the managed node checks the
 * credential against its configured trusted issuer, its configured Cashu mint allow-list and its
 * configured local policy, and answers with a signed receipt. The Hive engine still answers
 * `hive-status` on both, and an advisor's expansion proposals join its pending-actions queue.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { StatusResult } from '../../runtime/node/hive/index.ts';
import { AdvisorWallet } from '../../services/cashu/advisor-wallet.ts';
import { startTestMint, type TestMintServer } from '../../runtime/sim/mint/server.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { issueCredential } from '../../runtime/node/mgmt/operator.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { startSimBox, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

let net: SimNetwork;
let mgr: SimBox;
let adv: SimBox;
let mint: TestMintServer;
let foreignMint: TestMintServer;
let operatorStore: MgmtStore;
let scid: string;
const operator = new KeyFileSigner(Uint8Array.from({ length: 32 }, (_, i) => i + 1));

beforeAll(async () => {
  net = await SimNetwork.create();
  mint = startTestMint(Uint8Array.from({ length: 32 }, (_, i) => 2 * i + 7));
  foreignMint = startTestMint(Uint8Array.from({ length: 32 }, (_, i) => 3 * i + 11));
  mgr = await startSimBox(net, 'mgr', 0x51, {
    mgmt: {
      enabled: true,
      store_path: join(net.root, 'mgr-mgmt.sqlite'),
      trusted_issuers: [operator.did],
      allowed_mints: [mint.url],
      policy: { max_fee_change_pct_24h: 50 },
    },
  });
  KeyFileSigner.create(join(net.root, 'advisor.key'));
  adv = await startSimBox(net, 'adv', 0x52, { mgmt: { store_path: join(net.root, 'adv-mgmt.sqlite'), advisor_key_file: join(net.root, 'advisor.key') } });
  scid = (await net.openChannel(adv.node, mgr.node.nodeId, { capacity_sat: 5_000_000 })).short_channel_id;
  const set = await mgr.call('setchannel', { id: scid, feeppm: 100 });
  expect(set).toBeDefined();
  operatorStore = new MgmtStore(join(net.root, 'operator.sqlite'));
});

afterAll(async () => {
  await adv.stop();
  await mgr.stop();
  operatorStore.close();
  await Promise.all([mint.stop(), foreignMint.stop()]);
  await net.stop();
});

async function credential(model: 'performance' | 'per_action', expansion = false): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const advisor = KeyFileSigner.load(join(net.root, 'advisor.key'));
  const r = await issueCredential(
    operator,
    operatorStore,
    {
      agent_did: advisor.did,
      node_id: mgr.node.nodeId,
      tier: expansion ? 'advanced' : 'standard',
      permissions: { monitor: true, fee_policy: true, rebalance: false, config_tune: false, channel_open: expansion },
      constraints: { max_fee_change_pct: 50, max_rebalance_sats: 0, max_daily_actions: 100, allowed_schemas: ['hive:fee-policy/*', 'hive:monitor/*', ...(expansion ? ['hive:expansion/*'] : [])] },
      compensation: { model, rate_sats: 10, currency: 'cashu' },
      issued_at: now - 60,
      expires_at: now + 30 * 86_400,
      idBytes: crypto.getRandomValues(new Uint8Array(16)),
    },
    now,
  );
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
}

/** The message `p` rejects with. @throws when it resolves. */
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

const feeOf = async () => ((await mgr.call<{ channels: { short_channel_id: string; fee_proportional_millionths: number }[] }>('listpeerchannels')).channels.find((c) => c.short_channel_id === scid))!.fee_proportional_millionths;

interface CommandAnswer {
  status: number;
  result: { status: string; result?: Record<string, unknown>; layer?: string; rule?: string };
  receipt: { status: string; node_id: string; schema_id: string; state_hash_before: string; state_hash_after: string };
}

test('lightning-cli hive-mgmt-command (positional) changes the managed node\'s fee under a performance credential', async () => {
  const cred = await credential('performance');
  const params = { channel_id: scid, target_fee_ppm: 130, ttl_hours: 24, reason: 'lightning-cli' };
  const r = await adv.call<CommandAnswer>('hive-mgmt-command', [mgr.node.nodeId, 'hive:fee-policy/v1', 'set_anchor', params, cred]);
  expect(r.status).toBe(0);
  expect(r.result).toMatchObject({ status: 'accepted', result: { scid, fee_ppm_before: 100, fee_ppm_after: 130 } });
  expect(r.receipt).toMatchObject({ status: 'accepted', node_id: mgr.node.nodeId, schema_id: 'hive:fee-policy/v1' });
  expect(await feeOf()).toBe(130);
  expect((await mgr.call<StatusResult>('hive-status')).node_id).toBe(mgr.node.nodeId);
  expect((await adv.call<StatusResult>('hive-status')).node_id).toBe(adv.node.nodeId);
});

test('a Cashu token from a mint outside [mgmt] allowed_mints is refused and nothing runs; one from the allowed mint pays', async () => {
  const cred = await credential('per_action');
  const command = (payment: string) => adv.call<CommandAnswer>('hive-mgmt-command', { node_id: mgr.node.nodeId, schema: 'hive:monitor/v1', action: 'health_summary', params: {}, credential: cred, payment });
  const foreign = await (await AdvisorWallet.open(foreignMint.url).then(async (w) => (await w.fund(20), w))).pay(10);
  const refused = await command(foreign);
  expect(refused.status).toBe(1);
  expect(refused.result).toMatchObject({ status: 'rejected', layer: 'payment', rule: 'mint_not_allowed' });
  expect(refused.receipt).toMatchObject({ status: 'rejected', state_hash_after: refused.receipt.state_hash_before });
  const good = await (await AdvisorWallet.open(mint.url).then(async (w) => (await w.fund(20), w))).pay(10);
  const accepted = await command(good);
  expect(accepted.status).toBe(0);
  expect(accepted.result.status).toBe('accepted');
});

test('the advisor-only node refuses hive-mgmt-command params it cannot use, and a node without an advisor key says so', async () => {
  expect(await errorOf(adv.call('hive-mgmt-command', [mgr.node.nodeId, 'hive:monitor/v1', 'health_summary', {}]))).toBe('hive-mgmt-command: missing required parameter: credential');
  expect(await errorOf(mgr.call('hive-mgmt-command', [adv.node.nodeId, 'hive:monitor/v1', 'health_summary', {}, '{}']))).toBe('hive-mgmt-command: this node has no advisor key');
});

test('an advisor\'s expansion proposal joins the operator\'s one queue: approve announces a pre-approved intent (lower amount), reject records it', async () => {
  await mgr.call('hive-genesis');
  const cred = await credential('performance', true);
  const propose = (peer_id: string, reasoning: string) =>
    adv.call<CommandAnswer>('hive-mgmt-command', { node_id: mgr.node.nodeId, schema: 'hive:expansion/v1', action: 'propose_channel_open', params: { peer_id, capacity_sats: 2_000_000, reasoning }, credential: cred });
  const target = adv.node.nodeId;
  expect((await propose(target, 'well connected')).result).toMatchObject({ status: 'accepted', result: { pending: true } });
  expect((await propose('02' + 'ee'.repeat(32), 'second')).result.status).toBe('accepted');
  const pending = (await mgr.call<{ actions: { action_id: string; source: string; kind: string; target: string; amount_sats: number; status: string; reason: string }[] }>('hive-pending-actions')).actions;
  const [first, second] = pending.filter((a) => a.source === 'mgmt');
  expect(first).toMatchObject({ kind: 'channel_open', target, amount_sats: 2_000_000, status: 'pending' });
  expect(first!.reason).toContain('well connected');

  const approved = await mgr.call<{ decided: { outcome: string }[] }>('hive-approve-action', [first!.action_id, 1_500_000]);
  expect(approved.decided[0]!.outcome).toBe('pre-approved intent for 1500000 sat announced; it commits after its hold and the channel is funded');
  const rejected = await mgr.call<{ decided: { outcome: string }[] }>('hive-reject-action', [second!.action_id, 'not now']);
  expect(rejected.decided[0]!.outcome).toBe('rejected: not now');
  expect(await errorOf(mgr.call('hive-approve-action', [second!.action_id]))).toContain(`action ${second!.action_id} is rejected`);
  const all = (await mgr.call<{ actions: { action_id: string; status: string }[] }>('hive-pending-actions', { all: true })).actions;
  expect(all.filter((a) => a.action_id.startsWith('mg-')).map((a) => a.status)).toEqual(['approved', 'rejected']);
  expect((await mgr.call<{ actions: unknown[] }>('hive-pending-actions')).actions.some((a) => (a as { action_id: string }).action_id.startsWith('mg-'))).toBe(false);
});
