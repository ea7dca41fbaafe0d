#!/usr/bin/env bun
/**
 * The simulated Hivebox Signer as its own process:
 *   bun hw/device-sim/main.ts --state DIR [--socket PATH] [--button approve|reject|never|approve-after:MS,...] [--timeout-s N]
 * Prints prompt lines and a ready line on stdout; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { parseButtonAction, type ButtonAction } from './button.ts';
import { readyLine, serveSimulator } from './serve.ts';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    socket: { type: 'string' },
    button: { type: 'string', default: 'approve' },
    'timeout-s': { type: 'string', default: '60' },
  },
});
const script = (values.button ?? 'approve').split(',').map(parseButtonAction);
if (!values.state || script.some((a) => a === null)) {
  console.error('usage: main.ts --state DIR [--socket PATH] [--button approve|reject|never|approve-after:MS,...] [--timeout-s N]');
  process.exit(64);
}
const sim = await serveSimulator({
  stateDir: values.state,
  socketPath: values.socket,
  button: script as ButtonAction[],
  timeout_s: Number(values['timeout-s']),
  log: (line) => console.log(line),
});
console.log(readyLine(sim));
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
