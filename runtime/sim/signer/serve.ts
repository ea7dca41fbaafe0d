/**
 * Builds a simulated signer (keys in its state folder, scripted button, real clock) and serves it
 * on a unix socket or as a kernel HID device (/dev/uhid): the body of the simulator process (`bun runtime/sim/signer/main.ts`,
 * `hivebox signer sim`).
 */
import { join } from 'node:path';
import { realClock, secureRandom, type RandomBytes } from '../../../hw/clock.ts';
import { scriptedButton, type ButtonAction } from './button.ts';
import { SimulatedSignerDevice } from './device.ts';
import { deviceEventLogger } from './event-log.ts';
import { DeviceKeyStore } from './key-store.ts';
import { serveDevice } from './socket-server.ts';
import { attachUhid, type UhidSigner } from './uhid.ts';
import { usbId } from '../../../hw/framing/constants.ts';

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

/** The device model with its keys from `stateDir`. @throws Error when the state is corrupt. */
function buildDevice(opts: ServeOptions): { device: SimulatedSignerDevice; keys: DeviceKeyStore } {
  const keys = DeviceKeyStore.open(opts.stateDir, opts.random ?? secureRandom);
  const device = new SimulatedSignerDevice({
    keys,
    button: scriptedButton(opts.button ?? 'approve', realClock),
    clock: realClock,
    timeout_s: opts.timeout_s,
    onEvent: deviceEventLogger(opts.log),
  });
  return { device, keys };
}

/** Start a simulator on a socket. @throws Error when the state is corrupt or the socket cannot be bound. */
export async function serveSimulator(opts: ServeOptions): Promise<ServedSimulator> {
  const { device, keys } = buildDevice(opts);
  const socketPath = opts.socketPath ?? join(opts.stateDir, 'signer.sock');
  const server = await serveDevice(device, socketPath);
  return { serial: keys.serial, socketPath, device, stop: () => server.close() };
}

/**
 * Start a simulator as a kernel USB HID device through /dev/uhid (uhid.ts): hosts then reach it
 * with the node-hid or hidraw transport, like the real signer. @returns the device, its serial and
 * the uhid handle (unplug/plug). @throws Error when the state is corrupt or /dev/uhid is unusable.
 */
export function attachSimulatorUhid(opts: ServeOptions): { device: SimulatedSignerDevice; serial: string; uhid: UhidSigner } {
  const { device, keys } = buildDevice(opts);
  const uhid = attachUhid(device, { name: UHID_DEVICE_NAME, serial: keys.serial });
  return { device, serial: keys.serial, uhid };
}

/** The USB product name the uhid simulator presents (HID_NAME). */
export const UHID_DEVICE_NAME = 'Hivebox Signer (simulated)';

/** How the simulator process's ready line starts. */
export const READY_PREFIX = '[signer] ready:';

/** The line a simulator process prints once it accepts connections. */
export function readyLine(s: { serial: string; socketPath: string }): string {
  return `${READY_PREFIX} simulated Hivebox Signer ${s.serial} on ${s.socketPath}`;
}

/**
 * Run a simulator as the whole process: serve on its socket (or attach it to the kernel through
 * /dev/uhid with `uhid`), print the ready line through `opts.log`, stop (unplug) and exit 0 on
 * SIGINT/SIGTERM.
 */
export async function runSimulatorProcess(opts: ServeOptions & { uhid?: boolean }): Promise<void> {
  let stopSim: () => Promise<void> | void;
  if (opts.uhid) {
    const sim = attachSimulatorUhid(opts);
    opts.log(`${READY_PREFIX} simulated Hivebox Signer ${sim.serial} on /dev/uhid (USB ${usbId()}, found by node-hid and hidraw)`);
    stopSim = () => sim.uhid.close();
  } else {
    const sim = await serveSimulator(opts);
    opts.log(readyLine(sim));
    stopSim = () => sim.stop();
  }
  const stop = async () => {
    await stopSim();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
