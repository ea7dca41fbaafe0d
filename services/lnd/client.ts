/**
 * gRPC to LND through the `lightning` package (`authenticatedLndGrpc`: LND's .proto files,
 * @grpc/grpc-js, TLS with lnd's certificate, the macaroon sent as hex in `macaroon` metadata on
 * every call). Unary calls become `NodeResult`s: a gRPC error is a `NodeRpcError` with the gRPC
 * status code and LND's text, never a throw.
 */
import { readFileSync } from 'node:fs';
import { authenticatedLndGrpc } from 'lightning/lnd_grpc/index.js';
import type { NodeResult } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { LndSettings } from './config.ts';
import { lndProtoDir } from './protos.ts';

/** Why the LND connection could not be set up from `[lnd]`. */
export type LndConfigError =
  | { readonly kind: 'tls_cert_unreadable'; readonly path: string; readonly message: string }
  | { readonly kind: 'tls_cert_invalid'; readonly path: string; readonly message: string }
  | { readonly kind: 'macaroon_unreadable'; readonly path: string; readonly message: string }
  | { readonly kind: 'macaroon_invalid'; readonly path: string; readonly message: string };

/** A gRPC service client as grpc-js makes it: methods by their proto names. */
export type GrpcService = Record<string, (...args: unknown[]) => unknown>;

/** The services Hivebox uses. */
export interface LndServices {
  readonly lightning: GrpcService;
  readonly router: GrpcService;
  readonly wallet: GrpcService;
  /** Close every channel to lnd. */
  close(): void;
}

/** One line for an operator: which key, which file, what is wrong. */
export function describeLndConfigError(e: LndConfigError): string {
  const key = e.kind.startsWith('tls') ? 'lnd.tls_cert_path' : 'lnd.macaroon_path';
  return `${key} ${e.path}: ${e.message}`;
}

/**
 * Read the certificate and macaroon and make the clients (no connection is made until the first call).
 * @returns the services, or a typed error naming the key and file.
 */
export function connectLnd(s: Pick<LndSettings, 'host' | 'port' | 'tls_cert_path' | 'macaroon_path'>): Result<LndServices, LndConfigError> {
  let cert: Buffer;
  let macaroon: Buffer;
  try {
    cert = readFileSync(s.tls_cert_path);
  } catch (e) {
    return err({ kind: 'tls_cert_unreadable', path: s.tls_cert_path, message: (e as Error).message });
  }
  if (!cert.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return err({ kind: 'tls_cert_invalid', path: s.tls_cert_path, message: 'not a PEM certificate (lnd writes tls.cert as PEM)' });
  try {
    macaroon = readFileSync(s.macaroon_path);
  } catch (e) {
    return err({ kind: 'macaroon_unreadable', path: s.macaroon_path, message: (e as Error).message });
  }
  // A v2 binary macaroon starts with version byte 2 (libmacaroons / lnd's macaroon files).
  if (macaroon.length < 16 || macaroon[0] !== 2) return err({ kind: 'macaroon_invalid', path: s.macaroon_path, message: 'not a binary v2 macaroon (use the file lnd wrote, not its hex)' });
  let lnd: ReturnType<typeof authenticatedLndGrpc>['lnd'];
  try {
    ({ lnd } = authenticatedLndGrpc({ cert: cert.toString('base64'), macaroon: macaroon.toString('base64'), socket: `${s.host}:${s.port}`, path: lndProtoDir() }));
  } catch (e) {
    // grpc-js refuses a certificate it cannot parse ("Invalid CA").
    return err({ kind: 'tls_cert_invalid', path: s.tls_cert_path, message: (e as Error).message });
  }
  const services = lnd as unknown as { default: GrpcService; router: GrpcService; wallet: GrpcService };
  return ok({
    lightning: services.default,
    router: services.router,
    wallet: services.wallet,
    close: () => {
      for (const c of [services.default, services.router, services.wallet]) (c as unknown as { close(): void }).close();
    },
  });
}

/** A gRPC error as grpc-js reports it. */
interface GrpcError {
  readonly code?: number;
  readonly details?: string;
  readonly message?: string;
}

/**
 * One unary call: `method` of `service` with `request`, answered within `timeout_ms`.
 * @returns the response, or `{code: gRPC status, message: LND's text, method}`.
 */
export function unary<T>(service: GrpcService, method: string, request: Record<string, unknown>, timeout_ms: number): Promise<NodeResult<T>> {
  return new Promise((resolve) => {
    const fn = service[method];
    if (typeof fn !== 'function') return resolve({ ok: false, error: { code: 12, message: `no gRPC method ${method}`, method } });
    fn.call(service, request, { deadline: Date.now() + timeout_ms }, (e: GrpcError | null, r: T) => {
      if (e) resolve({ ok: false, error: { code: e.code ?? 2, message: e.details ?? e.message ?? String(e), method } });
      else resolve({ ok: true, value: r });
    });
  });
}
