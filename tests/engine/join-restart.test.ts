/**
 * Join recovery with real daemons (issue 15 item 4): two simulated CLN v26.06 nodes, each with the
 * real plugin and the real `hivebox run` process. The admitting member's daemon is killed with
 * SIGKILL right after it sent CHALLENGE (its challenge is already committed), so the candidate's
 * ATTEST arrives while no daemon is there and is lost. The member's daemon starts again from its
 * store; the candidate re-sends ATTEST every 10 s, and the still-running `hive-join` ends with
 * WELCOME within 30 s of the restart. The admitted row carries the member's signed admission proof.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { admissionSigned } from '../../runtime/core/machines/admission.ts';
import { decodeHiveHex } from '../../runtime/core/wire/decode.ts';
import type { JoinResult, MembersResult } from '../../runtime/node/hive/index.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { SimNetwork, type SimNode } from '../../runtime/sim/simnet/index.ts';
import { openMembershipStore } from '../../services/store/index.ts';
import { callDaemon, collectLines, signedPair, spawnRun } from '../systemd/fixtures/run-daemon.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/**
 * The simnet wire tap: `next` resolves when `from` hands lightningd a Hive message of `type`,
 * `arrived` when such a message has been through the receiving node's custommsg hook; `count` counts sends.
 */
function tapSends(net: SimNetwork): { count(from: SimNode, type: string): number; next(from: SimNode, type: string): Promise<void>; arrived(to: SimNode, type: string): Promise<void> } {
  const seen: { from: string; type: string }[] = [];
  const waiting: { from: string; type: string; resolve: () => void }[] = [];
  const transmit = net.transmit.bind(net);
  net.transmit = (from, toId, hex) => {
    const d = decodeHiveHex(hex);
    if (d.kind === 'message') {
      seen.push({ from: from.nodeId, type: d.message.type });
      for (const w of waiting.filter((x) => x.from === from.nodeId && x.type === d.message.type)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
    transmit(from, toId, hex);
  };
  const arrived = (to: SimNode, type: string) =>
    new Promise<void>((resolve) => {
      const receive = to.receivePeerMessage.bind(to);
      to.receivePeerMessage = (peerId, hex) => {
        receive(peerId, hex);
        const d = decodeHiveHex(hex);
        if (d.kind === 'message' && d.message.type === type) void to.hooksSettled().then(resolve);
      };
    });
  return {
    count: (from, type) => seen.filter((s) => s.from === from.nodeId && s.type === type).length,
    next: (from, type) => new Promise((resolve) => waiting.push({ from: from.nodeId, type, resolve })),
    arrived,
  };
}

test('kill -9 of the admitting daemon between CHALLENGE and ATTEST: joined within 30 s of its restart', async () => {
  const { net, a, b } = await signedPair(cleanup);
  const start = (site: typeof a, sets: string[] = []) => {
    const p = spawnRun(site, sets);
    cleanup.push(() => p.kill('SIGKILL'));
    return { proc: p, stderr: collectLines(p.stderr) };
  };
  let daemonA = start(a);
  start(b, ['hive.join_wait_s=90']);
  const cliA = createLightningBackend({ socketPath: a.node.rpcPath, idPrefix: 'cli' }).client;
  const cliB = createLightningBackend({ socketPath: b.node.rpcPath, idPrefix: 'cli' }).client;
  cleanup.push(() => (cliA.close(), cliB.close()));
  await callDaemon(cliA, 'hive-genesis');
  const { ticket } = await callDaemon<{ ticket: string }>(cliA, 'hive-invite', { valid_hours: 2 });
  await callDaemon(cliB, 'hive-status');

  // Messages take 500 ms each way, so the CHALLENGE reaches B only after A's daemon is gone.
  net.setLink(a.node, b.node, { latency_ms: 500 });
  const tap = tapSends(net);
  const challenged = tap.next(a.node, 'CHALLENGE');
  const attested = tap.next(b.node, 'ATTEST');
  const attestReachedA = tap.arrived(a.node, 'ATTEST');
  const joining = callDaemon<JoinResult>(cliB, 'hive-join', { ticket, peer_id: a.node.nodeId });
  await challenged;
  daemonA.proc.kill('SIGKILL');
  expect(await daemonA.proc.exited).not.toBe(0);
  await attested;
  expect(tap.count(b.node, 'ATTEST')).toBe(1);
  // A's plugin has had the ATTEST (and, with no daemon to hand it to, dropped it) before A's daemon starts again.
  await attestReachedA;

  // The challenge survived in A's store; the ATTEST that arrived meanwhile was lost with the daemon.
  const store = openMembershipStore(join(a.dir, 'hive.db'), Math.floor(Date.now() / 1000));
  if (!store.ok) throw new Error('store');
  expect(store.value.challenges().map((c): string => c.peer_id)).toEqual([b.node.nodeId]);
  expect(store.value.member(b.node.nodeId)).toBeNull();
  store.value.close();

  net.setLink(a.node, b.node, { latency_ms: 0 });
  const restartedAt = Date.now();
  daemonA = start(a);
  const joined = await joining;
  const seconds = (Date.now() - restartedAt) / 1000;
  expect(joined).toMatchObject({ member_id: a.node.nodeId, tier: 'neophyte' });
  expect(seconds).toBeLessThanOrEqual(30);
  console.log(`join-restart: joined ${seconds.toFixed(1)} s after the member's daemon restarted`);
  expect(tap.count(b.node, 'ATTEST')).toBeGreaterThanOrEqual(2);

  const members = await callDaemon<MembersResult>(cliA, 'hive-members');
  expect(members.membership_hash).toBe(joined.membership_hash);
  const after = openMembershipStore(join(a.dir, 'hive.db'), Math.floor(Date.now() / 1000));
  if (!after.ok) throw new Error('store');
  const row = after.value.member(b.node.nodeId)!;
  after.value.close();
  expect(row.admission).toMatchObject({ by: a.node.nodeId, via: 'ticket' });
  expect(admissionSigned(joined.hive_id, b.node.nodeId, row.joined_at, row.admission!)).toBe(true);
  expect(daemonA.stderr.filter((l) => l.includes('"level":"error"'))).toEqual([]);
}, 120_000);
