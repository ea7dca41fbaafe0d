/**
 * The plugin inside a lightningd in developer mode, and the supervisor across lightningd restarts
 * (issue 13), in simnet with the appliance exactly as `hivebox run` builds it:
 *  - lightningd with `developer` starts every plugin as `hivebox-plugin --developer` (and
 *    `--dev-debug-self` for the plugin named by `dev-debug-subprocess`), also through
 *    `plugin start`; the plugin accepts and ignores those flags;
 *  - while lightningd is down, `plugin start` cannot reach it: the supervisor waits instead of
 *    spending the plugin's restart budget (5 per 600 s), and for a grace after it is back lets
 *    lightningd start its configured plugin itself, so after two lightningd restarts a later plugin
 *    crash is still repaired.
 */
import { afterEach, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../services/cln-plugin/executable.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { startSimBox, type SimBox } from './fixtures/sim-appliance.ts';

let net: SimNetwork;
let box: SimBox | undefined;

afterEach(async () => {
  await box?.stop();
  box = undefined;
  await net.stop();
});

/** Command line of the process behind the node's running plugin (the wrapper `exec`s bun). */
const pluginArgv = (b: SimBox): string[] => readFileSync(`/proc/${b.node.activePlugins()[0]!.pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');

const restartEvents = (b: SimBox) => b.logs.filter((l) => l.event === 'supervisor_restart');

test('developer mode: the plugin starts with --developer --dev-debug-self, and so does plugin start', async () => {
  net = await SimNetwork.create();
  box = await startSimBox(net, 'a', 0x41, {}, { developer: true, dev_debug_subprocess: 'hivebox-plugin' });
  await waitUntil(() => box!.appliance.supervisor.health().status === 'healthy', 'healthy in developer mode');
  expect(pluginArgv(box).slice(-3)).toEqual(['plugin', '--developer', '--dev-debug-self']);
  expect(await box.call<{ status: string }>('hive-status')).toMatchObject({});

  await net.crashPlugin(box.node, 'hivebox-plugin');
  await waitUntil(() => restartEvents(box!).some((l) => (l.fields.outcome as { ok: boolean }).ok), 'plugin start succeeded', 15_000);
  await waitUntil(() => box!.appliance.daemon.stats().plugin_connections === 1, 'restarted plugin linked to the daemon');
  expect(pluginArgv(box).slice(-3)).toEqual(['plugin', '--developer', '--dev-debug-self']);
}, 60_000);

test('lightningd down twice: the supervisor waits for it, and a later plugin crash is still repaired', async () => {
  net = await SimNetwork.create();
  box = await startSimBox(net, 'a', 0x41);
  const b = box;
  await waitUntil(() => b.appliance.supervisor.health().status === 'healthy', 'healthy');
  for (let round = 0; round < 2; round++) {
    await b.node.stop('clean');
    // Probes every 100 ms with no backoff: without the wait this spent the whole budget of 5.
    await waitUntil(
      () => b.appliance.supervisor.health().reasons.some((r) => r.component === 'plugin' && r.reason.startsWith('waiting for lightningd')),
      'plugin waits for lightningd',
      5_000,
    );
    for (let i = 0; i < 10; i++) await b.appliance.supervisor.checkOnce();
    await b.node.start();
    await waitUntil(() => b.appliance.supervisor.health().status === 'healthy', `healthy after lightningd restart ${round + 1}`, 15_000);
  }
  expect(b.logs.some((l) => l.event === 'supervisor_gave_up')).toBe(false);
  // lightningd starts its configured plugin itself: within the start grace no `plugin start` races it.
  expect(restartEvents(b).filter((l) => l.fields.counted !== false)).toEqual([]);

  await net.crashPlugin(b.node, 'hivebox-plugin');
  // Restarted once lightningd's start grace (HOST_START_GRACE_S) has passed.
  await waitUntil(() => restartEvents(b).some((l) => (l.fields.outcome as { ok: boolean }).ok), 'crashed plugin restarted', 45_000);
  await waitUntil(() => b.appliance.supervisor.health().status === 'healthy', 'healthy after the plugin restart', 15_000);
  expect(b.node.activePlugins().map((p) => p.path)).toEqual([HIVEBOX_PLUGIN_EXECUTABLE]);
  expect(b.logs.some((l) => l.event === 'supervisor_gave_up')).toBe(false);
}, 90_000);
