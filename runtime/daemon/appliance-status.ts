/**
 * What the appliance tells the outside world, built from what the engine and the supervisor know
 * (pure; no I/O): the retained MQTT `state` snapshot (services/mqtt/snapshot.ts), the one-line
 * sd_notify STATUS= text, and the MQTT `event/<kind>` message (if any) for an engine event.
 *
 * Field sources: `hive-status` (hive id, tier, members, fleet hash, pending actions, the approval
 * waiting on the signer button, and the planner's top hive_share targets from its last cycle), the
 * health machine (health, reasons, lightningd and signer components) and the last received GOSSIP (age).
 */
import type { HealthState } from '../core/health/health-machine.ts';
import { describeHealth } from '../core/health/health-machine.ts';
import type { EngineEvent } from '../node/events.ts';
import type { StatusResult } from '../node/hive/rpc/status.ts';
import type { EventKind, StatusSnapshot } from '../../services/mqtt/snapshot.ts';

/** Most targets in the snapshot (services/mqtt/snapshot.ts caps the array at 5). */
const MAX_TARGETS = 5;
/** Most reason lines in the snapshot (the schema allows 16, each ≤ 200 chars). */
const MAX_REASONS = 16;

/** Everything the snapshot is built from. `now` and `last_gossip_at` are unix seconds. */
export interface SnapshotInputs {
  readonly status: StatusResult;
  readonly health: HealthState;
  readonly now: number;
  readonly last_gossip_at: number | null;
}

/** A component is up when its last observation was up (unknown components count as down). */
function componentUp(h: HealthState, name: string): boolean {
  return h.components[name]?.up === true;
}

/**
 * The retained `state`. `pending_approvals` counts what waits for the operator: actions in
 * advisor mode (`hivebox actions`) plus the approval waiting on the signer's button.
 */
export function statusSnapshot(i: SnapshotInputs): StatusSnapshot {
  const s = i.status;
  return {
    health: i.health.status,
    health_reasons: i.health.reasons.slice(0, MAX_REASONS).map((r) => `${r.component}: ${r.reason}`.slice(0, 200)),
    node_id: s.node_id,
    hive_id: s.hive_id,
    tier: s.tier,
    members_count: s.member_count,
    fleet_hash: s.fleet_hash,
    pending_approvals: s.pending_actions + (s.pending_approval ? 1 : 0),
    signer_connected: componentUp(i.health, 'signer'),
    lightningd_up: componentUp(i.health, 'lightningd'),
    last_gossip_age_s: i.last_gossip_at === null ? null : Math.max(0, i.now - i.last_gossip_at),
    top_hive_share_targets: [...s.planner.top_targets].sort((a, b) => b.hive_share - a.hive_share).slice(0, MAX_TARGETS),
    inbound_dropped_total: s.inbound?.dropped_total ?? 0,
    inbound_dropped: { ...(s.inbound?.dropped ?? {}) },
  };
}

/** sd_notify STATUS= text: `healthy — hive 5f3a… (member, 3 members)` or `degraded: signer (…) — no hive yet`. */
export function statusText(health: HealthState, status: StatusResult | null): string {
  const h = describeHealth(health.status, health.reasons);
  if (!status) return h;
  if (status.hive_id === null) return `${h} — no hive yet`;
  return `${h} — hive ${status.hive_id} (${status.tier}, ${status.member_count} member${status.member_count === 1 ? '' : 's'})`;
}

/** One MQTT event: its kind and JSON body fields (`kind` and `timestamp` are added by the publisher). */
export interface MqttEvent {
  readonly kind: EventKind;
  readonly payload: Record<string, unknown>;
}

/** Fleet event names (runtime/core/fleet/types.ts `FleetEventName`) that become MQTT events. */
const FLEET_EVENTS: Readonly<Record<string, EventKind>> = {
  member_left: 'member_left',
  left_hive: 'member_left',
  member_banned: 'ban',
  peer_banned: 'ban',
  member_revoked: 'revocation',
  revoked_self: 'revocation',
  intent_committed: 'intent_won',
  intent_aborted: 'intent_lost',
  channel_alert: 'channel_alert',
  channel_alert_cleared: 'channel_alert_cleared',
};

/**
 * The MQTT event for an engine event, or null when it is not one operators subscribe to:
 * member_joined (we admitted a neophyte, or we joined), member_left, invite_approved /
 * invite_rejected (the signer button on an invite), ban (member or external peer), revocation,
 * intent_won (our intent committed) / intent_lost (aborted: a lower initiator won, or it expired),
 * channel_alert / channel_alert_cleared (a liquidity alert raised or cleared, with hysteresis).
 */
export function mqttEventOf(e: EngineEvent): MqttEvent | null {
  switch (e.kind) {
    case 'member_admitted':
      return { kind: 'member_joined', payload: { node_id: e.peer_id, via: e.via } };
    case 'joined':
      return { kind: 'member_joined', payload: { hive_id: e.hive_id, via_member: e.member_id, self: true } };
    case 'approval':
      if (e.state !== 'done' || e.purpose !== 'invite') return null;
      return e.outcome === 'approved' ? { kind: 'invite_approved', payload: {} } : { kind: 'invite_rejected', payload: { outcome: e.outcome ?? 'unknown' } };
    case 'fleet_event': {
      const kind = FLEET_EVENTS[e.name];
      return kind ? { kind, payload: { event: e.name, ...e.fields } } : null;
    }
    default:
      return null;
  }
}

/** True for engine events after which the published state may have changed (membership, bans, intents, approvals). */
export function changesState(e: EngineEvent): boolean {
  return e.kind === 'member_admitted' || e.kind === 'joined' || e.kind === 'fleet_event' || e.kind === 'approval';
}
