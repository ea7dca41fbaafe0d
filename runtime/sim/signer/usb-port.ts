/**
 * An in-process USB port for the simulated signer: hosts open `ReportTransport`s to the device
 * (each sees every IN report, like processes sharing a hidraw node), and tests pull the plug and
 * put it back. Reports cross in both directions through microtasks, so a write never re-enters
 * the writer. Stands for the USB cable and hidraw node between the appliance and the signer.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { BaseTransport, type ReportTransport, type TransportOpener, type TransportUnavailable } from '../../../hw/transport/report-transport.ts';
import type { SimulatedSignerDevice } from './device.ts';

class InProcessTransport extends BaseTransport {
  private readonly unsubscribe: () => void;

  constructor(private readonly port: SimulatedUsbPort, private readonly device: SimulatedSignerDevice, name: string) {
    super(name);
    this.unsubscribe = device.onReport((r) => queueMicrotask(() => this.deliver(r)));
  }

  protected async send(report: Uint8Array): Promise<Result<void, TransportUnavailable>> {
    const copy = report.slice();
    queueMicrotask(() => this.port.plugged && this.device.receive(copy));
    return ok(undefined);
  }

  protected release(): void {
    this.unsubscribe();
    this.port.forget(this);
  }

  /** Device removed: close with the unplug reason. */
  unplugged(): Promise<void> {
    return this.finish('device unplugged');
  }
}

/** The port a simulated signer is plugged into. */
export class SimulatedUsbPort {
  private readonly open = new Set<InProcessTransport>();
  private isPlugged = true;
  private opened = 0;

  constructor(readonly device: SimulatedSignerDevice) {}

  /** True while the device is connected. */
  get plugged(): boolean {
    return this.isPlugged;
  }

  /** A `TransportOpener` for host drivers: fails with SignerUnavailable while unplugged. */
  readonly opener: TransportOpener = async () => {
    if (!this.isPlugged) return err({ kind: 'SignerUnavailable', reason: 'no Hivebox signer connected (simulated port empty)' });
    const t = new InProcessTransport(this, this.device, `sim:${this.device.serial}#${++this.opened}`);
    this.open.add(t);
    return ok(t as ReportTransport);
  };

  /** Pull the plug: every open transport closes ("device unplugged") and the device loses power. */
  async unplug(): Promise<void> {
    this.isPlugged = false;
    this.device.powerCycle();
    await Promise.all([...this.open].map((t) => t.unplugged()));
  }

  /** Plug the device back in (it boots with no channels). */
  plug(): void {
    this.isPlugged = true;
  }

  /** Called by a transport on close. */
  forget(t: InProcessTransport): void {
    this.open.delete(t);
  }
}
