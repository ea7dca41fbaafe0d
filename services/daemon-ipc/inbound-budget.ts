/**
 * Per-peer inbound budgets (issue 15 item 6), applied twice: in the plugin, before a `custommsg` hook
 * is written to the IPC socket (the daemon pushes members and budgets; the plugin reports its drops),
 * and where an event enters the daemon, before it is queued — so a flooding peer costs the plugin one
 * JSON parse and a counter, never the daemon a decode, a signature check or a place in the queue. Members and non-members have separate budgets (messages/s
 * and bytes/s each, per peer), non-members also share one total budget, and non-members may fill at
 * most half of the bounded queue, so members' traffic keeps flowing while any number of non-members
 * flood. Every drop is counted per reason and per peer (`InboundStatus`, in `hive-status` and on MQTT).
 *
 * The token bucket is the few lines below rather than a library: the npm ones (`limiter`,
 * `rate-limiter-flexible`, `simple-token-bucket`) read the wall clock themselves, and
 * `rate-limiter-flexible` is promise-based per call; here time is the daemon's injected `now_ms`.
 */

/** `[daemon]` keys of the inbound budgets (runtime/config/schema.ts). */
export interface InboundBudgetConfig {
  readonly inbound_member_msgs_per_s: number;
  readonly inbound_member_bytes_per_s: number;
  readonly inbound_nonmember_msgs_per_s: number;
  readonly inbound_nonmember_bytes_per_s: number;
  /** All non-members together. */
  readonly inbound_nonmember_total_msgs_per_s: number;
  /** Most events waiting in the daemon's queue; non-members' custom messages may fill half of it. */
  readonly inbound_queue_max: number;
}

/** Why an inbound custom message was dropped. */
export type InboundDropReason = 'peer_msgs_budget' | 'peer_bytes_budget' | 'nonmember_total_budget' | 'queue_full';

/** Buckets hold this many seconds of their rate (the burst a quiet peer may send at once). */
const BURST_S = 2;
/** The bytes bucket always holds at least one largest custom message (65,535 bytes, BOLT 1). */
const MIN_BYTES_BURST = 65_535;
/** Peers with live buckets kept; idle (full) buckets are forgotten first. */
const MAX_TRACKED_PEERS = 4_096;
/** Peers whose drop counts are kept (the oldest is forgotten first; totals are never lost). */
const MAX_DROP_PEERS = 256;
/** Peers listed in the status, most drops first. */
const STATUS_TOP_PEERS = 10;

/** A token bucket: `rate` tokens per second up to `burst`, refilled from the injected clock. */
class Bucket {
  private tokens: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private last_ms: number,
  ) {
    this.tokens = burst;
  }

  private refill(now_ms: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now_ms - this.last_ms) * this.rate) / 1000);
    this.last_ms = now_ms;
  }

  /** Take `n` tokens if there are that many. */
  take(n: number, now_ms: number): boolean {
    this.refill(now_ms);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Give back `n` tokens (a message admitted by this bucket was dropped by a later one). */
  refund(n: number): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Full again: the peer has been quiet for a whole burst. */
  idle(now_ms: number): boolean {
    this.refill(now_ms);
    return this.tokens >= this.burst;
  }
}

interface PeerBuckets {
  readonly member: boolean;
  readonly msgs: Bucket;
  readonly bytes: Bucket;
}

/** Drops of one peer. */
export interface PeerDrops {
  readonly peer_id: string;
  readonly member: boolean;
  readonly dropped: number;
  readonly reasons: Readonly<Partial<Record<InboundDropReason, number>>>;
}

/** What `hive-status` carries under `inbound` (added by the daemon). */
export interface InboundStatus {
  readonly queued: number;
  readonly queue_max: number;
  readonly admitted: number;
  readonly dropped_total: number;
  readonly dropped: Readonly<Partial<Record<InboundDropReason, number>>>;
  /** Peers with the most drops, most first (at most 10). */
  readonly top_droppers: readonly PeerDrops[];
}

/** The inbound gate of one daemon. */
export class InboundGate {
  private readonly peers = new Map<string, PeerBuckets>();
  private readonly nonmemberTotal: Bucket;
  private readonly drops = new Map<string, { member: boolean; dropped: number; reasons: Partial<Record<InboundDropReason, number>> }>();
  private readonly totals: Partial<Record<InboundDropReason, number>> = {};
  private admittedCount = 0;
  private droppedCount = 0;

  constructor(
    private readonly cfg: InboundBudgetConfig,
    private readonly isMember: (peerId: string) => boolean,
    private readonly now_ms: () => number,
  ) {
    this.nonmemberTotal = new Bucket(cfg.inbound_nonmember_total_msgs_per_s, cfg.inbound_nonmember_total_msgs_per_s * BURST_S, now_ms());
  }

  /**
   * Decide on one custom message of `bytes` bytes from `peerId` while `queued` events wait.
   * @returns null when admitted, else the reason it was dropped (counted).
   */
  admit(peerId: string, bytes: number, queued: number): InboundDropReason | null {
    const now = this.now_ms();
    const member = this.isMember(peerId);
    const reason = this.check(peerId, member, bytes, queued, now);
    if (reason === null) this.admittedCount++;
    else this.count(peerId, member, reason);
    return reason;
  }

  private check(peerId: string, member: boolean, bytes: number, queued: number, now: number): InboundDropReason | null {
    if (queued >= (member ? this.cfg.inbound_queue_max : Math.floor(this.cfg.inbound_queue_max / 2))) return 'queue_full';
    const b = this.bucketsOf(peerId, member, now);
    if (!b.msgs.take(1, now)) return 'peer_msgs_budget';
    if (!b.bytes.take(bytes, now)) {
      b.msgs.refund(1);
      return 'peer_bytes_budget';
    }
    if (!member && !this.nonmemberTotal.take(1, now)) {
      b.msgs.refund(1);
      b.bytes.refund(bytes);
      return 'nonmember_total_budget';
    }
    return null;
  }

  private bucketsOf(peerId: string, member: boolean, now: number): PeerBuckets {
    const have = this.peers.get(peerId);
    if (have && have.member === member) return have;
    if (!have && this.peers.size >= MAX_TRACKED_PEERS) this.forgetIdle(now);
    const msgs = member ? this.cfg.inbound_member_msgs_per_s : this.cfg.inbound_nonmember_msgs_per_s;
    const bytes = member ? this.cfg.inbound_member_bytes_per_s : this.cfg.inbound_nonmember_bytes_per_s;
    const fresh = { member, msgs: new Bucket(msgs, msgs * BURST_S, now), bytes: new Bucket(bytes, Math.max(MIN_BYTES_BURST, bytes * BURST_S), now) };
    this.peers.set(peerId, fresh);
    return fresh;
  }

  /** Forget peers whose buckets are full (quiet for a burst); if none is, the oldest tracked one. */
  private forgetIdle(now: number): void {
    for (const [id, b] of this.peers) if (b.msgs.idle(now) && b.bytes.idle(now)) this.peers.delete(id);
    if (this.peers.size >= MAX_TRACKED_PEERS) this.peers.delete(this.peers.keys().next().value!);
  }

  /** Count `n` drops another gate made (the plugin's, reported over IPC) as if made here. */
  countReported(peerId: string, member: boolean, reason: InboundDropReason, n: number): void {
    this.count(peerId, member, reason, n);
  }

  private count(peerId: string, member: boolean, reason: InboundDropReason, n = 1): void {
    this.droppedCount += n;
    this.totals[reason] = (this.totals[reason] ?? 0) + n;
    let d = this.drops.get(peerId);
    if (!d) {
      if (this.drops.size >= MAX_DROP_PEERS) this.drops.delete(this.drops.keys().next().value!);
      d = { member, dropped: 0, reasons: {} };
      this.drops.set(peerId, d);
    }
    d.dropped += n;
    d.reasons[reason] = (d.reasons[reason] ?? 0) + n;
  }

  /** Counters for `hive-status`. */
  status(queued: number): InboundStatus {
    const top = [...this.drops.entries()]
      .sort((a, b) => b[1].dropped - a[1].dropped)
      .slice(0, STATUS_TOP_PEERS)
      .map(([peer_id, d]) => ({ peer_id, member: d.member, dropped: d.dropped, reasons: { ...d.reasons } }));
    return { queued, queue_max: this.cfg.inbound_queue_max, admitted: this.admittedCount, dropped_total: this.droppedCount, dropped: { ...this.totals }, top_droppers: top };
  }
}
