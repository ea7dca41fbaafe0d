/**
 * The health state machine (runtime/core/health/health-machine.ts): every transition, READY once,
 * startup timeout, give-up semantics, and typed rejects that leave the state unchanged.
 */
import { expect, test } from 'bun:test';
import {
  describeHealth,
  type HealthInput,
  type HealthSpec,
  type HealthState,
  initialHealth,
  stepHealth,
} from '../../runtime/core/health/health-machine.ts';

const SPEC: HealthSpec = {
  components: [
    { name: 'store', required_for_ready: true, critical: true },
    { name: 'signer', required_for_ready: true, critical: false },
    { name: 'backend', required_for_ready: true, critical: true },
    { name: 'mosquitto', required_for_ready: false, critical: false },
  ],
  startup_timeout_s: 120,
};
const T0 = 1_700_000_000;

function run(inputs: [HealthInput, number][], start = initialHealth(SPEC, T0)) {
  let state: HealthState = start;
  const effects = [];
  for (const [input, now] of inputs) {
    const r = stepHealth(SPEC, state, input, now);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    state = r.value.state;
    effects.push(...r.value.effects);
  }
  return { state, effects };
}
const up = (component: string): HealthInput => ({ kind: 'observed', observations: [{ component, up: true }] });
const down = (component: string, reason: string): HealthInput => ({ kind: 'observed', observations: [{ component, up: false, reason }] });
const gaveUp = (component: string, reason: string): HealthInput => ({ kind: 'observed', observations: [{ component, up: false, gave_up: true, reason }] });

test('starts in starting, waiting for every component', () => {
  const s = initialHealth(SPEC, T0);
  expect(s.status).toBe('starting');
  expect(s.reasons.map((r) => r.component)).toEqual(['store', 'signer', 'backend', 'mosquitto']);
});

test('READY once all required components were up and all were observed; then healthy', () => {
  const { state, effects } = run([[up('store'), T0 + 1], [up('signer'), T0 + 1], [up('backend'), T0 + 2], [up('mosquitto'), T0 + 2]]);
  expect(state.status).toBe('healthy');
  expect(state.ready).toBe(true);
  expect(effects.filter((e) => e.kind === 'ready')).toHaveLength(1);
  expect(effects.at(-1)).toEqual({ kind: 'transition', from: 'starting', to: 'healthy', reasons: [], at: T0 + 2 });
});

test('optional component down at start → READY, but degraded with the reason', () => {
  const { state, effects } = run([[up('store'), T0], [up('signer'), T0], [up('backend'), T0], [down('mosquitto', 'mosquitto.service failed/failed'), T0 + 1]]);
  expect(state.status).toBe('degraded');
  expect(state.reasons).toEqual([{ component: 'mosquitto', reason: 'mosquitto.service failed/failed' }]);
  expect(effects.map((e) => e.kind)).toContain('ready');
});

test('healthy → degraded (with reason) → healthy again, each a logged transition', () => {
  const ready = run([[up('store'), T0], [up('signer'), T0], [up('backend'), T0], [up('mosquitto'), T0]]).state;
  const { state, effects } = run([[down('backend', 'getinfo: connection refused'), T0 + 10], [up('backend'), T0 + 20]], ready);
  expect(effects).toEqual([
    { kind: 'transition', from: 'healthy', to: 'degraded', reasons: [{ component: 'backend', reason: 'getinfo: connection refused' }], at: T0 + 10 },
    { kind: 'transition', from: 'degraded', to: 'healthy', reasons: [], at: T0 + 20 },
  ]);
  expect(state.components.backend).toMatchObject({ up: true, since: T0 + 20 });
});

test('a second reason while degraded is a transition degraded → degraded; a repeat observation is silent', () => {
  const ready = run([[up('store'), T0], [up('signer'), T0], [up('backend'), T0], [up('mosquitto'), T0]]).state;
  const { effects } = run([[down('mosquitto', 'inactive'), T0 + 1], [down('mosquitto', 'inactive'), T0 + 2], [down('signer', 'SignerUnavailable: unplugged'), T0 + 3]], ready);
  expect(effects.map((e) => (e.kind === 'transition' ? `${e.from}->${e.to}:${e.reasons.length}` : e.kind))).toEqual(['healthy->degraded:1', 'degraded->degraded:2']);
});

test('startup timeout with a required component never up → failed with "startup timed out"', () => {
  const { state } = run([[up('store'), T0], [up('backend'), T0], [down('signer', 'SignerUnavailable: no device'), T0 + 5], [{ kind: 'tick' }, T0 + 120]]);
  expect(state.status).toBe('failed');
  expect(state.reasons).toEqual([{ component: 'signer', reason: 'startup timed out: SignerUnavailable: no device' }]);
});

test('startup timeout with only an optional component unobserved → leaves starting as degraded', () => {
  const { state } = run([[up('store'), T0], [up('backend'), T0], [up('signer'), T0], [{ kind: 'tick' }, T0 + 120]]);
  expect(state.status).toBe('degraded');
  expect(state.reasons).toEqual([{ component: 'mosquitto', reason: 'not observed yet' }]);
});

test('giving up on a critical component fails the daemon; on an optional one only degrades it', () => {
  const ready = run([[up('store'), T0], [up('signer'), T0], [up('backend'), T0], [up('mosquitto'), T0]]).state;
  const optional = run([[gaveUp('mosquitto', 'gave up after 5 restarts in 600 s'), T0 + 1]], ready).state;
  expect(optional.status).toBe('degraded');
  const fatal = run([[gaveUp('backend', 'gave up after 5 restarts in 600 s'), T0 + 1]], ready).state;
  expect(fatal.status).toBe('failed');
  expect(describeHealth(fatal.status, fatal.reasons)).toBe('failed: backend (gave up after 5 restarts in 600 s)');
});

test('an optional component seen up again after give-up clears it', () => {
  const ready = run([[up('store'), T0], [up('signer'), T0], [up('backend'), T0], [up('mosquitto'), T0]]).state;
  const { state } = run([[gaveUp('mosquitto', 'x'), T0 + 1], [up('mosquitto'), T0 + 2]], ready);
  expect(state.status).toBe('healthy');
  expect(state.components.mosquitto?.gave_up).toBe(false);
});

test('one batch (a supervisor round) makes at most one transition', () => {
  const batch: HealthInput = { kind: 'observed', observations: ['store', 'signer', 'backend', 'mosquitto'].map((component) => ({ component, up: true })) };
  const { effects } = run([[batch, T0]]);
  expect(effects).toEqual([{ kind: 'ready' }, { kind: 'transition', from: 'starting', to: 'healthy', reasons: [], at: T0 }]);
});

test('rejects: unknown component, and anything after failed; state unchanged', () => {
  const s = initialHealth(SPEC, T0);
  expect(stepHealth(SPEC, s, up('bitcoind'), T0)).toEqual({ ok: false, error: { kind: 'UnknownComponent', component: 'bitcoind' } });
  // a batch with one unknown component is refused whole: the valid observation before it is not applied
  const mixed: HealthInput = { kind: 'observed', observations: [{ component: 'store', up: true }, { component: 'bitcoind', up: true }] };
  expect(stepHealth(SPEC, s, mixed, T0).ok).toBe(false);
  expect(s.components.store?.up).toBeNull();
  const failed = run([[{ kind: 'tick' }, T0 + 500]]).state;
  expect(failed.status).toBe('failed');
  expect(stepHealth(SPEC, failed, up('store'), T0 + 501)).toEqual({ ok: false, error: { kind: 'AlreadyFailed' } });
});

test('long reasons are cut to 160 chars', () => {
  const { state } = run([[down('store', 'x'.repeat(400)), T0]]);
  expect(state.components.store?.reason).toHaveLength(160);
});
