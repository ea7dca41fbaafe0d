/**
 * HIVE_FULL_SYNC as membership announcement (runtime/engine/membership-sync.ts): merge the members
 * a full member announces, and send our own list to members. The fleet layer's state sync
 * (issue 4 §1) takes FULL_SYNC over, states included, by replacing this table entry.
 */
import { lightningSignedText } from '../../core/canonical/signed-text.ts';
import type { NodeId } from '../../core/types.ts';
import type { HiveMessage } from '../../core/wire/decode.ts';
import { fullSyncSigningString } from '../../core/wire/payloads/full-sync.ts';
import type { RawPayload } from '../../core/wire/envelope.ts';
import type { EngineCore } from '../engine-core.ts';
import { membersAnnouncement, mergeAnnouncedMembers } from '../membership-sync.ts';

/** Merge an announced member list from `peer_id` (signature and freshness already checked). */
export async function handleFullSync(core: EngineCore, peer_id: NodeId, message: HiveMessage): Promise<void> {
  if (message.type !== 'FULL_SYNC') return;
  const merged = mergeAnnouncedMembers(core.state().membership, peer_id, message.payload, core.now());
  if (!merged.ok) {
    core.emit({ kind: 'rejected', reason: merged.error, peer_id, type: 'FULL_SYNC' });
    return;
  }
  if (merged.value.length === 0) return;
  const applied = core.applyMembership(merged.value);
  if (!applied.ok) {
    core.log('error', 'store_commit_failed', { peer_id, type: 'FULL_SYNC', ...applied.error });
    return;
  }
  const added = merged.value.flatMap((w) => (w.op === 'put_member' ? [w.member.node_id] : []));
  core.emit({ kind: 'members_learned', from: peer_id, added });
}

/**
 * Send our signed member list to `recipients` (members only; we must be a full member).
 * @returns how many sends lightningd accepted.
 */
export async function announceMembers(core: EngineCore, recipients: readonly string[]): Promise<number> {
  const m = core.state().membership;
  if (m.hive?.our_role !== 'member' || recipients.length === 0) return 0;
  const unsigned = membersAnnouncement(m, core.our_node_id, core.now());
  const signature = await core.nodeSign(lightningSignedText(fullSyncSigningString(unsigned as RawPayload)), 'full_sync');
  if (signature === null) return 0;
  let sent = 0;
  for (const peer of recipients) if (await core.send(peer, 'FULL_SYNC', { ...unsigned, signature })) sent++;
  return sent;
}
