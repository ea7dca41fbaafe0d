/**
 * Hive message types a peer sends that Hivebox does not implement (issue 13): cl-hive members send
 * e.g. SETTLEMENT_OFFER or PHYSARUM_RECOMMENDATION (real-cln-facts.md), and a newer cl-hive may
 * send type numbers this registry does not know. They are counted per type (shown by `hive-status`
 * as `unhandled_types`), logged once per type and peer at debug level, and never answered or
 * warned about per message. Memory only; bounded.
 */

/** Distinct keys counted; further ones share `other`. */
const MAX_TYPES = 128;
/** Distinct (type, peer) pairs remembered for the log-once rule; beyond it nothing more is logged. */
const MAX_PAIRS = 4_096;

/** Counts and the log-once memory. */
export class UnhandledTypes {
  private readonly counts = new Map<string, number>();
  private readonly logged = new Set<string>();

  /**
   * Count one message of `type` from `peer_id`.
   * @returns true the first time this type comes from this peer (the caller logs it then).
   */
  note(type: string, peer_id: string): boolean {
    const key = this.counts.has(type) || this.counts.size < MAX_TYPES ? type : 'other';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const pair = `${key}|${peer_id}`;
    if (this.logged.has(pair) || this.logged.size >= MAX_PAIRS) return false;
    this.logged.add(pair);
    return true;
  }

  /** Messages counted per type name (`unknown_type` for type numbers outside the registry). */
  view(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
