/**
 * The cross-path dedup stage of the inbound driver (issue 10 §3 "de-duplicates messages that arrive
 * both ways"; issue 14 item 4: a driver stage, not an engine decorator). The daemon runs it in front
 * of `onCustomMsg` for both inbound paths — the CLN plugin's `custommsg` hook and SwarmTransport
 * (`via = 'swarm'`) — so a message that arrives over Lightning and over the swarm reaches the engine
 * once, and both copies go through the same admission. A repeat by the same path (an outbox retry)
 * always passes.
 */
import { type DeliveryPath, deliveryDigest, SeenSet } from '../../runtime/core/swarm/index.ts';

/** One seen-set of deliveries and the clock it is read with. */
export class InboundDedup {
  /**
   * @param seen the bounded seen-set (default 50,000 digests for 10 minutes).
   * @param nowMs monotonic-enough clock in milliseconds.
   * @param onDuplicate told about each dropped copy (metrics/logs).
   */
  constructor(
    private readonly seen: SeenSet = new SeenSet(),
    private readonly nowMs: () => number = Date.now,
    private readonly onDuplicate: (peerId: string) => void = () => {},
  ) {}

  /** True when this delivery goes on to the engine; false (and `onDuplicate`) for the other path's copy of one already delivered. */
  admit(peerId: string, payloadHex: string, via: DeliveryPath = 'lightning'): boolean {
    if (this.seen.check(deliveryDigest(peerId, payloadHex), this.nowMs(), via) === 'fresh') return true;
    this.onDuplicate(peerId);
    return false;
  }
}
