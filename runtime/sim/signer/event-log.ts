/**
 * Turns the simulated device's screen events into the lines an operator sees in `hivebox demo`
 * and in the simulator process's output:
 * `[signer] Press the button to approve: invite to hive_1a2b, valid 24 h, requires splice … pressed`.
 * A prompt is held briefly so an immediate press prints as one line; a slow decision prints the
 * prompt first and the outcome on its own line.
 */
import { realClock, type Clock } from '../../../hw/clock.ts';
import type { DeviceEvent } from './device.ts';

/** How long a prompt line is held waiting for a quick outcome (ms). */
export const PROMPT_HOLD_MS = 200;

const OUTCOME_WORDS = {
  approved: 'pressed',
  rejected: 'rejected (long press)',
  timeout: 'no press, timed out',
  cancelled: 'cancelled by the host',
} as const;

/** A device `onEvent` handler writing lines to `log`. */
export function deviceEventLogger(log: (line: string) => void, clock: Clock = realClock): (e: DeviceEvent) => void {
  let held: string | null = null;
  let cancel = () => {};
  return (e) => {
    if (e.kind === 'prompt') {
      cancel();
      if (held !== null) log(held);
      held = `[signer] Press the button to approve: ${e.prompt.title}`;
      cancel = clock.setTimer(PROMPT_HOLD_MS, () => {
        if (held !== null) log(held);
        held = null;
      });
      return;
    }
    cancel();
    const word = OUTCOME_WORDS[e.result];
    log(held !== null ? `${held} … ${word}` : `[signer] … ${word}`);
    held = null;
  };
}
