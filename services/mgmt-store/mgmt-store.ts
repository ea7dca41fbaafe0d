/**
 * The management store on bun:sqlite (WAL): the persistent half of the managed node's replay
 * protection, counters, audit log and subscriptions (issue 9 §2, §4, §5). Synchronous calls; the
 * managed node serialises requests, and `commit` groups one command's writes in a transaction.
 */
import { Database } from 'bun:sqlite';
import type { RecentChange, FeeChange, SignedReceipt, AgentReplayState, Tier } from '../../runtime/core/mgmt/index.ts';
import { prepareStoreFile, tightenSidecars } from '../store/private-file.ts';
import { MGMT_SCHEMA } from './schema.ts';

/** A credential row. Times in unix seconds; `json` is the signed credential as issued. */
export interface StoredCredential {
  readonly id: string;
  readonly agent_did: string;
  readonly issuer: string;
  readonly tier: Tier;
  readonly issued_at: number;
  readonly expires_at: number;
  readonly json: string;
}

/** A revocation row. */
export interface StoredRevocation {
  readonly credential_id: string;
  readonly issuer: string;
  readonly reason: string;
  readonly revoked_at: number;
  readonly json: string;
}

/** An accepted change (fee, rebalance, config, proposal) for history and the conflict rule. */
export interface ChangeRecord extends RecentChange {
  readonly credential_id: string;
  readonly before_json: string;
  readonly after_json: string;
}

/** An L402 subscription issued by this node. */
export interface L402Token {
  readonly token_id: string;
  readonly payment_hash: string;
  readonly root_key: Uint8Array;
  readonly agent_did: string;
  readonly tier: Tier;
  readonly expires_at: number;
  readonly max_actions: number;
  readonly used: number;
  readonly bolt11: string;
  readonly created_at: number;
}

/** A redeemed Cashu token: the proofs the node holds for it (cashu-ts `Proof` JSON). */
export interface RedeemedToken {
  readonly token_hash: string;
  readonly mint: string;
  readonly amount_sats: number;
  readonly redeemed_at: number;
  readonly proofs_json: string;
  /** Unix s when `hivebox earnings withdraw` exported the proofs, else null. */
  readonly withdrawn_at: number | null;
}

/** A pending action (expansion proposals, performance payouts) awaiting the operator. */
export interface PendingAction {
  readonly id: number;
  readonly kind: string;
  readonly agent_did: string;
  readonly credential_id: string;
  readonly json: string;
  readonly created_at: number;
  readonly status: string;
}

/** Everything one command writes, applied atomically by {@link MgmtStore.commit}. */
export interface CommandWrites {
  readonly agent?: { readonly did: string; readonly state: AgentReplayState };
  readonly countAction?: { readonly credential_id: string; readonly day: number };
  readonly changes?: readonly ChangeRecord[];
  readonly pending?: Omit<PendingAction, 'id' | 'status'>;
  readonly config?: { readonly key: string; readonly value: number };
  /** A credential first seen in a command (`putCredential`). */
  readonly credential?: StoredCredential;
  /** Its performance revenue baseline (`setBaseline`, first write wins). */
  readonly baseline?: { readonly credential_id: string; readonly start: number; readonly baseline_msat: number };
  /** Absent only when the node key could not sign (the nonce is still persisted). */
  readonly receipt?: SignedReceipt;
}

/** Opens (creating if needed) the management database at `path` (`:memory:` for tests). */
export class MgmtStore {
  readonly db: Database;

  constructor(path: string) {
    prepareStoreFile(path);
    this.db = new Database(path, { create: true, strict: true });
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    tightenSidecars(path);
    this.db.exec(MGMT_SCHEMA);
    const cols = this.db.query<{ name: string }, []>('PRAGMA table_info(cashu_redeemed)').all();
    if (!cols.some((c) => c.name === 'withdrawn_at')) this.db.exec('ALTER TABLE cashu_redeemed ADD COLUMN withdrawn_at INTEGER');
  }

  /** Close the database. */
  close(): void {
    this.db.close();
  }

  /** Store (or replace) an issued credential. */
  putCredential(c: StoredCredential): void {
    this.db
      .query('INSERT OR REPLACE INTO credentials (id, agent_did, issuer, tier, issued_at, expires_at, json) VALUES ($id, $agent_did, $issuer, $tier, $issued_at, $expires_at, $json)')
      .run({ ...c });
  }

  /** The credential `id`, or null. */
  getCredential(id: string): StoredCredential | null {
    return this.db.query<StoredCredential, [string]>('SELECT * FROM credentials WHERE id = ?').get(id);
  }

  /** All credentials, newest first, optionally for one agent. */
  listCredentials(agentDid?: string): StoredCredential[] {
    return agentDid === undefined
      ? this.db.query<StoredCredential, []>('SELECT * FROM credentials ORDER BY issued_at DESC').all()
      : this.db.query<StoredCredential, [string]>('SELECT * FROM credentials WHERE agent_did = ? ORDER BY issued_at DESC').all(agentDid);
  }

  /** Record a verified revocation (idempotent by credential id). */
  putRevocation(r: StoredRevocation): void {
    this.db
      .query('INSERT OR IGNORE INTO revocations (credential_id, issuer, reason, revoked_at, json) VALUES ($credential_id, $issuer, $reason, $revoked_at, $json)')
      .run({ ...r });
  }

  /** True when `credentialId` is revoked. */
  isRevoked(credentialId: string): boolean {
    return this.db.query('SELECT 1 FROM revocations WHERE credential_id = ?').get(credentialId) !== null;
  }

  /** Every revocation (for gossip to the fleet). */
  listRevocations(): StoredRevocation[] {
    return this.db.query<StoredRevocation, []>('SELECT * FROM revocations ORDER BY revoked_at').all();
  }

  /** Replay state of `agentDid`, or null when never seen. */
  getAgentState(agentDid: string): AgentReplayState | null {
    const row = this.db
      .query<{ last_nonce: string; window_start: number; window_count: number }, [string]>('SELECT last_nonce, window_start, window_count FROM agent_state WHERE agent_did = ?')
      .get(agentDid);
    return row ? { last_nonce: BigInt(row.last_nonce), window_start: row.window_start, window_count: row.window_count } : null;
  }

  /** Accepted commands under `credentialId` on UTC day `day`. */
  actionsOnDay(credentialId: string, day: number): number {
    return this.db.query<{ count: number }, [string, number]>('SELECT count FROM action_counters WHERE credential_id = ? AND day = ?').get(credentialId, day)?.count ?? 0;
  }

  /** The latest accepted change on each of `targets` at or after `since` (unix seconds). */
  latestChanges(targets: readonly string[], since: number): ChangeRecord[] {
    const q = this.db.query<ChangeRecord, [string, number]>('SELECT * FROM changes WHERE target = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT 1');
    return targets.flatMap((t) => q.all(t, since));
  }

  /** The first fee change of `scid` at or after `since` (the fee before it is the 24 h reference), or none. */
  firstFeeChange(scid: string, since: number): FeeChange[] {
    return this.db
      .query<{ at: number; before_json: string }, [string, number]>('SELECT at, before_json FROM changes WHERE target = ? AND at >= ? ORDER BY at, id LIMIT 1')
      .all(`fee:${scid}`, since)
      .map((r) => ({ scid, at: r.at, before_ppm: (JSON.parse(r.before_json) as { fee_ppm: number }).fee_ppm }));
  }

  /** Accepted changes by `agentDid` (for reputation: channels managed). */
  changesBy(agentDid: string): ChangeRecord[] {
    return this.db.query<ChangeRecord, [string]>('SELECT * FROM changes WHERE agent_did = ? ORDER BY at').all(agentDid);
  }

  /** Apply one command's writes atomically; the receipt is appended last. */
  commit(w: CommandWrites): void {
    this.db.transaction(() => {
      if (w.agent) {
        this.db
          .query('INSERT INTO agent_state (agent_did, last_nonce, window_start, window_count) VALUES (?, ?, ?, ?) ON CONFLICT(agent_did) DO UPDATE SET last_nonce = excluded.last_nonce, window_start = excluded.window_start, window_count = excluded.window_count')
          .run(w.agent.did, String(w.agent.state.last_nonce ?? 0n), w.agent.state.window_start, w.agent.state.window_count);
      }
      if (w.countAction) {
        this.db
          .query('INSERT INTO action_counters (credential_id, day, count) VALUES (?, ?, 1) ON CONFLICT(credential_id, day) DO UPDATE SET count = count + 1')
          .run(w.countAction.credential_id, w.countAction.day);
      }
      for (const c of w.changes ?? []) {
        this.db
          .query('INSERT INTO changes (target, agent_did, credential_id, tier, credential_issued_at, at, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(c.target, c.agent_did, c.credential_id, c.tier, c.credential_issued_at, c.at, c.before_json, c.after_json);
      }
      if (w.pending) {
        this.db
          .query('INSERT INTO pending_actions (kind, agent_did, credential_id, json, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(w.pending.kind, w.pending.agent_did, w.pending.credential_id, w.pending.json, w.pending.created_at);
      }
      if (w.config) this.setConfig(w.config.key, w.config.value);
      if (w.credential) this.putCredential(w.credential);
      if (w.baseline) this.setBaseline(w.baseline.credential_id, w.baseline.start, w.baseline.baseline_msat);
      if (w.receipt) this.appendReceipt(w.receipt);
    })();
  }

  /** Append a signed receipt. @throws on a duplicate receipt_id (UNIQUE) — ids are random. */
  appendReceipt(r: SignedReceipt): void {
    this.db
      .query('INSERT INTO receipts (receipt_id, agent_did, credential_id, status, executed_at, json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.receipt_id, r.agent_did, r.credential_id, r.status, r.executed_at, JSON.stringify(r));
  }

  /**
   * Delete the receipts executed before `before` (unix s) — the retention of `[mgmt]
   * receipt_retention_days` — and nothing newer: the trigger refuses any other delete, so the log
   * stays append-only inside its retention. The cut-off never moves back.
   * @returns how many receipts were deleted.
   */
  pruneReceipts(before: number): number {
    return this.db.transaction(() => {
      this.db
        .query('INSERT INTO receipt_retention (id, pruned_before) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET pruned_before = max(pruned_before, excluded.pruned_before)')
        .run(before);
      return this.db.query('DELETE FROM receipts WHERE executed_at < (SELECT pruned_before FROM receipt_retention WHERE id = 1)').run().changes;
    })();
  }

  /** Receipts in log order, optionally for one agent. */
  receipts(agentDid?: string): SignedReceipt[] {
    const rows =
      agentDid === undefined
        ? this.db.query<{ json: string }, []>('SELECT json FROM receipts ORDER BY seq').all()
        : this.db.query<{ json: string }, [string]>('SELECT json FROM receipts WHERE agent_did = ? ORDER BY seq').all(agentDid);
    return rows.map((r) => JSON.parse(r.json) as SignedReceipt);
  }

  /** Receipts as JSON lines (one signed receipt per line, log order). */
  exportReceiptsJsonl(agentDid?: string): string {
    return this.receipts(agentDid)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join('');
  }

  /** Pending actions, oldest first. */
  pendingActions(): PendingAction[] {
    return this.db.query<PendingAction, []>('SELECT * FROM pending_actions ORDER BY id').all();
  }

  /** The pending action `id`, or null. */
  getPendingAction(id: number): PendingAction | null {
    return this.db.query<PendingAction, [number]>('SELECT * FROM pending_actions WHERE id = ?').get(id);
  }

  /** Decide a pending action. @returns false when it is not pending (unknown or decided already). */
  decidePendingAction(id: number, status: 'approved' | 'rejected'): boolean {
    return this.db.query("UPDATE pending_actions SET status = ? WHERE id = ? AND status = 'pending'").run(status, id).changes === 1;
  }

  /**
   * Changes with a TTL (`after_json.until`) that ran out by `now`, not reverted yet, and still the
   * latest change of their target (a newer change replaced them), oldest first.
   */
  expiredTtlChanges(now: number): (ChangeRecord & { readonly id: number })[] {
    return this.db
      .query<ChangeRecord & { id: number }, [number]>(
        `SELECT c.* FROM changes c
         WHERE json_extract(c.after_json, '$.until') <= ?
           AND c.id = (SELECT MAX(id) FROM changes WHERE target = c.target)
           AND NOT EXISTS (SELECT 1 FROM ttl_reverts r WHERE r.change_id = c.id)
         ORDER BY c.id`,
      )
      .all(now);
  }

  /** Record that change `id`'s TTL ran out and what was done (`reverted …` or why not). */
  recordTtlRevert(id: number, at: number, outcome: string): void {
    this.db.query('INSERT OR IGNORE INTO ttl_reverts (change_id, reverted_at, outcome) VALUES (?, ?, ?)').run(id, at, outcome);
  }

  /** Delete a config value (a TTL revert to "never set"). */
  deleteConfig(key: string): void {
    this.db.query('DELETE FROM settings WHERE key = ?').run(key);
  }

  /** Queue a pending action outside a command (e.g. a performance payout). */
  addPendingAction(p: Omit<PendingAction, 'id' | 'status'>): void {
    this.db.query('INSERT INTO pending_actions (kind, agent_did, credential_id, json, created_at) VALUES (?, ?, ?, ?, ?)').run(p.kind, p.agent_did, p.credential_id, p.json, p.created_at);
  }

  /** Store an issued L402 subscription. */
  putL402Token(t: Omit<L402Token, 'used'>): void {
    this.db
      .query('INSERT INTO l402_tokens (token_id, payment_hash, root_key, agent_did, tier, expires_at, max_actions, bolt11, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(t.token_id, t.payment_hash, t.root_key, t.agent_did, t.tier, t.expires_at, t.max_actions, t.bolt11, t.created_at);
  }

  /** The subscription `tokenId`, or null. */
  getL402Token(tokenId: string): L402Token | null {
    const row = this.db.query<L402Token & { root_key: Uint8Array }, [string]>('SELECT * FROM l402_tokens WHERE token_id = ?').get(tokenId);
    return row ? { ...row, root_key: new Uint8Array(row.root_key) } : null;
  }

  /** The newest subscription of `agentDid` still valid at `now` with actions left, or null (challenge reuse). */
  activeL402Token(agentDid: string, now: number): L402Token | null {
    const row = this.db
      .query<L402Token, [string, number]>('SELECT * FROM l402_tokens WHERE agent_did = ? AND expires_at > ? AND used < max_actions ORDER BY created_at DESC LIMIT 1')
      .get(agentDid, now);
    return row ? { ...row, root_key: new Uint8Array(row.root_key) } : null;
  }

  /** Count one action on a subscription. @returns false when `max_actions` is already used up. */
  useL402Token(tokenId: string): boolean {
    return this.db.query('UPDATE l402_tokens SET used = used + 1 WHERE token_id = ? AND used < max_actions').run(tokenId).changes === 1;
  }

  /** Record proofs received from a Cashu swap (the node's earnings). @returns false when already recorded. */
  recordRedeemed(tokenHash: string, mint: string, amountSats: number, at: number, proofsJson: string): boolean {
    return this.db.query('INSERT OR IGNORE INTO cashu_redeemed (token_hash, mint, amount_sats, redeemed_at, proofs_json) VALUES (?, ?, ?, ?, ?)').run(tokenHash, mint, amountSats, at, proofsJson).changes === 1;
  }

  /** Every redeemed Cashu token, oldest first (the node's Cashu earnings; `withdrawn_at` once exported). */
  redeemedTokens(): RedeemedToken[] {
    return this.db.query<RedeemedToken, []>('SELECT token_hash, mint, amount_sats, redeemed_at, proofs_json, withdrawn_at FROM cashu_redeemed ORDER BY redeemed_at, token_hash').all();
  }

  /**
   * Take the proofs not yet withdrawn (of `mint`, or every mint): marks them withdrawn at `now` and
   * returns them, in one transaction, so two withdrawals never export the same proofs.
   */
  withdrawRedeemed(now: number, mint?: string): RedeemedToken[] {
    return this.db.transaction(() => {
      const rows = this.redeemedTokens().filter((r) => r.withdrawn_at === null && (mint === undefined || r.mint === mint));
      const mark = this.db.query('UPDATE cashu_redeemed SET withdrawn_at = ? WHERE token_hash = ? AND withdrawn_at IS NULL');
      for (const r of rows) mark.run(now, r.token_hash);
      return rows;
    })();
  }

  /** Mark the held `spent` tokens withdrawn and record the swap's change as held, in one transaction. */
  replaceHeld(spent: readonly string[], now: number, change: Omit<RedeemedToken, 'redeemed_at' | 'withdrawn_at'> | null): void {
    this.db.transaction(() => {
      const mark = this.db.query('UPDATE cashu_redeemed SET withdrawn_at = ? WHERE token_hash = ? AND withdrawn_at IS NULL');
      for (const h of spent) mark.run(now, h);
      if (change) this.recordRedeemed(change.token_hash, change.mint, change.amount_sats, now, change.proofs_json);
    })();
  }

  /** Every L402 subscription issued, newest first. */
  l402Tokens(): Omit<L402Token, 'root_key'>[] {
    return this.db.query<Omit<L402Token, 'root_key'>, []>('SELECT token_id, payment_hash, agent_did, tier, expires_at, max_actions, used, bolt11, created_at FROM l402_tokens ORDER BY created_at DESC').all();
  }

  /** Total sats received through Cashu (change from the node's own payouts, `change:…` rows, is not income). */
  redeemedSats(): number {
    return this.db.query<{ s: number | null }, []>("SELECT SUM(amount_sats) AS s FROM cashu_redeemed WHERE token_hash NOT LIKE 'change:%'").get()?.s ?? 0;
  }

  /** Advisor-tunable config (Hivebox's own settings for `hive:config/v1`). */
  getConfig(): Record<string, number> {
    return Object.fromEntries(this.db.query<{ key: string; value: number }, []>('SELECT key, value FROM settings ORDER BY key').all().map((r) => [r.key, r.value]));
  }

  /** Set one config value. */
  setConfig(key: string, value: number): void {
    this.db.query('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Record the revenue baseline of a performance credential (first write wins). */
  setBaseline(credentialId: string, start: number, baselineMsat: number): void {
    this.db.query('INSERT OR IGNORE INTO baselines (credential_id, start, baseline_msat) VALUES (?, ?, ?)').run(credentialId, start, baselineMsat);
  }

  /** The baseline of `credentialId`, or null. */
  getBaseline(credentialId: string): { start: number; baseline_msat: number } | null {
    return this.db.query<{ start: number; baseline_msat: number }, [string]>('SELECT start, baseline_msat FROM baselines WHERE credential_id = ?').get(credentialId);
  }

  /** Record a performance settlement. @returns false when already settled. */
  putSettlement(credentialId: string, at: number, json: string): boolean {
    return this.db.query('INSERT OR IGNORE INTO settlements (credential_id, settled_at, json) VALUES (?, ?, ?)').run(credentialId, at, json).changes === 1;
  }

  /** The settlement JSON of `credentialId`, or null. */
  getSettlement(credentialId: string): string | null {
    return this.db.query<{ json: string }, [string]>('SELECT json FROM settlements WHERE credential_id = ?').get(credentialId)?.json ?? null;
  }
}
