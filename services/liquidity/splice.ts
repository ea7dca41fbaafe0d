/**
 * Our side of a splice reallocation (spec 000 §3.4) through lightningd's splice commands (CLN
 * doc/schemas/splice_init.json, splice_update.json, splice_signed.json): the loser member splices
 * `amount_sat` out of its channel into its wallet (`addpsbtoutput` → `splice_init` with a negative
 * `relative_amount` → `splice_update` until `commitments_secured` → `splice_signed`); the winner
 * splices the same amount in from its wallet (`fundpsbt` → `splice_init` → `splice_update` … →
 * `signpsbt` → `splice_signed`). Only where both peers of the channel negotiated splicing
 * (BOLT 9 `option_splice` 62/63, or CLN's experimental 162/163, in our and the peer's init
 * features); otherwise, and for channels of other members, it says why not.
 */
import type { SpliceProposal } from '../../runtime/core/planner/actions.ts';
import type { ClnBackend, NodeResult } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { negotiatedFeatures } from '../../runtime/core/ticket/features.ts';

/** `splice_update` rounds before giving up on `commitments_secured`. */
export const SPLICE_UPDATE_ROUNDS = 10;

/** What our part of a splice did. */
export interface SpliceDone {
  readonly direction: 'out' | 'in';
  readonly scid: string;
  readonly amount_sat: number;
  readonly txid: string;
}

/** Carry out our side of `p` on the node whose id is `us`. @returns what was spliced, or why not. */
export async function spliceOurSide(backend: ClnBackend, us: string, p: SpliceProposal): Promise<Result<SpliceDone, string>> {
  const direction = p.loser_member === us ? 'out' : p.winner_member === us ? 'in' : null;
  if (!direction) return err(`neither channel is ours: the loser ${p.loser_member.slice(0, 16)}… and the winner ${p.winner_member.slice(0, 16)}… splice on their own nodes`);
  const scid = direction === 'out' ? p.loser_scid : p.winner_scid;
  const channels = await backend.listpeerchannels();
  if (!channels.ok) return err(`listpeerchannels: ${channels.error.message}`);
  const ch = channels.value.find((c) => c.short_channel_id === scid && c.state === 'CHANNELD_NORMAL');
  if (!ch?.channel_id) return err(`${scid} is not a normal channel of this node`);
  const [info, peers] = await Promise.all([backend.getinfo(), backend.listpeers(ch.peer_id)]);
  if (!info.ok) return err(`getinfo: ${info.error.message}`);
  if (!peers.ok) return err(`listpeers: ${peers.error.message}`);
  if (!negotiatedFeatures(info.value.our_features?.init ?? '')?.has('splice')) return err('this lightningd does not offer splicing (option_splice, feature bits 62/63; CLN: experimental-splicing)');
  if (!negotiatedFeatures(peers.value[0]?.features ?? '')?.has('splice')) return err(`peer ${ch.peer_id.slice(0, 16)}… did not negotiate splicing (option_splice, feature bits 62/63)`);
  const channel_id = ch.channel_id;
  const start =
    direction === 'out' ? await backend.call('addpsbtoutput', { satoshi: p.amount_sat }) : await backend.call('fundpsbt', { satoshi: p.amount_sat, feerate: 'normal', startweight: 0, excess_as_change: true });
  const initial = psbtOf(start, direction === 'out' ? 'addpsbtoutput' : 'fundpsbt');
  if (!initial.ok) return initial;
  const init = psbtOf(await backend.call('splice_init', { channel_id, relative_amount: direction === 'out' ? -p.amount_sat : p.amount_sat, initialpsbt: initial.value }), 'splice_init');
  if (!init.ok) return init;
  let psbt = init.value;
  let secured = false;
  for (let round = 0; round < SPLICE_UPDATE_ROUNDS && !secured; round++) {
    const u = await backend.call('splice_update', { channel_id, psbt });
    if (!u.ok) return err(`splice_update: ${u.error.message}`);
    const v = u.value as { psbt?: unknown; commitments_secured?: unknown };
    if (typeof v.psbt !== 'string') return err('splice_update: no psbt in the answer');
    psbt = v.psbt;
    secured = v.commitments_secured === true;
  }
  if (!secured) return err(`splice_update: commitments not secured after ${SPLICE_UPDATE_ROUNDS} rounds`);
  if (direction === 'in') {
    const signed = await backend.call('signpsbt', { psbt });
    if (!signed.ok) return err(`signpsbt: ${signed.error.message}`);
    const s = (signed.value as { signed_psbt?: unknown }).signed_psbt;
    if (typeof s !== 'string') return err('signpsbt: no signed_psbt in the answer');
    psbt = s;
  }
  const done = await backend.call('splice_signed', { channel_id, psbt });
  if (!done.ok) return err(`splice_signed: ${done.error.message}`);
  const txid = (done.value as { txid?: unknown }).txid;
  if (typeof txid !== 'string') return err('splice_signed: no txid in the answer');
  return ok({ direction, scid, amount_sat: p.amount_sat, txid });
}

function psbtOf(r: NodeResult<unknown>, method: string): Result<string, string> {
  if (!r.ok) return err(`${method}: ${r.error.message}`);
  const psbt = (r.value as { psbt?: unknown }).psbt;
  return typeof psbt === 'string' ? ok(psbt) : err(`${method}: no psbt in the answer`);
}
