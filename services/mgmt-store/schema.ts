/**
 * SQLite schema of the management store (issue 9 §2, §5): credentials, revocations, per-agent
 * replay state, action counters, the append-only receipt log (UPDATE/DELETE refused by triggers),
 * accepted changes (fee history and the conflict rule), pending actions, L402 subscriptions,
 * redeemed Cashu tokens, advisor-tunable config, TTL reverts of fee anchors and config changes,
 * performance baselines and settlements.
 */

/** DDL applied on open; idempotent. */
export const MGMT_SCHEMA = `
CREATE TABLE IF NOT EXISTS credentials (
  id TEXT PRIMARY KEY,
  agent_did TEXT NOT NULL,
  issuer TEXT NOT NULL,
  tier TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS credentials_agent ON credentials(agent_did);
CREATE TABLE IF NOT EXISTS revocations (
  credential_id TEXT PRIMARY KEY,
  issuer TEXT NOT NULL,
  reason TEXT NOT NULL,
  revoked_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_state (
  agent_did TEXT PRIMARY KEY,
  last_nonce TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS action_counters (
  credential_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (credential_id, day)
);
CREATE TABLE IF NOT EXISTS receipts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  receipt_id TEXT NOT NULL UNIQUE,
  agent_did TEXT NOT NULL,
  credential_id TEXT,
  status TEXT NOT NULL,
  executed_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_agent ON receipts(agent_did, seq);
CREATE TRIGGER IF NOT EXISTS receipts_no_update BEFORE UPDATE ON receipts
  BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TABLE IF NOT EXISTS receipt_retention (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_before INTEGER NOT NULL
);
DROP TRIGGER IF EXISTS receipts_no_delete;
CREATE TRIGGER IF NOT EXISTS receipts_delete_only_expired BEFORE DELETE ON receipts
  WHEN OLD.executed_at >= COALESCE((SELECT pruned_before FROM receipt_retention WHERE id = 1), 0)
  BEGIN SELECT RAISE(ABORT, 'receipts are append-only until their retention ends'); END;
CREATE TABLE IF NOT EXISTS changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  agent_did TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  credential_issued_at INTEGER NOT NULL,
  at INTEGER NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_target ON changes(target, at);
CREATE TABLE IF NOT EXISTS pending_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  agent_did TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
);
CREATE TABLE IF NOT EXISTS l402_tokens (
  token_id TEXT PRIMARY KEY,
  payment_hash TEXT NOT NULL UNIQUE,
  root_key BLOB NOT NULL,
  agent_did TEXT NOT NULL,
  tier TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  max_actions INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  bolt11 TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cashu_redeemed (
  token_hash TEXT PRIMARY KEY,
  mint TEXT NOT NULL,
  amount_sats INTEGER NOT NULL,
  redeemed_at INTEGER NOT NULL,
  proofs_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS baselines (
  credential_id TEXT PRIMARY KEY,
  start INTEGER NOT NULL,
  baseline_msat INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ttl_reverts (
  change_id INTEGER PRIMARY KEY,
  reverted_at INTEGER NOT NULL,
  outcome TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settlements (
  credential_id TEXT PRIMARY KEY,
  settled_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
`;
