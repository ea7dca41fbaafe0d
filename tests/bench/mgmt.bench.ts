/**
 * Remote management throughput (issue 9 §7). `mgmt.node.*`: complete commands per second handled
 * by the managed node from signed request bytes to signed response bytes — transport checks, DID
 * resolution, credential, payment (local Cashu mint over HTTP: NUT-07 check + NUT-03 swap; or the
 * L402 macaroon and its SQLite counter), local policy, `setchannel` on the CLN simulator, receipt
 * and response signatures, SQLite commit (WAL, on disk). `mgmt.e2e.*` adds the advisor's signing
 * and its verification of the node signature and receipt. Plus the cost of a refused replay.
 * `mgmt.simnet.*`: the same complete commands between two simnet fleet members — advisor
 * `sendcustommsg` → simulated lightningd → the real plugin process → daemon IPC → managed node
 * (Cashu against the local mint on 127.0.0.1, L402, policy, `setchannel` and two `signmessage` over
 * lightning-rpc, receipt in SQLite) → 49153 back the same way → advisor verification; one command
 * in flight at a time. Both sides share a clock that advances 1 s per command, so the per-DID rate
 * limit (60/min) is not what is measured.
 */
import { decodeResponse } from '../../runtime/core/mgmt/messages.ts';
import { l402Proof } from '../../runtime/node/mgmt/advisor-client.ts';
import { SCIDS, World } from '../mgmt/support/world.ts';
import { SimWorld } from '../mgmt-simnet/support/sim-world.ts';
import { opsPerSecond, NONMEMBER_BUDGET_LIFTED } from './harness.ts';

const w = await World.create({ subscription: { price_msat: 1_000_000, duration_s: 30 * 86_400, max_actions: 1_000_000 } });
const cmd = (i: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: SCIDS.a, target_fee_ppm: i % 2 ? 110 : 100 } });

/** Signed requests for the next `n` seconds of the shared clock (one command per second keeps under the rate limit). */
function prebuild(n: number, cred: string, payment: (i: number) => string | null): Uint8Array[] {
  const start = w.now;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    w.now = start + i + 1;
    out.push(w.client.buildBytes(cmd(i), cred, payment(i)).bytes);
  }
  w.now = start;
  return out;
}

async function nodeHandles(name: string, iterations: number, runs: number, cred: string, payment: (i: number) => string | null): Promise<void> {
  const reqs = prebuild(iterations * runs, cred, payment);
  let k = 0;
  await opsPerSecond(
    name,
    iterations,
    async () => {
      w.now += 1;
      const res = await w.node.handle(w.advisorNodeId, reqs[k++]!);
      const d = res ? decodeResponse(res) : null;
      if (!d?.ok || d.value.status !== 0) throw new Error(`bench command refused: ${d?.ok ? d.value.result : 'no response'}`);
    },
    runs,
  );
}

const perAction = await w.credential({ maxDailyActions: 1_000_000 });
const wallet = await w.wallet(10 * 40 * 3 + 10);
const tokens: string[] = [];
for (let i = 0; i < 40 * 3; i++) tokens.push(await wallet.pay(10));
await nodeHandles('mgmt.node.cashu_per_action', 40, 3, perAction, (i) => tokens[i]!);

const subscription = await w.credential({ model: 'subscription', maxDailyActions: 1_000_000 });
w.now += 1;
const challenge = await w.client.command(w.sim.id, cmd(0), subscription, null);
const l402 = challenge.ok ? (challenge.value.result as { l402?: { macaroon: string; invoice: string } }).l402 : undefined;
if (!l402) throw new Error('no L402 challenge');
const proof = l402Proof(l402.macaroon, w.sim.payInvoice(l402.invoice));
await nodeHandles('mgmt.node.l402_subscription', 100, 5, subscription, () => proof);

const performance = await w.credential({ model: 'performance', maxDailyActions: 1_000_000 });
await nodeHandles('mgmt.node.performance_no_payment', 100, 5, performance, () => null);

await opsPerSecond('mgmt.e2e.performance_no_payment', 100, async (i) => {
  w.now += 1;
  const r = await w.client.command(w.sim.id, cmd(i), performance, null);
  if (!r.ok || r.value.status !== 0) throw new Error('bench command refused');
});

w.now += 1;
const replayed = w.client.buildBytes(cmd(1), performance, null).bytes;
await w.raw(replayed);
let p = 0;
await opsPerSecond('mgmt.reject.replayed_nonce', 200, () => w.raw(replayed, `03${(p++).toString(16).padStart(64, '0')}`));

await w.close();

let t = Math.floor(Date.now() / 1000);
// The advisor is no fleet member: the default non-member budget (10 msgs/s, issue 15) would drop the
// loop's commands; these lines time the management path, not the budget (tests/daemon covers it).
const sw = await SimWorld.create({
  clock: () => t,
  subscription: { price_msat: 1_000_000, duration_s: 30 * 86_400, max_actions: 1_000_000 },
  daemon: NONMEMBER_BUDGET_LIFTED,
});
const simCmd = (i: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: sw.scid, target_fee_ppm: i % 2 ? 110 : 100 } });
let seq = 0;

async function overSimnet(name: string, iterations: number, runs: number, cred: string, payment: (k: number) => string | null): Promise<void> {
  await opsPerSecond(
    name,
    iterations,
    async () => {
      t += 1;
      const k = seq++;
      const r = await sw.client.command(sw.mgr.node.nodeId, simCmd(k), cred, payment(k));
      if (!r.ok || r.value.status !== 0) throw new Error(`simnet bench command refused: ${JSON.stringify(r.ok ? r.value.result : r.error)}`);
    },
    runs,
  );
}

const simPerAction = await sw.credential({ maxDailyActions: 1_000_000 });
const simWallet = await sw.wallet(10 * 30 * 3 + 10);
const simTokens: string[] = [];
for (let i = 0; i < 30 * 3; i++) simTokens.push(await simWallet.pay(10));
const tokenBase = seq;
await overSimnet('mgmt.simnet.cashu_per_action', 30, 3, simPerAction, (k) => simTokens[k - tokenBase]!);

const simSubscription = await sw.credential({ model: 'subscription', maxDailyActions: 1_000_000 });
t += 1;
const simChallenge = await sw.client.command(sw.mgr.node.nodeId, simCmd(seq++), simSubscription, null);
const simL402 = simChallenge.ok ? (simChallenge.value.result as { l402?: { macaroon: string; invoice: string } }).l402 : undefined;
if (!simL402) throw new Error('no L402 challenge over simnet');
const simPaid = await sw.adv.cli.call('pay', { bolt11: simL402.invoice });
if (!simPaid.ok) throw new Error(`simnet pay failed: ${simPaid.error.message}`);
const simProof = l402Proof(simL402.macaroon, (simPaid.value as { payment_preimage: string }).payment_preimage);
await overSimnet('mgmt.simnet.l402_subscription', 100, 3, simSubscription, () => simProof);

const simPerformance = await sw.credential({ model: 'performance', maxDailyActions: 1_000_000 });
await overSimnet('mgmt.simnet.performance_no_payment', 100, 3, simPerformance, () => null);

await sw.stop();
