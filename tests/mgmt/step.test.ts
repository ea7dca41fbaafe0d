/**
 * `mgmtStep` (runtime/core/mgmt/step.ts): the managed node as a pure step. A refused request walks
 * read channels → sign receipt → persist → sign response → respond, each step with at most one
 * `persist` (first); inputs that do not fit the request in flight are driver bugs and throw.
 */
import { expect, test } from 'bun:test';
import { DEFAULT_POLICY } from '../../runtime/core/mgmt/policy.ts';
import { initialMgmtState, mgmtStep, type MgmtInput, type MgmtState, type MgmtStep } from '../../runtime/core/mgmt/step.ts';

const NOW = 1_790_000_000;
const PEER = `02${'ab'.repeat(32)}`;
const request: MgmtInput = { kind: 'request', peer_id: PEER, bytes: Uint8Array.of(0xc0, 0x00, 0xff), config: {}, receipt_id: new Uint8Array(16), node_id: `03${'cd'.repeat(32)}` };

function drive(s: MgmtState, inputs: readonly MgmtInput[]): MgmtStep[] {
  const steps: MgmtStep[] = [];
  for (const i of inputs) {
    const st = mgmtStep(s, i, NOW);
    expect(st.effects.filter((e) => e.kind === 'persist').length).toBeLessThanOrEqual(1);
    if (st.effects.some((e) => e.kind === 'persist')) expect(st.effects[0]!.kind).toBe('persist');
    steps.push(st);
    s = st.state;
  }
  return steps;
}

test('a malformed request: refused, the state hash over freshly read channels, answered, receipt not stored, counted', () => {
  const s0 = initialMgmtState({ trustedIssuers: new Set(), policy: DEFAULT_POLICY });
  const [a, b, c, d] = drive(s0, [request, { kind: 'channels_read', channels: new Map() }, { kind: 'signed', zbase: 'receipt-sig' }, { kind: 'signed', zbase: null }]);
  expect(a!.reject?.rule).toBe('malformed_message');
  expect(a!.effects.map((e) => e.kind)).toEqual(['read_channels']);
  expect(b!.effects.map((e) => e.kind)).toEqual(['sign']);
  expect(c!.effects.map((e) => e.kind)).toEqual(['persist', 'sign']);
  const persist = c!.effects[0]!;
  expect(persist.kind === 'persist' && persist.writes.receipt).toBeUndefined();
  expect(c!.state.refused_unauthenticated.get('malformed_message')).toBe(1);
  expect(d!.effects).toEqual([{ kind: 'respond', peer_id: PEER, response: null }]);
  expect(d!.state.flight).toBeNull();
});

test('a second request while one is in flight, or a result with none in flight, throws and changes nothing; abandon frees the node', () => {
  const s0 = initialMgmtState({ trustedIssuers: new Set(), policy: DEFAULT_POLICY });
  expect(() => mgmtStep(s0, { kind: 'signed', zbase: null }, NOW)).toThrow('no request in flight');
  const s1 = mgmtStep(s0, request, NOW).state;
  expect(() => mgmtStep(s1, request, NOW)).toThrow('already in flight');
  expect(s1.flight?.peer_id).toBe(PEER);
  const s2 = mgmtStep(s1, { kind: 'abandon' }, NOW).state;
  expect(s2.flight).toBeNull();
  expect(mgmtStep(s2, request, NOW).effects.map((e) => e.kind)).toEqual(['read_channels']);
});
