/**
 * Test fleet for the swarm suites: deterministic secp256k1 node keys, 32-byte swarm keys, and
 * binding statements signed exactly as lightningd's `signmessage` would (lnsign.ts).
 */
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { bindingSignedText, type BindingFields, type BindingStatement, type SwarmKey } from '../../runtime/core/swarm/binding.ts';
import { toHex, type NodeId } from '../../runtime/core/types.ts';

/** Hive id the tests use. */
export const HIVE_ID = 'hive_0123456789abcdef';
/** A fixed unix time (seconds) the tests run at. */
export const NOW_S = 1_760_000_000;
/** `NOW_S` in milliseconds. */
export const NOW_MS = NOW_S * 1000;

/** One test member: node key, node id and a swarm key. */
export interface TestMember {
  readonly sk: Uint8Array;
  readonly node_id: NodeId;
  readonly swarm_key: SwarmKey;
}

/** Member number `n` (1..200): secret key bytes all `n`, swarm key bytes all `n + 100`. */
export function member(n: number): TestMember {
  const sk = new Uint8Array(32).fill(n);
  return { sk, node_id: toHex(nobleScheme.publicKey(sk)) as NodeId, swarm_key: swarmKey(n + 100) };
}

/** A 64-hex swarm key whose bytes are all `b`. */
export function swarmKey(b: number): SwarmKey {
  return toHex(new Uint8Array(32).fill(b)) as SwarmKey;
}

/** A binding statement by `m` (defaults: this hive, m's swarm key, issued NOW_S, valid 7 days), signed with `signer` (default m). */
export function statement(m: TestMember, over: Partial<BindingFields> = {}, signer: Uint8Array = m.sk): BindingStatement {
  const fields: BindingFields = {
    hive_id: HIVE_ID,
    node_id: m.node_id,
    swarm_key: m.swarm_key,
    issued_at: NOW_S,
    expires_at: NOW_S + 7 * 86_400,
    ...over,
  };
  return { ...fields, signature: signMessage(bindingSignedText(fields), signer) };
}
