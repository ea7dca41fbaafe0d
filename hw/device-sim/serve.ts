/**
 * Builds a simulated signer (keys in its state folder, scripted button, real clock) and serves it
 * on a unix socket: the body of the simulator process (`bun hw/device-sim/main.ts`,
 * `hivebox signer sim`).
 */
import { join } from 'node:path';
import { realClock, secureRandom, type RandomBytes } from '../clock.ts';
import { scriptedButton, type ButtonAction } from './button.ts';
import { SimulatedSignerDevice } from './device.ts';
import { deviceEventLogger } from './event-log.ts';
import { DeviceKeyStore } from './key-store.ts';
import { serveDevice } from './socket-server.ts';

/** Options of a served simulator. */
export interface ServeOptions {
  /** The device's own folder (device-state.json lives here). */
  readonly stateDir: string;
  /** Socket path (default `<stateDir>/signer.sock`). */
  readonly socketPath?: string;
  /** Button script (default: approve everything at once). */
  readonly button?: ButtonAction | readonly ButtonAction[];
  /** Device approval timeout in s (default 60). */
  readonly timeout_s?: number;
  /** Where prompt lines go. */
  readonly log: (line: string) => void;
  /** Key-generation randomness (default: the CSPRNG). */
  readonly random?: RandomBytes;
}

/** A running served simulator. */
export interface ServedSimulator {
  readonly serial: string;
  readonly socketPath: string;
  readonly device: SimulatedSignerDevice;
  stop(): Promise<void>;
}

/** Start a simulator on a socket. @throws Error when the state is corrupt or the socket cannot be bound. */
export async function serveSimulator(opts: ServeOptions): Promise<ServedSimulator> {
  const keys = DeviceKeyStore.open(opts.stateDir, opts.random ?? secureRandom);
  const device = new SimulatedSignerDevice({
    keys,
    button: scriptedButton(opts.button ?? 'approve', realClock),
    clock: realClock,
    timeout_s: opts.timeout_s,
    onEvent: deviceEventLogger(opts.log),
  });
  const socketPath = opts.socketPath ?? join(opts.stateDir, 'signer.sock');
  const server = await serveDevice(device, socketPath);
  return { serial: keys.serial, socketPath, device, stop: () => server.close() };
}

/** How the simulator process's ready line starts. */
export const READY_PREFIX = '[signer] ready:';

/** The line a simulator process prints once it accepts connections. */
export function readyLine(s: { serial: string; socketPath: string }): string {
  return `${READY_PREFIX} simulated Hivebox Signer ${s.serial} on ${s.socketPath}`;
}

/**
 * Run a simulator as the whole process: serve, print the ready line through `opts.log`, stop and
 * exit 0 on SIGINT/SIGTERM.
 */
export async function runSimulatorProcess(opts: ServeOptions): Promise<void> {
  const sim = await serveSimulator(opts);
  opts.log(readyLine(sim));
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
