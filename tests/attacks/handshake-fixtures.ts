/**
 * Helpers for the handshake attack suites: open a challenge at a member by hand, craft ATTEST
 * payloads an attacker could send, and assert that a refused input left the store and the
 * membership state exactly as they were (issue 2: "each asserts the named reject AND store unchanged").
 */
import { expect } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import type { RejectReason } from '../../runtime/core/machines/handshake-types.ts';
import type { OpenChallenge } from '../../runtime/core/machines/membership.ts';
import { manifestSigningString } from '../../runtime/core/wire/payloads/attest.ts';
import { challengeSigningString } from '../../runtime/core/wire/payloads/challenge.ts';
import type { Framing } from '../../runtime/core/wire/framing.ts';
import { Fleet, type SimNode } from '../handshake/pair.ts';

/** HELLO bytes as `from` sends them (with `ticket` when given). */
export function helloBytes(from: SimNode, framing: Framing, ticket?: string): Uint8Array {
  return Fleet.encode('HELLO', { pubkey: from.node_id, protocol_version: 1, supported_versions: [1, 2], ...(ticket ? { ticket } : {}) }, framing);
}

/** Deliver a HELLO from `from` to `member` and return the challenge the member opened. */
export function openChallenge(fleet: Fleet, member: SimNode, from: SimNode, framing: Framing, ticket?: string): OpenChallenge {
  fleet.deliverBytes(from, member, helloBytes(from, framing, ticket));
  const c = member.store.challenges().find((x) => x.peer_id === from.node_id);
  if (!c) throw new Error(`no challenge opened: ${JSON.stringify(member.rejects)}`);
  return c;
}

/** What an attacker controls in an ATTEST. */
export interface AttestParts {
  signer: SimNode;
  nonce: string;
  hive_id: string;
  member_node_id: string;
  framing: Framing;
  features?: string[];
  timestamp?: number;
  version?: string;
  /** Sign the nonce string for this binding instead (e.g. another hive's). */
  signedBinding?: { hive_id: string; member_node_id: string; nonce: string };
}

/** A correctly signed ATTEST payload for `parts` (signatures by `parts.signer`). */
export function attestPayload(parts: AttestParts, now: number): Record<string, unknown> {
  const manifest = {
    pubkey: parts.signer.node_id,
    version: parts.version ?? 'hivebox v0.1.0',
    features: parts.features ?? [],
    timestamp: parts.timestamp ?? now,
    nonce: parts.nonce,
  };
  const binding = parts.signedBinding ?? { hive_id: parts.hive_id, member_node_id: parts.member_node_id, nonce: parts.nonce };
  return {
    ...manifest,
    manifest,
    nonce_signature: signMessage(lightningSignedText(challengeSigningString(parts.framing, binding)), parts.signer.sk),
    manifest_signature: signMessage(lightningSignedText(manifestSigningString(manifest)), parts.signer.sk),
    ...(parts.framing === 'spec' ? { hive_id: parts.hive_id, member_node_id: parts.member_node_id } : {}),
  };
}

/**
 * Run `attack` and assert: `node` refused it with `reason` as its latest reject, its store dump
 * and its in-memory membership state are unchanged, and no persist effect was produced.
 */
export function expectRefusedUnchanged(node: SimNode, reason: RejectReason, attack: () => void): void {
  const dump = node.store.dump();
  const membership = node.state.membership;
  const rejectsBefore = node.rejects.length;
  const effectsBefore = node.effects.length;
  attack();
  expect(node.rejects.slice(rejectsBefore).map((r) => r.reason)).toContain(reason);
  expect(node.store.dump()).toEqual(dump);
  expect(node.state.membership).toBe(membership);
  expect(node.effects.slice(effectsBefore).filter((e) => e.kind === 'persist')).toEqual([]);
}
