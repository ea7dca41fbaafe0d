/**
 * Serves a simulated signer on a unix stream socket: OUT reports from any client go to the device,
 * IN reports are broadcast to every client (hidraw semantics, hw/PROTOCOL.md §1.2). Stands for the
 * USB link when the simulator runs as its own process.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { ReportChunker } from '../../../hw/transport/report-chunker.ts';
import type { SimulatedSignerDevice } from './device.ts';

/** A running socket server. */
export interface DeviceSocketServer {
  readonly path: string;
  /** Stop listening, disconnect clients and remove the socket file. */
  close(): Promise<void>;
}

/**
 * Listen on `path` (a stale socket file there is replaced).
 * @throws Error when the socket cannot be bound (e.g. the folder does not exist).
 */
export async function serveDevice(device: SimulatedSignerDevice, path: string): Promise<DeviceSocketServer> {
  if (existsSync(path)) unlinkSync(path);
  const clients = new Set<Socket>();
  const unsubscribe = device.onReport((r) => {
    for (const c of clients) c.write(r);
  });
  const server: Server = createServer((socket) => {
    const chunker = new ReportChunker();
    clients.add(socket);
    socket.on('data', (d: Buffer) => {
      for (const r of chunker.push(new Uint8Array(d))) device.receive(r);
    });
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: async () => {
      unsubscribe();
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (existsSync(path)) unlinkSync(path);
    },
  };
}
