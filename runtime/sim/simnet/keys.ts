/**
 * Node keys of simulated nodes. Each simulated lightningd owns a fresh secp256k1 key derived
 * deterministically from a seed (sha256("hivebox-simnet:" ‖ seed)), so node ids are stable across
 * runs. simnet never claims a real mainnet node id: it cannot sign as a real node, so fleet nodes
 * are new keys attached to the real graph by simulated channels (README.md "Identities").
 */
import * as secp from '@noble/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../core/types.ts';

/** A simulated node's key pair. */
export interface SimNodeKey {
  /** 32-byte secret key (hsm_secret stand-in). */
  readonly secretKey: Uint8Array;
  /** 66-hex compressed public key = node id. */
  readonly nodeId: string;
}

/** Derive the key of the node with this seed. */
export function nodeKeyFromSeed(seed: string): SimNodeKey {
  const secretKey = sha256(utf8(`hivebox-simnet:${seed}`));
  return { secretKey, nodeId: toHex(secp.getPublicKey(secretKey, true)) };
}
