/**
 * `hivebox receipts [--agent DID]` (spec 002 "Audit Trail"): the node-signed management receipts
 * as JSON lines, in log order; `--verify NODE_ID` checks each signature first and fails on any bad one.
 */
import type { Command } from 'commander';
import { verifyReceipt } from '../../core/mgmt/index.ts';
import { openCliStore } from '../../node/mgmt/cli-support.ts';
import { mgmtDbPath, withConfigured } from '../configured.ts';
import { EXIT } from '../exit-codes.ts';

/** Register `hivebox receipts`. */
export function registerReceipts(program: Command): void {
  withConfigured(program.command('receipts'), false)
    .description('export management receipts as JSON lines')
    .option('--db <path>', "mgmt database (default: $HIVEBOX_MGMT_DB, else the daemon's [mgmt] store_path)")
    .option('--agent <did>', 'only receipts about this advisor DID')
    .option('--verify <node_id>', 'verify every receipt signature against this node id')
    .action((o) => {
      const store = openCliStore(mgmtDbPath(o, o.db));
      if (o.verify) {
        const bad = store.receipts(o.agent).filter((r) => !verifyReceipt(r, o.verify));
        if (bad.length > 0) {
          console.error(`hivebox: ${bad.length} receipt(s) do not verify: ${bad.map((r) => r.receipt_id).join(', ')}`);
          process.exit(EXIT.failure);
        }
      }
      process.stdout.write(store.exportReceiptsJsonl(o.agent));
    });
}
