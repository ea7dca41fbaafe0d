/**
 * Types for the `macaroon` npm package 3.0.4 (go-macaroon/js-macaroon; v2 binary format), the
 * subset Hivebox uses. The package ships no TypeScript declarations.
 */
declare module 'macaroon' {
  export interface Caveat {
    readonly identifier: Uint8Array;
    readonly location?: string;
    readonly vid?: Uint8Array;
  }
  export interface Macaroon {
    readonly caveats: readonly Caveat[];
    readonly identifier: Uint8Array;
    readonly location: string;
    readonly signature: Uint8Array;
    addFirstPartyCaveat(caveat: string | Uint8Array): void;
    /** @throws Error on a signature mismatch or when `check` returns a message. */
    verify(rootKey: Uint8Array, check: (caveat: string) => string | null, discharges?: readonly Macaroon[]): void;
  }
  export function newMacaroon(opts: { rootKey: Uint8Array; identifier: Uint8Array | string; location?: string; version?: 1 | 2 }): Macaroon;
  /** @throws TypeError on malformed input. */
  export function importMacaroon(obj: string | Uint8Array): Macaroon;
  export function bytesToBase64(bytes: Uint8Array): string;
  export function base64ToBytes(s: string): Uint8Array;
}
