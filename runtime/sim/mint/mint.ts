/**
 * A local Cashu mint for tests and simnet: the mint side of NUT-01 (keys), NUT-02 (keysets),
 * NUT-03 (swap), NUT-07 (check state), NUT-12 (DLEQ on blind signatures) and a NUT-04 bolt11 mint
 * whose quotes are created PAID — the documented test path for funding advisors' wallets, since no
 * Lightning payment backs this mint. Stands for a Nutshell/CDK mint speaking the v1 REST API
 * (cashubtc/nuts); blind signatures and proof checks are @cashu/crypto's primitives, checked
 * against the NUT-00/02/12 vectors in tests/mgmt/cashu-vectors.test.ts.
 *
 * State (spent secrets, signed outputs, quotes) is in memory: this mint exists for one test run.
 */
import { deriveKeysetId, hashToCurve, pointFromHex, serializeMintKeys } from '@cashu/crypto/modules/common';
import { createBlindSignature, createNewMintKeys, verifyProof } from '@cashu/crypto/modules/mint';
import { createDLEQProof } from '@cashu/crypto/modules/mint/NUT12';
import { bytesToHex } from '@noble/hashes/utils.js';

/** A proof as sent by wallets (NUT-00 `Proof`). */
export interface WireProof {
  readonly amount: number;
  readonly id: string;
  readonly secret: string;
  readonly C: string;
}

/** A blinded message (NUT-00 `BlindedMessage`). */
export interface WireBlindedMessage {
  readonly amount: number;
  readonly id: string;
  readonly B_: string;
}

/** A blind signature with its NUT-12 DLEQ proof. */
export interface WireBlindSignature {
  readonly amount: number;
  readonly id: string;
  readonly C_: string;
  readonly dleq: { readonly e: string; readonly s: string };
}

/** A mint error (NUT-00 error response `{detail, code}`; codes from the NUTs' error table). */
export interface MintError {
  readonly code: number;
  readonly detail: string;
}

/** Proof state (NUT-07). */
export type ProofState = 'UNSPENT' | 'PENDING' | 'SPENT';

/** A mint quote (NUT-04 bolt11). */
export interface MintQuote {
  readonly quote: string;
  readonly request: string;
  readonly amount: number;
  readonly unit: string;
  state: 'UNPAID' | 'PAID' | 'ISSUED';
  readonly expiry: number;
}

const MAX_SECRET_LENGTH = 512;
const MAX_IO = 1000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: MintError };
const fail = (code: number, detail: string): { ok: false; error: MintError } => ({ ok: false, error: { code, detail } });

/** The mint's state machine. `seed` makes its keyset deterministic (BIP32 derivation). */
export class LocalMint {
  readonly unit = 'sat';
  readonly keysetId: string;
  readonly publicKeys: Readonly<Record<string, string>>;
  private readonly privateKeys: Readonly<Record<string, Uint8Array>>;
  private readonly spent = new Set<string>();
  private readonly signed = new Set<string>();
  private readonly quotes = new Map<string, MintQuote>();
  private quoteCounter = 0;

  /** @param maxOrder denominations 2^0 … 2^(maxOrder−1) sats. */
  constructor(seed: Uint8Array, maxOrder = 24) {
    const pair = createNewMintKeys(maxOrder as 24, seed);
    this.keysetId = deriveKeysetId(pair.pubKeys);
    this.publicKeys = serializeMintKeys(pair.pubKeys);
    this.privateKeys = pair.privKeys;
  }

  /** NUT-06 `GET /v1/info`. */
  info(): Record<string, unknown> {
    return {
      name: 'hivebox test mint',
      version: 'hivebox-test-mint/1',
      description: 'Local test mint: quotes are created paid (test path).',
      nuts: {
        '4': { methods: [{ method: 'bolt11', unit: this.unit }], disabled: false },
        '5': { methods: [], disabled: true },
        '7': { supported: true },
        '12': { supported: true },
      },
    };
  }

  /** NUT-01 `GET /v1/keys` body. */
  keys(): { keysets: { id: string; unit: string; keys: Readonly<Record<string, string>> }[] } {
    return { keysets: [{ id: this.keysetId, unit: this.unit, keys: this.publicKeys }] };
  }

  /** NUT-02 `GET /v1/keysets` body. */
  keysets(): { keysets: { id: string; unit: string; active: boolean; input_fee_ppk: number }[] } {
    return { keysets: [{ id: this.keysetId, unit: this.unit, active: true, input_fee_ppk: 0 }] };
  }

  /** NUT-07: state of each `Y` (hex hash_to_curve of a secret), in request order. */
  checkState(Ys: readonly string[]): Outcome<{ states: { Y: string; state: ProofState; witness: null }[] }> {
    if (Ys.length > MAX_IO) return fail(11010, 'too many Ys');
    return { ok: true, value: { states: Ys.map((Y) => ({ Y, state: this.spent.has(Y) ? 'SPENT' : 'UNSPENT', witness: null })) } };
  }

  /** NUT-04: create a bolt11 mint quote, already PAID (test path, see file header). */
  createQuote(amount: number): Outcome<MintQuote> {
    if (!Number.isSafeInteger(amount) || amount <= 0) return fail(11000, 'amount must be a positive integer');
    const quote = `q${(++this.quoteCounter).toString(16).padStart(8, '0')}`;
    // The request only carries the amount in its BOLT11 human-readable part (amount × 10 'n' units =
    // amount sats); it is not payable — quotes here are paid by construction (test path).
    const q: MintQuote = { quote, request: `lnbcrt${amount * 10}n1pxtestmintquote`, amount, unit: this.unit, state: 'PAID', expiry: 4_102_444_800 };
    this.quotes.set(quote, q);
    return { ok: true, value: q };
  }

  /** NUT-04 quote status. */
  getQuote(quote: string): Outcome<MintQuote> {
    const q = this.quotes.get(quote);
    return q ? { ok: true, value: q } : fail(20004, 'quote not found');
  }

  /** NUT-04: sign `outputs` against a paid quote (once). */
  mint(quote: string, outputs: readonly WireBlindedMessage[]): Outcome<{ signatures: WireBlindSignature[] }> {
    const q = this.quotes.get(quote);
    if (!q) return fail(20004, 'quote not found');
    if (q.state === 'ISSUED') return fail(20002, 'quote already issued');
    const checked = this.checkOutputs(outputs);
    if (!checked.ok) return checked;
    if (checked.value !== q.amount) return fail(11002, `outputs ${checked.value} ≠ quote ${q.amount}`);
    q.state = 'ISSUED';
    return { ok: true, value: { signatures: this.sign(outputs) } };
  }

  /** NUT-03: spend `inputs`, sign `outputs` of the same total (input fee 0). Atomic. */
  swap(inputs: readonly WireProof[], outputs: readonly WireBlindedMessage[]): Outcome<{ signatures: WireBlindSignature[] }> {
    if (inputs.length === 0 || inputs.length > MAX_IO) return fail(11000, 'bad number of inputs');
    const Ys = new Set<string>();
    let inSum = 0;
    for (const p of inputs) {
      const v = this.verifyInput(p);
      if (!v.ok) return v;
      if (Ys.has(v.value)) return fail(11007, 'duplicate inputs');
      Ys.add(v.value);
      inSum += p.amount;
    }
    const outSum = this.checkOutputs(outputs);
    if (!outSum.ok) return outSum;
    if (outSum.value !== inSum) return fail(11002, `transaction unbalanced: inputs ${inSum}, outputs ${outSum.value}`);
    for (const Y of Ys) this.spent.add(Y);
    return { ok: true, value: { signatures: this.sign(outputs) } };
  }

  private verifyInput(p: WireProof): Outcome<string> {
    if (p.id !== this.keysetId) return fail(12001, `unknown keyset ${p.id}`);
    const k = this.privateKeys[String(p.amount)];
    if (!k) return fail(11000, `no key for amount ${p.amount}`);
    if (typeof p.secret !== 'string' || p.secret.length === 0 || p.secret.length > MAX_SECRET_LENGTH) return fail(11000, 'bad secret');
    const secret = new TextEncoder().encode(p.secret);
    const Y = hashToCurve(secret).toHex(true);
    if (this.spent.has(Y)) return fail(11001, 'Token already spent.');
    let ok = false;
    try {
      ok = verifyProof({ amount: p.amount, id: p.id, secret, C: pointFromHex(p.C) }, k);
    } catch {
      ok = false;
    }
    return ok ? { ok: true, value: Y } : fail(10003, 'Token could not be verified.');
  }

  private checkOutputs(outputs: readonly WireBlindedMessage[]): Outcome<number> {
    if (outputs.length === 0 || outputs.length > MAX_IO) return fail(11000, 'bad number of outputs');
    const seen = new Set<string>();
    let sum = 0;
    for (const o of outputs) {
      if (o.id !== this.keysetId) return fail(12001, `unknown keyset ${o.id}`);
      if (!this.privateKeys[String(o.amount)]) return fail(11000, `no key for amount ${o.amount}`);
      try {
        pointFromHex(o.B_);
      } catch {
        return fail(11000, 'B_ is not a point');
      }
      if (seen.has(o.B_)) return fail(11008, 'duplicate outputs');
      if (this.signed.has(o.B_)) return fail(10002, 'Blinded message of output already signed');
      seen.add(o.B_);
      sum += o.amount;
    }
    return { ok: true, value: sum };
  }

  private sign(outputs: readonly WireBlindedMessage[]): WireBlindSignature[] {
    return outputs.map((o) => {
      const k = this.privateKeys[String(o.amount)]!;
      const B_ = pointFromHex(o.B_);
      const sig = createBlindSignature(B_, k, o.amount, this.keysetId);
      const dleq = createDLEQProof(B_, k);
      this.signed.add(o.B_);
      return { amount: o.amount, id: this.keysetId, C_: sig.C_.toHex(true), dleq: { e: bytesToHex(dleq.e), s: bytesToHex(dleq.s) } };
    });
  }
}
