/**
 * The real `hivebox run` process under a NOTIFY_SOCKET this test binds (as PID 1 does for a
 * Type=notify unit), against a simulated CLN v26.06 node that loads the real plugin: STATUS=
 * while starting, READY=1 once store and lightningd are up and the signer has been checked —
 * with no signer plugged the box is READY and says `degraded` with the reason — WATCHDOG=1 pings
 * from the event loop, a STATUS= line when the signer appears (healthy, with the hive), and
 * STOPPING=1 then exit 0 on SIGTERM. Started before lightningd, it waits and says so; when
 * lightningd never comes, it says why in STATUS= and exits 1 for systemd's Restart=.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { addDaemonSite, collectLines, spawnRun } from './fixtures/run-daemon.ts';
import { listenNotify } from './notify-listener.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

test('READY=1 with the health line, WATCHDOG=1 pings, STATUS= on a health change, STOPPING=1 and exit 0 on SIGTERM', async () => {
  const net = await SimNetwork.create();
  cleanup.push(() => net.stop());
  const signerSocket = join(net.root, 'signer.sock');
  const site = await addDaemonSite(net, 'a', signerSocket);
  const notify = listenNotify(join(net.root, 'notify.sock'));
  cleanup.push(() => notify.close());

  const child = spawnRun(site, [], { NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: '400000' });
  cleanup.push(() => child.kill('SIGKILL'));
  const stderr = collectLines(child.stderr);

  const ready = await notify.waitFor('READY=1', 20_000).catch((e) => {
    throw new Error(`${(e as Error).message}\nstderr: ${stderr.join('\n')}`);
  });
  expect(ready[1]).toMatch(/^STATUS=degraded: signer \(SignerUnavailable: .+\) — no hive yet$/);
  const before = notify.datagrams.slice(0, notify.datagrams.indexOf(ready));
  expect(before.some((d) => d.some((l) => l.startsWith('STATUS=starting: ')))).toBe(true);
  expect(before.flat().filter((l) => !l.startsWith('STATUS=') && l !== 'WATCHDOG=1')).toEqual([]);

  await notify.waitFor('WATCHDOG=1');
  const pings = () => notify.count('WATCHDOG=1');
  const n = pings();
  await waitUntil(() => pings() > n, 'another watchdog ping');

  // Plug the signer in: the next probe round makes the box healthy. Then found a hive through lightning-cli.
  const sim = await startSignerSimulator({ mode: 'in-process', stateDir: join(net.root, 'signer-state'), socketPath: signerSocket });
  cleanup.push(() => sim.stop());
  expect(await notify.waitFor('STATUS=healthy — no hive yet', 10_000)).toHaveLength(1);
  const cli = createLightningBackend({ socketPath: site.node.rpcPath, idPrefix: 'cli' }).client;
  cleanup.push(() => cli.close());
  const g = await cli.call<{ hive_id: string }>('hive-genesis', {});
  expect(g.ok).toBe(true);
  expect(await notify.waitFor(`STATUS=healthy — hive ${g.ok ? g.value.hive_id : ''} (member, 1 member)`, 10_000)).toHaveLength(1);

  child.kill('SIGTERM');
  expect(await notify.waitFor('STOPPING=1', 10_000)).toEqual(['STOPPING=1', 'STATUS=stopping (SIGTERM): finishing in-flight events, closing the store']);
  expect(await child.exited).toBe(0);
  expect(stderr.filter((l) => l.includes('"level":"error"'))).toEqual([]);
}, 60_000);

test('lightningd not up yet: STATUS= says so and READY=1 follows once it is; never up: STATUS=failed and exit 1', async () => {
  const net = await SimNetwork.create();
  cleanup.push(() => net.stop());
  const site = await addDaemonSite(net, 'a', join(net.root, 'no-signer.sock'));
  await site.node.stop('clean');
  const notify = listenNotify(join(net.root, 'notify.sock'));
  cleanup.push(() => notify.close());

  const child = spawnRun(site, [], { NOTIFY_SOCKET: notify.path });
  cleanup.push(() => child.kill('SIGKILL'));
  expect(await notify.waitFor(/^STATUS=starting: waiting for lightningd at .+lightning-rpc \(cannot connect/, 20_000)).toHaveLength(1);
  await site.node.start();
  expect((await notify.waitFor('READY=1', 20_000))[1]).toStartWith('STATUS=degraded: signer (SignerUnavailable');
  child.kill('SIGTERM');
  expect(await child.exited).toBe(0);

  await site.node.stop('clean');
  const doomed = spawnRun(site, ['supervisor.startup_timeout_s=1'], { NOTIFY_SOCKET: notify.path });
  cleanup.push(() => doomed.kill('SIGKILL'));
  const stderr = collectLines(doomed.stderr);
  expect(await doomed.exited).toBe(1);
  expect(await notify.waitFor(/^STATUS=failed: lightningd did not answer getinfo within 1 s/, 5_000)).toHaveLength(1);
  await waitUntil(() => stderr.some((l) => l.startsWith('hivebox run: lightningd did not answer getinfo within 1 s')), 'the reason on stderr', 5_000);
}, 60_000);
