#!/usr/bin/env bun
/**
 * The simulated Hivebox Signer as its own process (same as `hivebox signer sim`):
 *   bun runtime/sim/signer/main.ts --state DIR [--socket PATH] [--button approve|reject|never|approve-after:MS,...] [--timeout-s N]
 * Prints prompt lines and a ready line on stdout; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { parseButtonScript } from './button.ts';
import { runSimulatorProcess } from './serve.ts';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    socket: { type: 'string' },
    button: { type: 'string', default: 'approve' },
    'timeout-s': { type: 'string', default: '60' },
  },
});
const script = parseButtonScript(values.button ?? 'approve');
if (!values.state || !script) {
  console.error('usage: main.ts --state DIR [--socket PATH] [--button approve|reject|never|approve-after:MS,...] [--timeout-s N]');
  process.exit(64);
}
await runSimulatorProcess({ stateDir: values.state, socketPath: values.socket, button: script, timeout_s: Number(values['timeout-s']), log: (l) => console.log(l) });
