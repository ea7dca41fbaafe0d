/**
 * Channel health through the real `hivebox run` on simnet with a real mosquitto: A has a channel to
 * B with all funds on A's side (low inbound) and one from C with none (low outbound). The daemon's
 * first reading raises both alerts on MQTT; payments C → A → B move the balances: a channel inside
 * the hysteresis band (ratio 0.79) keeps its alert, past it (0.69) the alert clears — one event per
 * change, none per reading. A forward A refuses (fee too low, simnet `sendpay`) shows in the
 * success rate. `hivebox channels` (table and --json), the retained `channels` summary and the
 * Home Assistant entities show the same figures.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { ChannelsResult } from '../../runtime/node/hive/channel-monitor.ts';
import { createLightningBackend, type LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import type { ChannelHealthSummary } from '../../services/mqtt/channel-health.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { addDaemonSite, collectLines, spawnRun, type DaemonSite } from '../systemd/fixtures/run-daemon.ts';
import { brokerEnv, startBroker } from './broker.ts';
import { subscribe } from './subscriber.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** The hivebox CLI against `site`'s daemon (async: simnet's lightningd answers from this process). */
async function hivebox(site: DaemonSite, ...args: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([process.execPath, MAIN, ...args, '--socket', site.socket], { stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: out + err };
}

async function rpc<T>(cli: LightningRpcClient, method: string, params: Record<string, unknown>): Promise<T> {
  const r = await cli.call<T>(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

test('alerts raised and cleared with hysteresis on MQTT; hivebox channels and the retained summary show ratio, success rate and fees', async () => {
  const broker = await startBroker();
  cleanup.push(() => broker.dispose());
  const net = await SimNetwork.create();
  cleanup.push(() => net.stop());
  const a = await addDaemonSite(net, 'a', join(net.root, 'no-signer.sock'));
  const b = await net.addNode({ name: 'b' });
  const c = await net.addNode({ name: 'c' });
  const ab = await net.openChannel(a.node, b.nodeId, { capacity_sat: 1_000_000 });
  const ca = await net.openChannel(c, a.node.nodeId, { capacity_sat: 1_000_000 });
  const topics = statusTopics(a.node.nodeId);
  const sub = await subscribe(broker, [`${topics.base}/event/#`, topics.discovery]);
  cleanup.push(() => sub.close());
  const mqttEnv = brokerEnv(broker);
  const daemon = spawnRun(a, ['mqtt.state_interval_s=5'], mqttEnv);
  cleanup.push(() => daemon.kill('SIGKILL'));
  const stderr = collectLines(daemon.stderr);
  const cliB = createLightningBackend({ socketPath: b.rpcPath, idPrefix: 'cli' }).client;
  const cliC = createLightningBackend({ socketPath: c.rpcPath, idPrefix: 'cli' }).client;
  cleanup.push(() => (cliB.close(), cliC.close()));

  const alerts = () => sub.messages.filter((m) => m.topic.startsWith(`${topics.base}/event/channel_alert`)).map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  await sub.waitFor(() => alerts().length >= 2, 20_000);
  expect(alerts().map((e) => [e.kind, e.short_channel_id, e.alert])).toEqual([
    ['channel_alert', ab.short_channel_id, 'low_inbound'],
    ['channel_alert', ca.short_channel_id, 'low_outbound'],
  ]);

  let n = 0;
  const pay = async (sat: number) => {
    const inv = await rpc<{ bolt11: string }>(cliB, 'invoice', { amount_msat: sat * 1000, label: `p${++n}`, description: 'channel health' });
    await rpc(cliC, 'pay', { bolt11: inv.bolt11 });
  };
  const channels = async () => {
    const r = await hivebox(a, 'channels', '--json');
    if (r.code !== 0) throw new Error(r.out);
    return JSON.parse(r.out) as ChannelsResult;
  };
  const ratioOf = (r: ChannelsResult, scid: string) => r.channels.find((x) => x.short_channel_id === scid)!.liquidity_ratio;

  await pay(150_000);
  await pay(60_000);
  const inBand = await channels();
  expect(ratioOf(inBand, ab.short_channel_id)).toBeCloseTo(0.79, 2);
  expect(inBand.channels.map((x) => x.alert)).toEqual(['low_inbound', 'low_outbound']);
  expect(alerts()).toHaveLength(2);

  await pay(100_000);
  const cleared = await channels();
  expect(ratioOf(cleared, ab.short_channel_id)).toBeCloseTo(0.69, 2);
  expect(cleared.summary).toMatchObject({ channels: 2, channels_in_alert: 0, low_outbound: 0, low_inbound: 0, forward_success_rate: 1 });
  await sub.waitFor(() => alerts().length >= 4, 10_000);
  expect(alerts().slice(2).map((e) => [e.kind, e.short_channel_id, e.alert])).toEqual([
    ['channel_alert_cleared', ab.short_channel_id, 'low_inbound'],
    ['channel_alert_cleared', ca.short_channel_id, 'low_outbound'],
  ]);

  // A forward A refuses: C's route pays A no fee for the hop to B (WIRE_FEE_INSUFFICIENT, local_failed at A).
  const inv = await rpc<{ payment_hash: string; payment_secret: string }>(cliB, 'invoice', { amount_msat: 10_000_000, label: 'cheap', description: 'no fee' });
  const route = [
    { id: a.node.nodeId, channel: ca.short_channel_id, amount_msat: 10_000_000, delay: 60 },
    { id: b.nodeId, channel: ab.short_channel_id, amount_msat: 10_000_000, delay: 18 },
  ];
  await rpc(cliC, 'sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
  const waited = await cliC.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 10 });
  expect(!waited.ok && [waited.error.code, waited.error.message]).toEqual([204, 'failed: WIRE_FEE_INSUFFICIENT (reply from remote)']);

  const final = await channels();
  const fees = [150_000, 60_000, 100_000].reduce((s, sat) => s + 1000 + Math.floor((sat * 1000 * 10) / 1_000_000), 0);
  expect(final.summary).toMatchObject({ forward_success_rate: 0.75, fees_earned_msat: fees, channels_in_alert: 0 });
  expect(final.channels.find((x) => x.short_channel_id === ab.short_channel_id)).toMatchObject({ forwards_out: 3, forwards_out_attempted: 4, success_rate: 0.75, fees_earned_msat: fees, alert: null });
  const table = await hivebox(a, 'channels');
  expect(table.out).toContain(`${ab.short_channel_id}`);
  expect(table.out).toContain('success  75.0 %');
  expect(table.out).toContain('2 channel(s), 0 in alert (0 low outbound, 0 low inbound)');
  expect(alerts()).toHaveLength(4);

  // The retained summary (republished every 5 s) and the Home Assistant entities that read it.
  const deadline = Date.now() + 15_000;
  let summary: ChannelHealthSummary | null = null;
  while (Date.now() < deadline) {
    const late = await subscribe(broker, [topics.channels]);
    const msg = await late.waitFor((m) => m.retain, 5_000).finally(() => late.close());
    summary = JSON.parse(msg.payload) as ChannelHealthSummary;
    if (summary.forward_success_rate === 0.75) break;
    await Bun.sleep(200);
  }
  expect(summary).toMatchObject({ channels: 2, channels_in_alert: 0, forward_success_rate: 0.75, fees_earned_msat: fees });
  const discovery = JSON.parse(sub.messages.find((m) => m.topic === topics.discovery)!.payload) as { components: Record<string, { state_topic?: string }> };
  const id = `hivebox_${topics.nodeIdPrefix}`;
  for (const key of ['channels_in_alert', 'worst_liquidity_ratio', 'forward_success_rate']) expect(discovery.components[`${id}_${key}`]?.state_topic).toBe(topics.channels);
  expect(stderr.filter((l) => l.includes('"level":"error"'))).toEqual([]);
}, 120_000);
