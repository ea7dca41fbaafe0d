/**
 * `hivebox firstboot [--boot DIR] [--root DIR]`: imports hivebox.toml from the boot partition into
 * the system (runtime/firstboot/firstboot.ts). Run by hivebox-firstboot.service on every boot,
 * before the network, the broker and the daemon start. Logs one line per step to stderr
 * (the journal). Exit 0 also when settings are missing or bad (the status file and MQTT say so);
 * exit 1 only when the import itself failed.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runFirstboot } from '../../firstboot/firstboot.ts';
import { EXIT } from '../exit-codes.ts';

interface FirstbootFlags {
  boot: string;
  root: string;
}

function spawnOrThrow(argv: string[]): void {
  const r = Bun.spawnSync(argv, { stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`${argv[0]} exited ${r.exitCode}: ${r.stderr.toString().trim()}`);
}

/** Register `hivebox firstboot`. */
export function registerFirstboot(program: Command): void {
  program
    .command('firstboot')
    .description('import hivebox.toml from the boot partition (hostname, network, MQTT, bitcoind RPC, hive role)')
    .option('--boot <dir>', 'boot partition mount point, as seen from --root', '/boot/firmware')
    .option('--root <dir>', 'root of the system to configure (an image being built, or a test folder)', '/')
    .addHelpText('after', '\nWrites /var/lib/hivebox/firstboot-status.json; problems there make the daemon report "degraded".')
    .action((flags: FirstbootFlags) => {
      const root = resolve(flags.root);
      const live = root === '/';
      const r = runFirstboot({
        root,
        bootDir: flags.boot,
        now: Math.floor(Date.now() / 1000),
        random: (n) => crypto.getRandomValues(new Uint8Array(n)),
        hashMosquittoPasswd: (path) => spawnOrThrow(['mosquitto_passwd', '-U', path]),
        ...(live ? { setHostname: (name: string) => spawnOrThrow(['hostname', name]) } : {}),
        log: (line) => console.error(line),
      });
      if (!r.ok) {
        console.error(`hivebox firstboot: ${r.error}`);
        process.exit(EXIT.failure);
      }
    });
}
