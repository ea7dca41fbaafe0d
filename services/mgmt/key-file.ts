/**
 * A secp256k1 key held in a file (32-byte secret as hex, mode 0600): the advisor's `did:key`
 * identity, and a software stand-in for the operator's hardware signer where none is attached.
 * It implements the `DigestSigner` port but has no button: every signature is approved implicitly,
 * so it must not hold fleet-admin keys in production.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { didKeyFromPublicKey } from '../../runtime/core/mgmt/index.ts';
import type { DigestSigner, SignerPurpose } from '../../runtime/core/ports.ts';
import { fromHex, toHex, type NodeId } from '../../runtime/core/types.ts';

/** Software key: `did:key`, Lightning-format and digest signatures. */
export class KeyFileSigner implements DigestSigner {
  readonly publicKeyHex: NodeId;
  readonly did: string;

  constructor(readonly secretKey: Uint8Array) {
    if (secretKey.length !== 32) throw new RangeError('secret key must be 32 bytes');
    const pub = nobleScheme.publicKey(secretKey);
    this.publicKeyHex = toHex(pub) as NodeId;
    this.did = didKeyFromPublicKey(pub);
  }

  /**
   * Read a key file.
   * @throws Error when missing, readable by group or others (as ssh refuses private keys), or not
   *   64 hex characters.
   */
  static load(path: string): KeyFileSigner {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new Error(`${path}: mode ${mode.toString(8)} lets others read the key; chmod 600 it`);
    const sk = fromHex(readFileSync(path, 'utf8').trim());
    if (!sk || sk.length !== 32) throw new Error(`${path}: expected 64 hex characters`);
    return new KeyFileSigner(sk);
  }

  /** Create a key file with a fresh random key (refuses to overwrite). */
  static create(path: string): KeyFileSigner {
    if (existsSync(path)) throw new Error(`${path} exists; refusing to overwrite a key`);
    const sk = crypto.getRandomValues(new Uint8Array(32));
    writeFileSync(path, `${toHex(sk)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return new KeyFileSigner(sk);
  }

  /** The same key for every purpose. */
  async publicKey(_purpose: SignerPurpose) {
    return { ok: true as const, node_id: this.publicKeyHex };
  }

  /** Lightning `signmessage` over `text`. */
  async sign(text: string) {
    return { ok: true as const, value: { zbase: signMessage(text, this.secretKey), node_id: this.publicKeyHex } };
  }

  /** Compact ECDSA over a 32-byte digest. */
  async signDigest(digest: Uint8Array) {
    return { ok: true as const, value: { signature: this.signDigestSync(digest), node_id: this.publicKeyHex } };
  }

  /** Synchronous digest signature (for the advisor's per-command signatures). */
  signDigestSync(digest: Uint8Array): Uint8Array {
    return nobleScheme.signRecoverable(digest, this.secretKey).slice(1);
  }
}
