/**
 * A simulated node's on-chain wallet (stands for lightningd's `hsmd`/`wallet` UTXO set, CLN v26.06
 * `listfunds` outputs): confirmed outputs the node can fund channels from. A `fundchannel` reserves
 * every confirmed output while the peer decides (as CLN's `fundpsbt` reserves the UTXOs it picks),
 * then either spends them — the change comes back as an output of the funding transaction, confirmed
 * with it — or releases them when the open fails. One address per wallet; deposits have made-up
 * txids (sha256 of a description, unique per wallet), funding transactions have real ones
 * (channel-open.ts `fundingTransaction`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../core/types.ts';

/** One UTXO as `listfunds` shows it. */
export interface SimOutput {
  readonly txid: string;
  readonly output: number;
  readonly amount_msat: number;
  status: 'unconfirmed' | 'confirmed' | 'spent';
  /** True while a `fundchannel` in progress holds it. */
  reserved: boolean;
  /** Block the output confirmed in (absent while unconfirmed). */
  blockheight?: number;
}

/** Outputs a `fundchannel` holds: what they add up to and the change left after amount + fee (sat). */
export interface SimReservation {
  readonly inputs: readonly SimOutput[];
  readonly change_sat: number;
}

/** The wallet of one simulated node. */
export class SimWallet {
  readonly outputs: SimOutput[] = [];
  /** The wallet's one P2WPKH output script (hex): deposits and change pay to it. */
  readonly scriptpubkey: string;
  private seq = 0;

  constructor(private readonly owner: string) {
    this.scriptpubkey = `0014${toHex(sha256(utf8(`simnet-wallet:${owner}`))).slice(0, 40)}`;
  }

  /** Receive `amount_sat` on chain, confirmed at `blockheight` (a test's faucet). */
  deposit(amount_sat: number, blockheight: number): SimOutput {
    const txid = toHex(sha256(utf8(`simnet-tx:${this.owner}:deposit:${this.seq++}`)));
    const out: SimOutput = { txid, output: 0, amount_msat: amount_sat * 1000, status: 'confirmed', reserved: false, blockheight };
    this.outputs.push(out);
    return out;
  }

  /** Confirmed, unreserved outputs. */
  private spendable(): SimOutput[] {
    return this.outputs.filter((o) => o.status === 'confirmed' && !o.reserved);
  }

  /** Confirmed, unreserved satoshis. */
  spendableSat(): number {
    return this.spendable().reduce((s, o) => s + o.amount_msat / 1000, 0);
  }

  /** Number of confirmed, unreserved outputs. */
  spendableCount(): number {
    return this.spendable().length;
  }

  /**
   * Reserve every confirmed output for a transaction paying `amount_sat` + `fee_sat`.
   * @returns the reservation, or null (nothing reserved) when the funds do not cover it.
   */
  reserve(amount_sat: number, fee_sat: number): SimReservation | null {
    const inputs = this.spendable();
    const total = inputs.reduce((s, o) => s + o.amount_msat / 1000, 0);
    if (total < amount_sat + fee_sat) return null;
    for (const o of inputs) o.reserved = true;
    return { inputs, change_sat: total - amount_sat - fee_sat };
  }

  /** Give reserved outputs back (the open failed). */
  release(r: SimReservation): void {
    for (const o of r.inputs) o.reserved = false;
  }

  /** Spend reserved outputs in transaction `txid`; its change (output 1) waits unconfirmed until it confirms. */
  spend(r: SimReservation, txid: string): void {
    for (const o of r.inputs) {
      o.reserved = false;
      o.status = 'spent';
    }
    if (r.change_sat > 0) this.outputs.push({ txid, output: 1, amount_msat: r.change_sat * 1000, status: 'unconfirmed', reserved: false });
  }

  /** Receive output `output` of our own transaction `txid` (a splice-out), unconfirmed until it confirms. */
  receive(txid: string, output: number, amount_sat: number): void {
    this.outputs.push({ txid, output, amount_msat: amount_sat * 1000, status: 'unconfirmed', reserved: false });
  }

  /** The funding transaction `txid` confirmed at `blockheight`: its change output confirms too. */
  confirm(txid: string, blockheight: number): void {
    for (const o of this.outputs) {
      if (o.txid === txid && o.status === 'unconfirmed') {
        o.status = 'confirmed';
        o.blockheight = blockheight;
      }
    }
  }
}
