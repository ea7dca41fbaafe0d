/**
 * `hivebox credential issue|renew|revoke|list|reputation` (spec 002 §1 lifecycle, "Reputation
 * System"): the operator issues management credentials to advisors' DIDs on the signer, renews
 * and revokes them (the revocation JSON is printed for fleet gossip), lists them, and issues a
 * `DIDReputationCredential` for an advisor from the receipt log.
 */
import { Command, InvalidArgumentError } from 'commander';
import { type CompensationModel, effectivePermissions, isTier, PERMISSIONS, type Tier, unixToIso } from '../../core/mgmt/index.ts';
import { isNodeId } from '../../core/types.ts';
import type { DigestSigner, SignerError } from '../../core/ports.ts';
import { describeSignerError } from '../../../hw/host/signer-errors.ts';
import { nowSeconds, openCliStore, openOperatorSigner, randomBytes } from '../../node/mgmt/cli-support.ts';
import { mgmtDbPath, signerConfigOf, withConfigured, type ConfiguredOptions } from '../configured.ts';
import { issueCredential, issueReputation, renewCredential, revokeCredential } from '../../node/mgmt/operator.ts';
import { EXIT } from '../exit-codes.ts';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const positive = (name: string) => (v: string) => {
  const n = int(name)(v);
  if (n === 0) throw new InvalidArgumentError(`${name} must be at least 1`);
  return n;
};

function signerFailed(e: SignerError): never {
  console.error(`hivebox: ${describeSignerError(e)}`);
  process.exit(e.kind === 'SignerUnavailable' || e.kind === 'SignerBusy' ? EXIT.unavailable : EXIT.refused);
}

/** Options of the signing subcommands. */
interface SigningOptions extends ConfiguredOptions {
  db?: string;
  signerKey?: string;
}

/**
 * Run `fn` with the operator's signer (button prompts on stderr), closing it afterwards: `--signer-key`,
 * else $HIVEBOX_SIGNER_KEY unless `--signer` is given, else the hardware signer (configured.ts).
 */
async function withSigner<T>(o: SigningOptions, fn: (signer: DigestSigner) => Promise<T>): Promise<T> {
  const signerKey = o.signerKey || (o.signer ? undefined : process.env.HIVEBOX_SIGNER_KEY || undefined);
  const s = openOperatorSigner({ ...(signerKey ? { signerKey } : {}), hardware: () => signerConfigOf(o) }, (line) => console.error(line));
  try {
    return await fn(s.signer);
  } finally {
    await s.close();
  }
}

/** Register `hivebox credential`. */
export function registerCredential(program: Command): void {
  const cmd = program.command('credential').description('issue, renew, revoke and list management credentials (spec 002)');
  const dbOption = (c: Command) => c.option('--db <path>', "mgmt database (default: $HIVEBOX_MGMT_DB, else the daemon's [mgmt] store_path)");
  const common = (c: Command) =>
    withConfigured(dbOption(c), true).option('--signer-key <file>', 'software signer key file instead of the hardware signer (development: no button; default $HIVEBOX_SIGNER_KEY)');

  common(cmd.command('issue'))
    .description('issue a management credential to an advisor DID (signed on the signer)')
    .requiredOption('--agent <did>', 'advisor DID (did:key or did:cid)')
    .option('--node <node_id>', 'managed node id (66 hex; default $HIVEBOX_NODE_ID)', process.env.HIVEBOX_NODE_ID)
    .option('--tier <tier>', 'monitor | standard | advanced | admin', 'standard')
    .option('--max-fee-change-pct <n>', 'largest fee change per command, % of current', int('max-fee-change-pct'), 50)
    .option('--max-rebalance-sats <n>', 'largest rebalance, sats', int('max-rebalance-sats'), 1_000_000)
    .option('--max-daily-actions <n>', 'accepted commands per UTC day', int('max-daily-actions'), 100)
    .option('--schemas <list>', 'comma-separated schema patterns', 'hive:fee-policy/*,hive:rebalance/*,hive:config/*,hive:monitor/*')
    .option('--days <n>', 'validity in days', int('days'), 30)
    .option('--model <model>', 'per_action | subscription | performance', 'per_action')
    .option('--rate-sats <n>', 'price per command (per_action), sats', int('rate-sats'), 10)
    .option('--share-pct <n>', 'performance share of the revenue gain, %', int('share-pct'))
    .action(async (o) => {
      if (!isTier(o.tier)) throw new InvalidArgumentError(`unknown tier ${o.tier}`);
      if (!isNodeId(o.node)) throw new InvalidArgumentError('--node (or HIVEBOX_NODE_ID) must be the managed node id, 66 hex');
      if (!['per_action', 'subscription', 'performance'].includes(o.model)) throw new InvalidArgumentError(`unknown model ${o.model}`);
      const tier = o.tier as Tier;
      const now = nowSeconds();
      const allowed = effectivePermissions(tier, Object.fromEntries(PERMISSIONS.map((p) => [p, true])));
      const r = await withSigner(o, (signer) => issueCredential(signer, openCliStore(mgmtDbPath(o, o.db)), {
        agent_did: o.agent,
        node_id: o.node,
        tier,
        permissions: Object.fromEntries([...allowed].map((p) => [p, true])),
        constraints: { max_fee_change_pct: o.maxFeeChangePct, max_rebalance_sats: o.maxRebalanceSats, max_daily_actions: o.maxDailyActions, allowed_schemas: String(o.schemas).split(',').map((s) => s.trim()).filter(Boolean) },
        compensation: { model: o.model as CompensationModel, rate_sats: o.rateSats, currency: 'L402|cashu', ...(o.sharePct !== undefined ? { performance_share_pct: o.sharePct } : {}) },
        issued_at: now,
        expires_at: now + o.days * 86_400,
        idBytes: randomBytes(16),
      }, now));
      if (!r.ok) signerFailed(r.error);
      console.log(r.value);
    });

  common(cmd.command('renew <id>'))
    .description('re-issue a credential with the same scope for a new period')
    .option('--days <n>', 'validity of the new credential in days (default: as long as the old one)', positive('days'))
    .action(async (id: string, o) => {
      const r = await withSigner(o, (signer) => renewCredential(signer, openCliStore(mgmtDbPath(o, o.db)), id, nowSeconds(), randomBytes(16), o.days === undefined ? undefined : o.days * 86_400));
      if (!r.ok) signerFailed(r.error);
      console.log(r.value);
    });

  common(cmd.command('revoke <id>'))
    .description('revoke a credential; prints the signed revocation for fleet gossip')
    .option('--reason <text>', 'why', 'revoked by operator')
    .action(async (id: string, o) => {
      const r = await withSigner(o, (signer) => revokeCredential(signer, openCliStore(mgmtDbPath(o, o.db)), id, o.reason, nowSeconds()));
      if (!r.ok) signerFailed(r.error);
      console.log(r.value);
    });

  withConfigured(dbOption(cmd.command('list')), false)
    .description('list issued credentials')
    .option('--agent <did>', 'only this advisor')
    .action((o) => {
      const store = openCliStore(mgmtDbPath(o, o.db));
      const now = nowSeconds();
      for (const c of store.listCredentials(o.agent)) {
        const state = store.isRevoked(c.id) ? 'revoked' : c.expires_at <= now ? 'expired' : 'active';
        console.log([c.id, c.agent_did, c.tier, unixToIso(c.issued_at), unixToIso(c.expires_at), state].join('\t'));
      }
    });

  common(cmd.command('reputation'))
    .description('issue a DIDReputationCredential (domain hive:advisor) for an advisor from the receipts')
    .requiredOption('--agent <did>', 'advisor DID')
    .option('--baseline-msat <n>', 'routing revenue before (7 days), msat; default: recorded baseline', int('baseline-msat'))
    .option('--current-msat <n>', 'routing revenue now (7 days), msat; default: settlement or baseline', int('current-msat'))
    .action(async (o) => {
      const store = openCliStore(mgmtDbPath(o, o.db));
      const latest = store.listCredentials(o.agent)[0];
      const baseline = o.baselineMsat ?? (latest ? store.getBaseline(latest.id)?.baseline_msat : undefined) ?? 0;
      const settled = latest ? store.getSettlement(latest.id) : null;
      const current = o.currentMsat ?? (settled ? (JSON.parse(settled) as { current_msat: number }).current_msat : baseline);
      const r = await withSigner(o, (signer) => issueReputation(signer, store, o.agent, { baseline_msat: baseline, current_msat: current }, nowSeconds(), randomBytes(16)));
      if (!r.ok) signerFailed(r.error);
      console.log(r.value);
    });
}
