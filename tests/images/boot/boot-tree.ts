/**
 * What the booted box talks to in the boot test, run on the host because neither exists in the
 * image: lightningd (the image ships none; `--lightningd TREE` would add one) and the USB signer.
 *
 * - lightningd: a simnet node (services/simnet: CLN v26.06's `lightning-rpc` socket protocol and
 *   plugin protocol) whose lightning-dir is bind-mounted where the box's daemon expects
 *   `/var/lib/lightningd/regtest/lightning-rpc`. It launches the image's own `hivebox plugin` (the
 *   binary in the image root, run on the host) with `hivebox-socket` pointing at the daemon's IPC
 *   socket inside the container through `/proc/<container pid 1>/root`, as lightningd on the box
 *   would launch /usr/lib/hivebox/hivebox-plugin.
 * - the signer: `hivebox signer sim` (hw/device-sim, the reference model of hw/PROTOCOL.md) on a
 *   unix socket bind-mounted into the box; its button approves.
 *
 * The daemon is pointed at both by a hivebox.service drop-in in the test's copy of the root
 * (environment overrides, runtime/config/load.ts), the way an operator would configure a box
 * whose lightningd or signer lives elsewhere. A hivebox-swarm.service drop-in keeps the packaged
 * sidecar on a standalone DHT bound to loopback. Not shipped code.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SimNetwork, type SimNode } from '../../../services/simnet/index.ts';

const REPO = resolve(import.meta.dir, '../../..');
/** Where the box's lightningd would put its socket for the test's network (firstboot: `lightningRpcFile`). */
const BOX_LIGHTNING_DIR = '/var/lib/lightningd/regtest';
const BOX_SIGNER_DIR = '/var/lib/hivebox-signer';

/** Host folders, nspawn binds and the daemon drop-in for the stand-ins under `work`. */
export interface StandIns {
  /** `--bind=` arguments for systemd-nspawn. */
  readonly binds: readonly string[];
  /** Start the signer simulator; resolves once its socket is there (mode 0666 for the box's `hivebox` user). */
  startSigner(): Promise<{ stop(): void }>;
  /** Start the simulated lightningd and its plugin once the container's PID 1 is known. */
  startLightningd(pid1: string): Promise<{ node: SimNode; stop(): Promise<void> }>;
}

/** Write `/etc/systemd/system/<unit>.d/boot-test.conf` in `root`: a `[Service]` section of `lines` (a comment first). */
function writeDropIn(root: string, unit: string, [comment, ...lines]: readonly string[]): void {
  const dir = join(root, 'etc/systemd/system', `${unit}.d`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'boot-test.conf'), [comment, '[Service]', ...lines, ''].join('\n'));
}

/** Lay out the stand-ins' folders and write the daemon's drop-in into the container root `root`. */
export function prepareStandIns(work: string, root: string): StandIns {
  const lnRoot = join(work, 'ln');
  const lnDir = join(lnRoot, 'regtest');
  const signerDir = join(work, 'signer');
  const wrapper = join(work, 'hivebox-plugin');
  mkdirSync(lnDir, { recursive: true, mode: 0o755 });
  mkdirSync(signerDir, { recursive: true, mode: 0o755 });
  writeFileSync(wrapper, `#!/bin/sh\nexec ${join(root, 'usr/bin/hivebox')} plugin "$@"\n`, { mode: 0o755 });
  writeDropIn(root, 'hivebox.service', [
    '# Boot test: lightningd and the signer are stand-ins on the host (tests/images/boot/stand-ins.ts).',
    'Environment=HIVEBOX_SIGNER_TRANSPORT=unix-socket',
    `Environment=HIVEBOX_SIGNER_PATH=${BOX_SIGNER_DIR}/signer.sock`,
    `Environment=HIVEBOX_SUPERVISOR_PLUGIN_PATH=${wrapper}`,
  ]);
  writeDropIn(root, 'hivebox-swarm.service', [
    '# Boot test: a standalone DHT on loopback (no bootstrap nodes), so the sidecar never leaves this machine.',
    'ExecStart=',
    'ExecStart=/usr/bin/node /opt/hivebox/services/swarm/sidecar/main.mjs --socket /run/hivebox-swarm/swarm.sock --seed-file /var/lib/hivebox-swarm/swarm.seed --host 127.0.0.1 --bootstrap ""',
  ]);
  return {
    binds: [`--bind=${lnDir}:${BOX_LIGHTNING_DIR}`, `--bind=${signerDir}:${BOX_SIGNER_DIR}`],
    async startSigner() {
      const socket = join(signerDir, 'signer.sock');
      const proc = Bun.spawn(['bun', 'runtime/cli/main.ts', 'signer', 'sim', '--state', signerDir, '--button', 'approve'], { cwd: REPO, stdout: 'ignore', stderr: 'inherit' });
      for (let i = 0; i < 200 && !existsSync(socket); i++) await Bun.sleep(50);
      if (!existsSync(socket)) throw new Error('signer simulator socket did not appear');
      chmodSync(socket, 0o666);
      return { stop: () => proc.kill() };
    },
    async startLightningd(pid1: string) {
      const net = await SimNetwork.create({ root: lnRoot });
      const node = await net.addNode({ name: 'regtest', plugins: [{ path: wrapper, options: { 'hivebox-socket': `/proc/${pid1}/root/run/hivebox/plugin.sock` } }] });
      chmodSync(node.rpcPath, 0o666);
      return { node, stop: () => net.stop() };
    },
  };
}
