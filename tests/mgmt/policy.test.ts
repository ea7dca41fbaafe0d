/**
 * The local policy engine and the multi-advisor conflict rule as pure functions (spec 002 "Local
 * Policy"; open question 1, decided in runtime/core/mgmt/conflict.ts).
 */
import { describe, expect, test } from 'bun:test';
import { blockingChange, type RecentChange } from '../../runtime/core/mgmt/conflict.ts';
import { checkLocalPolicy, DEFAULT_POLICY, localPolicySchema, type PolicyCommand } from '../../runtime/core/mgmt/policy.ts';
import type { ChannelView } from '../../runtime/core/mgmt/schemas/action.ts';

const day = 1_790_035_200;
const channels = new Map<string, ChannelView>([['1x1x1', { scid: '1x1x1', peer_id: '02', fee_ppm: 100, base_fee_msat: 0, to_us_msat: 0, total_msat: 0, state: 'CHANNELD_NORMAL' }]]);
const fee = (ppm: number, agent = 'did:a', tier: 'standard' | 'advanced' = 'standard', issued = 10): PolicyCommand => ({
  effect: { kind: 'set_channel_fee', scid: '1x1x1', fee_ppm: ppm, ttl_hours: 24 },
  mutates: true,
  channels: ['1x1x1'],
  targets: ['fee:1x1x1'],
  contender: { agent_did: agent, tier, credential_issued_at: issued },
});
const facts = (now: number, extra: Partial<Parameters<typeof checkLocalPolicy>[2]> = {}) => ({ channels, feeChanges: [], recentChanges: [], now_s: now, ...extra });
const rule = (r: ReturnType<typeof checkLocalPolicy>) => r?.rule ?? 'ok';

describe('local policy', () => {
  test('quiet hours, wrapping midnight; read-only commands pass', () => {
    const p = { ...DEFAULT_POLICY, quiet_hours: { start_hour: 22, end_hour: 6 } };
    expect(rule(checkLocalPolicy(p, fee(110), facts(day + 23 * 3600)))).toBe('quiet_hours');
    expect(rule(checkLocalPolicy(p, fee(110), facts(day + 5 * 3600)))).toBe('quiet_hours');
    expect(rule(checkLocalPolicy(p, fee(110), facts(day + 6 * 3600)))).toBe('ok');
    expect(rule(checkLocalPolicy(p, { ...fee(110), mutates: false }, facts(day + 23 * 3600)))).toBe('ok');
  });

  test('protected channels and locked config', () => {
    expect(rule(checkLocalPolicy({ ...DEFAULT_POLICY, protected_channels: ['1x1x1'] }, fee(110), facts(day)))).toBe('protected_channel');
    const cfg: PolicyCommand = { ...fee(0), effect: { kind: 'set_config', parameter: 'min_fee_ppm', value: 1, ttl_hours: 24 }, channels: [], targets: ['config:min_fee_ppm'] };
    expect(rule(checkLocalPolicy({ ...DEFAULT_POLICY, locked_config: ['min_fee_ppm'] }, cfg, facts(day)))).toBe('config_locked');
  });

  test('the 24 h fee cap is cumulative from the fee before the first change in the window', () => {
    expect(rule(checkLocalPolicy(DEFAULT_POLICY, fee(125), facts(day)))).toBe('ok');
    expect(rule(checkLocalPolicy(DEFAULT_POLICY, fee(126), facts(day)))).toBe('max_fee_change_24h');
    const history = [{ scid: '1x1x1', before_ppm: 80, at: day - 3600 }];
    expect(rule(checkLocalPolicy(DEFAULT_POLICY, fee(110), facts(day, { feeChanges: history })))).toBe('max_fee_change_24h');
    expect(rule(checkLocalPolicy(DEFAULT_POLICY, fee(110), facts(day + 86_400, { feeChanges: history })))).toBe('ok');
  });

  test('the policy file schema accepts the defaults', () => {
    expect(localPolicySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
  });
});

describe('conflict rule: higher tier wins, then the newer credential, inside the isolation window', () => {
  const prior: RecentChange = { target: 'fee:1x1x1', agent_did: 'did:a', tier: 'standard', credential_issued_at: 10, at: day - 600 };
  test('cases', () => {
    const block = (me: PolicyCommand['contender'], now = day) => blockingChange(['fee:1x1x1'], me, [prior], now, 3600);
    expect(block({ agent_did: 'did:a', tier: 'standard', credential_issued_at: 10 })).toBeNull();
    expect(block({ agent_did: 'did:b', tier: 'standard', credential_issued_at: 5 })).toEqual(prior);
    expect(block({ agent_did: 'did:b', tier: 'standard', credential_issued_at: 10 })).toEqual(prior);
    expect(block({ agent_did: 'did:b', tier: 'standard', credential_issued_at: 11 })).toBeNull();
    expect(block({ agent_did: 'did:b', tier: 'advanced', credential_issued_at: 1 })).toBeNull();
    expect(block({ agent_did: 'did:b', tier: 'monitor', credential_issued_at: 99 })).toEqual(prior);
    expect(block({ agent_did: 'did:b', tier: 'standard', credential_issued_at: 5 }, day + 3000)).toBeNull();
    expect(rule(checkLocalPolicy(DEFAULT_POLICY, fee(110, 'did:b', 'standard', 5), facts(day, { recentChanges: [prior] })))).toBe('conflict');
  });
});
