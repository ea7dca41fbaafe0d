/**
 * `[lnd]`: how the daemon reaches LND instead of lightningd (issue 18). Off unless `enabled`; then
 * the daemon talks gRPC to `host:port` over TLS with lnd's `tls.cert` and a macaroon file, and
 * needs no plugin. Unknown keys are errors (runtime/config/schema.ts); unreadable or malformed
 * files are a typed `LndConfigError` when the backend is made (services/lnd/client.ts).
 */
import { z } from 'zod';

/** The `[lnd]` section of the hivebox configuration file. */
export const LndSection = z
  .object({
    /** Use LND (gRPC) as the node instead of lightningd's `lightning-rpc`. */
    enabled: z.boolean().default(false),
    /**
     * lnd's `rpclisten` host, by a name in lnd's TLS certificate (`localhost` is always there; add
     * others with `tlsextradomain`). An IP address cannot be checked as a TLS server name here.
     */
    host: z
      .string()
      .min(1)
      .max(253)
      .refine((h) => !/^[\d.]+$/.test(h) && !h.includes(':'), 'a DNS name from lnd\'s TLS certificate (e.g. localhost), not an IP address')
      .default('localhost'),
    /** lnd's `rpclisten` port. */
    port: z.number().int().min(1).max(65_535).default(10_009),
    /** lnd's TLS certificate (PEM), `tlscertpath` in lnd.conf. */
    tls_cert_path: z.string().min(1).default('/var/lib/lnd/tls.cert'),
    /** A macaroon with the permissions README lists (`admin.macaroon` works; a baked one is better). */
    macaroon_path: z.string().min(1).default('/var/lib/lnd/data/chain/bitcoin/mainnet/admin.macaroon'),
    /** Per-call timeout for unary gRPC calls, ms. */
    rpc_timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
    /** The systemd unit the supervisor watches in place of the plugin. */
    service: z.string().regex(/^[A-Za-z0-9@._-]+\.service$/, 'a systemd unit name ending in .service').default('lnd.service'),
  })
  .strict();

/** Validated `[lnd]` section. */
export type LndSettings = z.infer<typeof LndSection>;
