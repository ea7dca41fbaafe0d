/**
 * A simulated node's on-chain wallet (stands for lightningd's `hsmd`/`wallet` UTXO set, CLN v26.06
 * `listfunds` outputs): confirmed outputs the node can fund channels from, spent whole by a funding
 * transaction with the change coming back as a new output once the funding confirms. No scripts,
 * keys or real transactions: txids are sha256 of a description, unique per wallet.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../runtime/core/types.ts';

/** One UTXO as `listfunds` shows it. */
export interface SimOutput {
  readonly txid: string;
  readonly output: number;
  readonly amount_msat: number;
  status: 'unconfirmed' | 'confirmed' | 'spent';
  readonly reserved: boolean;
  /** Block the output confirmed in (absent while unconfirmed). */
  blockheight?: number;
}

/** The wallet of one simulated node. */
export class SimWallet {
  readonly outputs: SimOutput[] = [];
  private seq = 0;

  constructor(private readonly owner: string) {}

  /** A txid unique to this wallet for `what`. */
  txid(what: string): string {
    return toHex(sha256(utf8(`simnet-tx:${this.owner}:${what}:${this.seq++}`)));
  }

  /** Receive `amount_sat` on chain, confirmed at `blockheight` (a test's faucet). */
  deposit(amount_sat: number, blockheight: number): SimOutput {
    const out: SimOutput = { txid: this.txid('deposit'), output: 0, amount_msat: amount_sat * 1000, status: 'confirmed', reserved: false, blockheight };
    this.outputs.push(out);
    return out;
  }

  /** Confirmed, unreserved satoshis. */
  spendableSat(): number {
    return this.outputs.filter((o) => o.status === 'confirmed' && !o.reserved).reduce((s, o) => s + o.amount_msat / 1000, 0);
  }

  /** Number of confirmed, unreserved outputs. */
  spendableCount(): number {
    return this.outputs.filter((o) => o.status === 'confirmed' && !o.reserved).length;
  }

  /**
   * Spend every confirmed output into a transaction paying `amount_sat` + `fee_sat`; the change
   * comes back as an unconfirmed output of that transaction (confirmed with it).
   * @returns the transaction's id and change output, or null when the funds do not cover it.
   */
  spend(amount_sat: number, fee_sat: number): { txid: string; change: SimOutput | null } | null {
    const inputs = this.outputs.filter((o) => o.status === 'confirmed' && !o.reserved);
    const total = inputs.reduce((s, o) => s + o.amount_msat / 1000, 0);
    if (total < amount_sat + fee_sat) return null;
    for (const o of inputs) o.status = 'spent';
    const txid = this.txid('funding');
    const changeSat = total - amount_sat - fee_sat;
    const change: SimOutput | null = changeSat > 0 ? { txid, output: 1, amount_msat: changeSat * 1000, status: 'unconfirmed', reserved: false } : null;
    if (change) this.outputs.push(change);
    return { txid, change };
  }
}
