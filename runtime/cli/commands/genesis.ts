/**
 * `hivebox genesis [--hive-id ID]`: found a hive with this node as its first member and the fleet
 * signer's invite key as its first trusted admin key (daemon command `hive-genesis`).
 */
import type { Command } from 'commander';
import type { GenesisResult } from '../../node/hive/rpc/genesis.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';

/** Register `hivebox genesis`. */
export function registerGenesis(program: Command): void {
  withDaemonOptions(
    program
      .command('genesis')
      .description('found a new hive with this node as its first member (the signer\'s invite key becomes its admin key)')
      .option('--hive-id <id>', 'hive id to use (default: hive_ + 16 random hex)'),
  ).action((opts: DaemonCliOptions & { hiveId?: string }) =>
    runDaemonCommand(
      'genesis',
      opts,
      (d) => d.call<GenesisResult>('hive-genesis', opts.hiveId === undefined ? {} : { hive_id: opts.hiveId }),
      (r) => `Founded ${r.hive_id}: this node ${r.node_id} is its first member; fleet admin key ${r.admin_pubkey}.`,
    ),
  );
}
