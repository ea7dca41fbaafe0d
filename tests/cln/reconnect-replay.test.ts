/**
 * A restarted daemon learns the peers that are already connected (issue 15, found by the kill -9
 * chaos run): the plugin keeps lightningd's connect/peer_connected/disconnect view and replays it as
 * `connect` events when a daemon answers its hello, so the engine's on-connect sync (STATE_HASH) runs
 * at once instead of waiting for the next reconnect; disconnected peers are not replayed.
 */
import { expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { startDaemon } from '../../runtime/daemon/daemon.ts';
import { HiveboxPlugin } from '../../services/cln-plugin/plugin.ts';
import { RecordingEngine, waitUntil } from './fixtures/recording-engine.ts';
import { ScriptedLightningd } from './fixtures/scripted-lightningd.ts';

const A = `03${'aa'.repeat(32)}`;
const B = `02${'bb'.repeat(32)}`;

test('after a daemon restart the plugin replays the connected peers as connect events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hbx-replay-'));
  const ld = new ScriptedLightningd(join(dir, 'lightning-rpc'));
  await ld.start();
  const config = CONFIG_SCHEMA.parse({ lightning: { rpc_file: ld.path }, daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 1000 } });
  const first = new RecordingEngine();
  let hellos = 0;
  const log = (_l: string, event: string) => void (event === 'plugin_connected' && hellos++);
  let daemon = await startDaemon({ config, engineFactory: first.factory(), log });
  let out = '';
  const plugin = new HiveboxPlugin({ write: (t) => void (out += t), stderr: () => {}, exit: () => {} }, 'test');
  const notify = (method: string, params: unknown) => plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', method, params }));
  try {
    plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'init', params: { options: { 'hivebox-socket': daemon.ipcPath }, configuration: { 'lightning-dir': dir, 'rpc-file': 'lightning-rpc', network: 'regtest' } } }));
    await waitUntil(() => hellos === 1 && out.includes('fleet ignore list'), 'plugin connected (hello answered, ignore list pushed)');
    notify('connect', { connect: { id: A, direction: 'out' } });
    notify('connect', { connect: { id: B, direction: 'in' } });
    notify('disconnect', { disconnect: { id: B } });
    await waitUntil(() => first.calls.length === 3, 'three connection events');
    await daemon.stop();

    const second = new RecordingEngine();
    daemon = await startDaemon({ config, engineFactory: second.factory(), log });
    await waitUntil(() => second.calls.length >= 1, 'the restarted daemon told about the connected peer');
    await daemon.idle();
    expect(second.calls).toEqual([{ kind: 'connected', peer_id: A }]);
  } finally {
    plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', method: 'shutdown', params: {} }));
    await daemon.stop();
    await ld.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
