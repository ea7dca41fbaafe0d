/**
 * A bare host for device-model tests (no host driver): writes packetized frames straight into a
 * simulated signer and records every IN frame and report, so tests can send what a well-behaved
 * driver never would.
 */
import type { SimulatedSignerDevice } from '../../runtime/sim/signer/device.ts';
import { BROADCAST_CID, CMD } from '../../hw/framing/constants.ts';
import { decodeInitResponse } from '../../hw/framing/control-payloads.ts';
import { packetize, type Frame } from '../../hw/framing/packetize.ts';
import { Reassembler } from '../../hw/framing/reassembler.ts';
import type { ManualClock } from './manual-clock.ts';

/** Writes frames into the device, collects what it sends back. */
export class RawHost {
  readonly frames: Frame[] = [];
  readonly reports: Uint8Array[] = [];
  private readonly re = new Reassembler();
  constructor(private readonly device: SimulatedSignerDevice, clock: ManualClock) {
    device.onReport((r) => {
      this.reports.push(r);
      const ev = this.re.push(r, clock.now_ms());
      if (ev.kind === 'frame') this.frames.push(ev.frame);
    });
  }
  /** Packetize and deliver one frame. @throws Error when the payload cannot be packetized. */
  send(cid: number, cmd: number, payload: Uint8Array): void {
    const rs = packetize({ cid, cmd, payload });
    if (!rs.ok) throw new Error(rs.error.kind);
    for (const r of rs.value) this.device.receive(r);
  }
  /** Frames received since the last call. */
  take(): Frame[] {
    return this.frames.splice(0);
  }
  /** INIT on the broadcast channel; returns the allocated channel. */
  init(): number {
    this.send(BROADCAST_CID, CMD.INIT, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    return decodeInitResponse(this.take().at(-1)!.payload)!.cid;
  }
}
