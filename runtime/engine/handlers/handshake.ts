/**
 * HELLO, CHALLENGE, ATTEST and WELCOME go to the handshake machines (runtime/core/machines,
 * spec 001 §2.2); the engine's driver commits and carries out what they return.
 */
import type { NodeId } from '../../core/types.ts';
import type { HiveMessage } from '../../core/wire/decode.ts';
import type { EngineCore } from '../engine-core.ts';

/** Route a handshake message to `handshakeStep`. */
export async function handleHandshakeMessage(core: EngineCore, peer_id: NodeId, message: HiveMessage): Promise<void> {
  await core.handshake({ kind: 'message', peer_id, message });
}
