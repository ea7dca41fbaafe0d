/**
 * `hivebox advisor keygen|did|build|open` (spec 002, advisor side): hold a DID key, build and sign
 * a 49152 command with credential and payment attached (printed as the hex `sendcustommsg`
 * takes), and open the managed node's 49153 answer — verifying the node signature and the receipt.
 * In the daemon the same library (`AdvisorClient`) sends through `sendcustommsg` directly.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { buildRequest, nextNonce, openResponse, encodeRequest } from '../../core/mgmt/index.ts';
import { fromHex, toHex } from '../../core/types.ts';
import { KeyFileSigner } from '../../../services/mgmt/key-file.ts';
import { EXIT } from '../exit-codes.ts';

function lastNonce(file: string): bigint | null {
  return existsSync(file) ? BigInt(readFileSync(file, 'utf8').trim()) : null;
}

/** Register `hivebox advisor`. */
export function registerAdvisor(program: Command): void {
  const cmd = program.command('advisor').description('act as a management advisor (spec 002): DID key, signed commands, verified answers');

  cmd
    .command('keygen')
    .description('create a DID key file and print its did:key')
    .requiredOption('--key <file>', 'key file to create (mode 0600)')
    .action((o) => console.log(KeyFileSigner.create(o.key).did));

  cmd
    .command('did')
    .description("print the key file's did:key")
    .requiredOption('--key <file>', 'key file')
    .action((o) => console.log(KeyFileSigner.load(o.key).did));

  cmd
    .command('build')
    .description('build a signed 49152 request; prints its hex for `lightning-cli sendcustommsg <node> <hex>` and the nonce on stderr')
    .requiredOption('--key <file>', 'advisor key file')
    .requiredOption('--credential <file>', 'management credential JSON file')
    .requiredOption('--schema <id>', 'e.g. hive:fee-policy/v1')
    .requiredOption('--action <name>', 'e.g. set_anchor')
    .option('--params <json>', 'action params as JSON', '{}')
    .option('--payment <text>', 'cashuA…/cashuB… token or "L402 <macaroon>:<preimage>"')
    .option('--nonce-file <file>', 'where the last nonce is kept', '.hivebox-advisor-nonce')
    .action((o) => {
      let params: Record<string, unknown>;
      try {
        params = JSON.parse(o.params);
      } catch {
        throw new InvalidArgumentError('--params must be JSON');
      }
      const key = KeyFileSigner.load(o.key);
      const now_ms = Date.now();
      const nonce = nextNonce(lastNonce(o.nonceFile), now_ms);
      writeFileSync(o.nonceFile, `${nonce}\n`);
      const req = buildRequest({ schema: o.schema, action: o.action, params }, readFileSync(o.credential, 'utf8').trim(), o.payment ?? null, nonce, Math.floor(now_ms / 1000), key.secretKey);
      console.error(`nonce ${nonce}`);
      console.log(toHex(encodeRequest(req)));
    });

  cmd
    .command('open')
    .description('verify and print a 49153 response (hex incl. type) to the request with --nonce')
    .requiredOption('--key <file>', 'advisor key file')
    .requiredOption('--node <node_id>', 'managed node id')
    .requiredOption('--nonce <n>', 'nonce of the request')
    .requiredOption('--hex <hex>', 'response bytes as hex')
    .action((o) => {
      const bytes = fromHex(o.hex);
      if (!bytes) throw new InvalidArgumentError('--hex must be hex');
      const r = openResponse(bytes, o.node, BigInt(o.nonce), KeyFileSigner.load(o.key).did);
      if (!r.ok) {
        console.error(`hivebox: response not trusted: ${JSON.stringify(r.error, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
        process.exit(EXIT.malformed);
      }
      console.log(JSON.stringify({ status: r.value.status, result: r.value.result, receipt: r.value.receipt }, null, 2));
      if (r.value.status !== 0) process.exit(EXIT.failure);
    });
}
