/**
 * Remote management throughput (issue 9 §7). `mgmt.node.*`: complete commands per second handled
 * by the managed node from signed request bytes to signed response bytes — transport checks, DID
 * resolution, credential, payment (local Cashu mint over HTTP: NUT-07 check + NUT-03 swap; or the
 * L402 macaroon and its SQLite counter), local policy, `setchannel` on the CLN simulator, receipt
 * and response signatures, SQLite commit (WAL, on disk). `mgmt.e2e.*` adds the advisor's signing
 * and its verification of the node signature and receipt. Plus the cost of a refused replay.
 */
import { decodeResponse } from '../../runtime/core/mgmt/messages.ts';
import { l402Proof } from '../../services/mgmt/advisor-client.ts';
import { SCIDS, World } from '../mgmt/support/world.ts';
import { opsPerSecond } from './harness.ts';

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
