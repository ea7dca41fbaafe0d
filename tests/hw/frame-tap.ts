/**
 * A test transport wrapper that sits on the wire between host and device and rewrites whole IN
 * messages (reassembled with the real framing code, re-packetized after the rewrite): drop them,
 * inject forged ones, tamper with answers. Used to attack the host driver.
 */
import { ok } from '../../runtime/core/result.ts';
import { packetize, type Frame } from '../../hw/framing/packetize.ts';
import { Reassembler } from '../../hw/framing/reassembler.ts';
import type { ReportTransport, TransportOpener } from '../../hw/transport/report-transport.ts';

/** Wrap `opener`; `rewrite` maps every IN message to the messages the host receives instead. */
export function tapOpener(opener: TransportOpener, rewrite: (f: Frame) => Frame[]): TransportOpener {
  return async () => {
    const t = await opener();
    if (!t.ok) return t;
    const inner = t.value;
    const re = new Reassembler();
    let listener: (r: Uint8Array) => void = () => {};
    inner.onReport((r) => {
      const ev = re.push(r, 0);
      if (ev.kind !== 'frame') return;
      for (const f of rewrite(ev.frame)) {
        const rs = packetize(f);
        if (rs.ok) rs.value.forEach((x) => listener(x));
      }
    });
    const tapped: ReportTransport = {
      name: `tap:${inner.name}`,
      get closed() {
        return inner.closed;
      },
      write: (r) => inner.write(r),
      onReport: (l) => {
        listener = l;
      },
      onClose: (l) => inner.onClose(l),
      close: () => inner.close(),
    };
    return ok(tapped);
  };
}
