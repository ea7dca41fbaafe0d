/**
 * What the appliance publishes (runtime/daemon/appliance-status.ts): the MQTT state built from
 * `hive-status` and the health machine passes the publisher's own schema; STATUS= lines read as
 * sentences; engine events map to the MQTT event kinds of issue 6 §4 and nothing else does.
 */
import { describe, expect, test } from 'bun:test';
import { initialHealth, stepHealth, type HealthState } from '../../runtime/core/health/health-machine.ts';
import { mqttEventOf, statusSnapshot, statusText } from '../../runtime/daemon/appliance-status.ts';
import type { EngineEvent } from '../../runtime/node/events.ts';
import type { TopTarget } from '../../runtime/node/planner/planner-status.ts';
import type { StatusResult } from '../../runtime/node/hive/rpc/status.ts';
import { StatusSnapshotSchema } from '../../services/mqtt/snapshot.ts';

const ME = `03${'86'.repeat(32)}`;
const PEER = `02${'ab'.repeat(32)}`;
const SPEC = {
  components: [
    { name: 'store', required_for_ready: true, critical: true },
    { name: 'lightningd', required_for_ready: true, critical: false },
    { name: 'signer', required_for_ready: false, critical: false },
  ],
  startup_timeout_s: 120,
};

function health(signerUp: boolean): HealthState {
  const r = stepHealth(SPEC, initialHealth(SPEC, 1000), { kind: 'observed', observations: [{ component: 'store', up: true }, { component: 'lightningd', up: true }, signerUp ? { component: 'signer', up: true } : { component: 'signer', up: false, reason: 'SignerUnavailable: no device' }] }, 1001);
  if (!r.ok) throw new Error(r.error.kind);
  return r.value.state;
}

const STATUS: StatusResult = {
  node_id: ME,
  version: 'hivebox v0.1.0',
  hive_id: 'hive_1a2b3c4d',
  tier: 'member',
  member_count: 3,
  membership_hash: 'cd'.repeat(32),
  fleet_hash: 'ef'.repeat(32),
  fleet_states: 3,
  pending_gossip: 0,
  joins: [],
  open_challenges: 0,
  pending_actions: 2,
  planner: { governance_mode: 'advisor', expansions_enabled: false, next_run_at: 2300, last_cycle: null, pending_actions: 2, guarded_targets: 0, mass_saturation_events: 0,
    unsafe_floors: [], top_targets: [] },
  ignored_peers: [],
  unhandled_types: {},
  pending_approval: { purpose: 'invite', title: 'invite', prompt: 'Press the button', started_ms: 0, seconds_left: 30 },
};

describe('state snapshot', () => {
  test("built from hive-status and health, valid for the publisher; the planner's targets sorted and capped at 5", () => {
    const top_targets: TopTarget[] = Array.from({ length: 7 }, (_, i) => ({ node_id: `02${String(i).repeat(64)}`, alias: `t${i}`, hive_share: i / 10, public_capacity_sat: 100_000_000 }));
    const s = statusSnapshot({ status: { ...STATUS, planner: { ...STATUS.planner, top_targets } }, health: health(false), now: 2000, last_gossip_at: 1958 });
    expect(StatusSnapshotSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({ health: 'degraded', health_reasons: ['signer: SignerUnavailable: no device'], node_id: ME, hive_id: 'hive_1a2b3c4d', tier: 'member', members_count: 3, fleet_hash: 'ef'.repeat(32), pending_approvals: 3, signer_connected: false, lightningd_up: true, last_gossip_age_s: 42 });
    expect(s.top_hive_share_targets.map((t) => t.hive_share)).toEqual([0.6, 0.5, 0.4, 0.3, 0.2]);
    expect(s.top_hive_share_targets[0]).toEqual({ node_id: `02${'6'.repeat(64)}`, alias: 't6', hive_share: 0.6, public_capacity_sat: 100_000_000 });
  });

  test('before any hive and any gossip: nulls, still valid', () => {
    const s = statusSnapshot({ status: { ...STATUS, hive_id: null, tier: null, member_count: 0, fleet_hash: null, membership_hash: null, pending_actions: 0, pending_approval: null }, health: health(true), now: 5, last_gossip_at: null });
    expect(StatusSnapshotSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({ health: 'healthy', hive_id: null, last_gossip_age_s: null, pending_approvals: 0, signer_connected: true, top_hive_share_targets: [], inbound_dropped_total: 0, inbound_dropped: {} });
  });

  test("the daemon's inbound drop counters reach the MQTT state", () => {
    const inbound = { queued: 0, queue_max: 2000, admitted: 10, dropped_total: 7, dropped: { peer_msgs_budget: 5, queue_full: 2 }, top_droppers: [] };
    const s = statusSnapshot({ status: { ...STATUS, inbound }, health: health(true), now: 5, last_gossip_at: null });
    expect(StatusSnapshotSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({ inbound_dropped_total: 7, inbound_dropped: { peer_msgs_budget: 5, queue_full: 2 } });
  });
});

test('STATUS= lines', () => {
  expect(statusText(health(true), STATUS)).toBe('healthy — hive hive_1a2b3c4d (member, 3 members)');
  expect(statusText(health(false), { ...STATUS, hive_id: null })).toBe('degraded: signer (SignerUnavailable: no device) — no hive yet');
  expect(statusText(health(true), null)).toBe('healthy');
});

describe('engine events → MQTT events', () => {
  const cases: [EngineEvent, string | null][] = [
    [{ kind: 'member_admitted', peer_id: PEER, via: 'ticket' }, 'member_joined'],
    [{ kind: 'joined', hive_id: 'hive_1', member_id: PEER }, 'member_joined'],
    [{ kind: 'fleet_event', name: 'member_left', fields: { node_id: PEER } }, 'member_left'],
    [{ kind: 'fleet_event', name: 'left_hive', fields: {} }, 'member_left'],
    [{ kind: 'approval', state: 'done', purpose: 'invite', prompt: 'p', outcome: 'approved' }, 'invite_approved'],
    [{ kind: 'approval', state: 'done', purpose: 'invite', prompt: 'p', outcome: 'ApprovalRejected' }, 'invite_rejected'],
    [{ kind: 'approval', state: 'done', purpose: 'revoke', prompt: 'p', outcome: 'approved' }, null],
    [{ kind: 'approval', state: 'waiting', purpose: 'invite', prompt: 'p', seconds_left: 10 }, null],
    [{ kind: 'fleet_event', name: 'peer_banned', fields: { node_id: PEER, reason: 'jamming' } }, 'ban'],
    [{ kind: 'fleet_event', name: 'member_banned', fields: { node_id: PEER } }, 'ban'],
    [{ kind: 'fleet_event', name: 'member_revoked', fields: { node_id: PEER } }, 'revocation'],
    [{ kind: 'fleet_event', name: 'revoked_self', fields: {} }, 'revocation'],
    [{ kind: 'fleet_event', name: 'intent_committed', fields: { intent_id: 'i1' } }, 'intent_won'],
    [{ kind: 'fleet_event', name: 'intent_aborted', fields: { intent_id: 'i1', reason: 'lost tie-break' } }, 'intent_lost'],
    [{ kind: 'fleet_event', name: 'action_pending', fields: {} }, null],
    [{ kind: 'received', peer_id: PEER, type: 'GOSSIP', framing: 'spec' }, null],
    [{ kind: 'dropped', peer_id: PEER, reason: 'bad_signature' }, null],
  ];
  for (const [e, kind] of cases) {
    test(`${e.kind}${'name' in e ? ` ${e.name}` : ''}${'outcome' in e ? ` ${e.outcome}` : ''} → ${kind ?? 'none'}`, () => {
      expect(mqttEventOf(e)?.kind ?? null).toBe(kind as never);
    });
  }

  test('the payload keeps the event name and its fields', () => {
    expect(mqttEventOf({ kind: 'fleet_event', name: 'peer_banned', fields: { node_id: PEER, reason: 'jamming' } })).toEqual({ kind: 'ban', payload: { event: 'peer_banned', node_id: PEER, reason: 'jamming' } });
  });
});
