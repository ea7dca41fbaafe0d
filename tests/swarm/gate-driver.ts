/**
 * Drives the swarm gate in tests: a gate for member A of a fleet, plus helpers that feed one
 * input and keep the resulting state, so each test reads as the sequence of events it checks.
 */
import { encodeBindingFrame } from '../../runtime/core/swarm/frame.ts';
import { initialGate, stepGate, type SwarmGateInput, type SwarmGateState, type SwarmGateStep } from '../../runtime/core/swarm/gate.ts';
import { SWARM_LIMITS, type SwarmLimits } from '../../runtime/core/swarm/limits.ts';
import type { BindingStatement, SwarmKey } from '../../runtime/core/swarm/binding.ts';
import { utf8 } from '../../runtime/core/types.ts';
import { HIVE_ID, member, NOW_MS, statement, type TestMember } from './fleet-keys.ts';

/** Us. */
export const A = member(1);
/** Fellow members. */
export const B = member(2);
export const C = member(3);
/** A node that is not in the fleet. */
export const X = member(4);
/** A banned node. */
export const R = member(5);

/** A Hive frame payload (magic + JSON envelope) of `n` bytes in total. */
export function hiveFrame(n = 64): Uint8Array {
  const head = utf8('HIVE{"type":32769,"version":1,"payload":{"pad":"');
  const tail = utf8('"}}');
  const out = new Uint8Array(Math.max(n, head.length + tail.length)).fill(0x61);
  out.set(head, 0);
  out.set(tail, out.length - tail.length);
  return out;
}

/** Binding frame of member `m`'s statement (or the given statement). */
export function bindingFrameOf(m: TestMember | BindingStatement): Uint8Array {
  return encodeBindingFrame('signature' in m ? m : statement(m));
}

/** Holds the current gate state and the last step's output. */
export class GateDriver {
  state: SwarmGateState;
  last: SwarmGateStep | null = null;
  now_ms = NOW_MS;

  constructor(opts: { autoconnect?: boolean; limits?: Partial<SwarmLimits>; members?: TestMember[]; banned?: TestMember[] } = {}) {
    this.state = initialGate({
      hive_id: HIVE_ID,
      self_node_id: A.node_id,
      autoconnect_lightning: opts.autoconnect ?? false,
      lightning_port: 9735,
      limits: { ...SWARM_LIMITS, ...opts.limits },
    });
    const members = opts.members ?? [A, B, C];
    this.step({ kind: 'membership', members: members.map((m) => m.node_id), banned: (opts.banned ?? [R]).map((m) => m.node_id) });
    this.step({ kind: 'local_binding', statement: statement(A) });
  }

  /** Feed one input at the driver's clock. */
  step(input: SwarmGateInput): SwarmGateStep {
    this.last = stepGate(this.state, input, this.now_ms);
    this.state = this.last.state;
    return this.last;
  }

  /** peer_up from `key` at 127.0.0.1. */
  up(key: SwarmKey, port = 40000): SwarmGateStep {
    return this.step({ kind: 'peer_up', swarm_key: key, host: '127.0.0.1', port });
  }

  /** A frame from `key`. */
  frame(key: SwarmKey, bytes: Uint8Array): SwarmGateStep {
    return this.step({ kind: 'frame', swarm_key: key, bytes });
  }

  /** Connect member `m` and present its own binding. */
  bind(m: TestMember): SwarmGateStep {
    this.up(m.swarm_key);
    return this.frame(m.swarm_key, bindingFrameOf(m));
  }
}
