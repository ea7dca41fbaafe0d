/**
 * First-contact framing strategy (issue 2 §2): spec HELLO first, clhive HELLO after the
 * timeout, learned framing wins, per-peer pins and timeouts.
 */
import { expect, test } from 'bun:test';
import {
  DEFAULT_FRAMING_CONFIG,
  type FramingConfig,
  type FramingInput,
  framingFor,
  type PeerFraming,
  stepFraming,
  UNKNOWN_FRAMING,
} from '../../runtime/core/wire/index.ts';

const PEER = `02${'a'.repeat(64)}`;
const T0 = 1_760_000_000;

function run(inputs: [FramingInput, number][], config: FramingConfig = DEFAULT_FRAMING_CONFIG, state: PeerFraming = UNKNOWN_FRAMING) {
  const effects: unknown[] = [];
  for (const [input, now] of inputs) {
    const step = stepFraming(PEER, state, input, now, config);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

test('unknown peer: HELLO in spec framing first', () => {
  const r = run([[{ kind: 'contact' }, T0]]);
  expect(r.effects).toEqual([{ kind: 'send_hello', framing: 'spec' }]);
  expect(r.state).toEqual({ phase: 'hello_spec', sent_at: T0 });
  expect(framingFor(PEER, r.state, DEFAULT_FRAMING_CONFIG)).toBe('spec');
});

test('no answer within the timeout: HELLO again in clhive framing, then no_answer', () => {
  const r = run([
    [{ kind: 'contact' }, T0],
    [{ kind: 'tick' }, T0 + 29],
    [{ kind: 'tick' }, T0 + 30],
    [{ kind: 'tick' }, T0 + 59],
    [{ kind: 'tick' }, T0 + 60],
  ]);
  expect(r.effects).toEqual([
    { kind: 'send_hello', framing: 'spec' },
    { kind: 'send_hello', framing: 'clhive' },
    { kind: 'no_answer' },
  ]);
  expect(r.state).toEqual({ phase: 'no_answer', since: T0 + 60 });
});

test('a CHALLENGE in clhive framing after the fallback makes the peer clhive', () => {
  const r = run([
    [{ kind: 'contact' }, T0],
    [{ kind: 'tick' }, T0 + 30],
    [{ kind: 'received', framing: 'clhive' }, T0 + 31],
    [{ kind: 'tick' }, T0 + 100],
  ]);
  expect(r.state).toEqual({ phase: 'known', framing: 'clhive' });
  expect(r.effects).toHaveLength(2);
  expect(framingFor(PEER, r.state, DEFAULT_FRAMING_CONFIG)).toBe('clhive');
});

test('a spec answer stops the probing', () => {
  const r = run([
    [{ kind: 'contact' }, T0],
    [{ kind: 'received', framing: 'spec' }, T0 + 1],
    [{ kind: 'tick' }, T0 + 1000],
  ]);
  expect(r.effects).toEqual([{ kind: 'send_hello', framing: 'spec' }]);
  expect(r.state).toEqual({ phase: 'known', framing: 'spec' });
});

test('a second contact while a HELLO is in flight changes nothing', () => {
  const first = run([[{ kind: 'contact' }, T0]]);
  const again = stepFraming(PEER, first.state, { kind: 'contact' }, T0 + 5, DEFAULT_FRAMING_CONFIG);
  expect(again).toEqual({ state: first.state, effects: [] });
});

test('known peers get HELLO in their framing; peers that spoke first are known', () => {
  const r = run([
    [{ kind: 'received', framing: 'clhive' }, T0],
    [{ kind: 'contact' }, T0 + 1],
  ]);
  expect(r.effects).toEqual([{ kind: 'send_hello', framing: 'clhive' }]);
});

test('per-peer override: pinned framing and its own timeout', () => {
  const pinned: FramingConfig = { challenge_timeout_s: 30, per_peer: { [PEER]: { framing: 'clhive' } } };
  expect(run([[{ kind: 'contact' }, T0]], pinned).effects).toEqual([{ kind: 'send_hello', framing: 'clhive' }]);
  expect(framingFor(PEER, UNKNOWN_FRAMING, pinned)).toBe('clhive');
  const slow: FramingConfig = { challenge_timeout_s: 30, per_peer: { [PEER]: { challenge_timeout_s: 120 } } };
  const r = run([[{ kind: 'contact' }, T0], [{ kind: 'tick' }, T0 + 60]], slow);
  expect(r.state).toEqual({ phase: 'hello_spec', sent_at: T0 });
});

test('after no_answer a new contact starts over in spec framing', () => {
  const r = run([[{ kind: 'contact' }, T0 + 100]], DEFAULT_FRAMING_CONFIG, { phase: 'no_answer', since: T0 });
  expect(r.effects).toEqual([{ kind: 'send_hello', framing: 'spec' }]);
});
