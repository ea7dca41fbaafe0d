/**
 * A stand-in for `/usr/bin/lightningd` inside the booted test image: one simnet node
 * (runtime/sim/simnet: CLN v26.06's `lightning-rpc` and plugin protocols) started with lightningd's
 * own command line as hivebox-lightningd.service gives it — `--lightning-dir=DIR --conf=FILE
 * --rpc-file-mode=MODE --plugin=PATH` — so it runs as the `lightningd` user under that unit's
 * hardening, creates `DIR/<network>/lightning-rpc` (network from the conf firstboot wrote) with the
 * requested mode, and launches the image's real plugin wrapper, which must reach the daemon's IPC
 * socket. Any permission or ordering mistake between the units shows as a daemon that never sees
 * its lightningd or plugin. Compiled with `bun build --compile` by tests/images/boot/boot-tree.ts;
 * never shipped. Exits 0 on SIGTERM after stopping the node (its plugin with it).
 */
import { chmodSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SimNetwork } from '../../../runtime/sim/simnet/index.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'lightning-dir': { type: 'string' }, conf: { type: 'string' }, 'rpc-file-mode': { type: 'string', default: '0600' }, plugin: { type: 'string', multiple: true, default: [] } },
  strict: false,
});
const dir = String(values['lightning-dir'] ?? '/var/lib/lightningd');
const conf = typeof values.conf === 'string' ? readFileSync(values.conf, 'utf8') : '';
const network = /^network=(\S+)$/m.exec(conf)?.[1] ?? 'bitcoin';
const net = await SimNetwork.create({ root: dir });
const node = await net.addNode({ name: network, plugins: (values.plugin as string[]).map((path) => ({ path })) });
chmodSync(node.rpcPath, parseInt(String(values['rpc-file-mode']), 8));
console.log(`sim-lightningd: ${node.nodeId} on ${node.rpcPath}, plugins ${(values.plugin as string[]).join(' ') || 'none'}`);
const stop = () => void net.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
