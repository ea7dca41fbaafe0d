/**
 * The simulated device's physical button, scriptable: approve, reject (long press), never press,
 * or press after N ms. Stands for the touch button of a real Hivebox Signer; the device model arms
 * it when an approval prompt is on screen and disarms it when the prompt ends.
 */
import type { Clock } from '../../../hw/clock.ts';

/** What the operator does with the button. */
export type ButtonDecision = 'approve' | 'reject';

/** One scripted reaction to a prompt. A bare decision means "press at once". */
export type ButtonAction = ButtonDecision | 'never' | { readonly press: ButtonDecision; readonly after_ms: number };

/** What the device shows while it waits. */
export interface ApprovalPrompt {
  readonly purpose: string;
  readonly title: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly timeout_s: number;
}

/** A button the device can arm. */
export interface Button {
  /**
   * Start listening for a press on behalf of `prompt`; `decide` is called at most once.
   * @returns disarm: stop listening (prompt ended by timeout, cancel or power loss).
   */
  arm(prompt: ApprovalPrompt, decide: (d: ButtonDecision) => void): () => void;
}

/**
 * A button that plays `script` one action per prompt; the last action repeats once the script is
 * used up (so `scriptedButton('approve', clock)` approves everything).
 */
export function scriptedButton(script: ButtonAction | readonly ButtonAction[], clock: Clock): Button & { readonly prompts: ApprovalPrompt[] } {
  const actions = Array.isArray(script) ? [...(script as readonly ButtonAction[])] : [script as ButtonAction];
  const prompts: ApprovalPrompt[] = [];
  return {
    prompts,
    arm(prompt, decide) {
      prompts.push(prompt);
      const action = actions.length > 1 ? actions.shift()! : actions[0]!;
      if (action === 'never') return () => {};
      const { press, after_ms } = typeof action === 'string' ? { press: action, after_ms: 0 } : action;
      return clock.setTimer(after_ms, () => decide(press));
    },
  };
}

/** Parse a `--button` option: `approve`, `reject`, `never`, `approve-after:MS`, `reject-after:MS`. */
export function parseButtonAction(s: string): ButtonAction | null {
  if (s === 'approve' || s === 'reject' || s === 'never') return s;
  const m = /^(approve|reject)-after:(\d{1,7})$/.exec(s);
  return m ? { press: m[1] as ButtonDecision, after_ms: Number(m[2]) } : null;
}

/** Parse a comma-separated button script (`approve,reject,approve-after:500`); null if any part is invalid. */
export function parseButtonScript(s: string): ButtonAction[] | null {
  const actions = s.split(',').map(parseButtonAction);
  return actions.every((a) => a !== null) ? (actions as ButtonAction[]) : null;
}

/** The inverse of {@link parseButtonScript}. */
export function formatButtonScript(script: ButtonAction | readonly ButtonAction[]): string {
  const list: readonly ButtonAction[] = Array.isArray(script) ? script : [script as ButtonAction];
  return list.map((a) => (typeof a === 'string' ? a : `${a.press}-after:${a.after_ms}`)).join(',');
}
