/**
 * `ReportTransport` over a unix stream socket carrying raw 64-byte reports back to back
 * (hw/PROTOCOL.md §1.2, "Simulator socket"). This is how the daemon talks to a simulated signer
 * running as its own process (`hivebox signer sim --socket PATH`); the socket closing counts as an
 * unplug.
 */
import { createConnection, type Socket } from 'node:net';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { ReportChunker } from './report-chunker.ts';
import { BaseTransport, type ReportTransport, type TransportOpener, type TransportUnavailable } from './report-transport.ts';

class UnixSocketTransport extends BaseTransport {
  private readonly chunker = new ReportChunker();

  constructor(private readonly socket: Socket, path: string) {
    super(`unix:${path}`);
    socket.on('data', (d: Buffer) => {
      for (const r of this.chunker.push(new Uint8Array(d))) this.deliver(r);
    });
    socket.on('close', () => void this.finish('simulator socket closed'));
    socket.on('error', () => void this.finish('simulator socket error'));
  }

  protected async send(report: Uint8Array): Promise<Result<void, TransportUnavailable>> {
    return new Promise((resolve) => {
      this.socket.write(report, (e) => resolve(e ? err({ kind: 'SignerUnavailable', reason: e.message }) : ok(undefined)));
    });
  }

  protected release(): void {
    this.socket.destroy();
  }
}

/**
 * Opener for a simulator listening on `path`.
 * @returns SignerUnavailable when nothing listens there (ENOENT, ECONNREFUSED).
 */
export function unixSocketOpener(path: string): TransportOpener {
  return () =>
    new Promise<Result<ReportTransport, TransportUnavailable>>((resolve) => {
      const socket = createConnection({ path });
      const fail = (e: Error) => resolve(err({ kind: 'SignerUnavailable', reason: `no signer simulator at ${path} (${e.message})` }));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(ok(new UnixSocketTransport(socket, path)));
      });
    });
}
