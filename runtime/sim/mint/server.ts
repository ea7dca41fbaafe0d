/**
 * HTTP front of {@link LocalMint} on Bun.serve, bound to 127.0.0.1 on an ephemeral port: the
 * Cashu v1 REST endpoints cashu-ts calls (NUT-01 `/v1/keys`, NUT-02 `/v1/keysets`, NUT-03
 * `/v1/swap`, NUT-04 `/v1/mint/quote/bolt11` + `/v1/mint/bolt11`, NUT-06 `/v1/info`, NUT-07
 * `/v1/checkstate`). Errors are HTTP 400 `{detail, code}` as the NUTs specify.
 */
import { LocalMint, type MintError } from './mint.ts';

/** A running test mint. */
export interface TestMintServer {
  readonly url: string;
  readonly mint: LocalMint;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function outcome<T>(o: { ok: true; value: T } | { ok: false; error: MintError }): Response {
  return o.ok ? json(o.value) : json(o.error, 400);
}

async function body(req: Request): Promise<Record<string, unknown> | null> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Start a mint with keys derived from `seed` on 127.0.0.1 (port 0 = any free port). */
export function startTestMint(seed: Uint8Array, port = 0): TestMintServer {
  const mint = new LocalMint(seed);
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port,
    async fetch(req) {
      const { pathname } = new URL(req.url);
      const get = req.method === 'GET';
      if (get && pathname === '/v1/info') return json(mint.info());
      if (get && pathname === '/v1/keys') return json(mint.keys());
      if (get && pathname === `/v1/keys/${mint.keysetId}`) return json(mint.keys());
      if (get && pathname === '/v1/keysets') return json(mint.keysets());
      if (get && pathname.startsWith('/v1/mint/quote/bolt11/')) return outcome(mint.getQuote(pathname.slice('/v1/mint/quote/bolt11/'.length)));
      if (req.method !== 'POST') return json({ detail: 'not found', code: 0 }, 404);
      const b = await body(req);
      if (!b) return json({ detail: 'bad request body', code: 0 }, 400);
      switch (pathname) {
        case '/v1/checkstate':
          return Array.isArray(b.Ys) ? outcome(mint.checkState(b.Ys as string[])) : json({ detail: 'Ys required', code: 0 }, 400);
        case '/v1/swap':
          return Array.isArray(b.inputs) && Array.isArray(b.outputs) ? outcome(mint.swap(b.inputs, b.outputs)) : json({ detail: 'inputs and outputs required', code: 0 }, 400);
        case '/v1/mint/quote/bolt11':
          return outcome(mint.createQuote(Number(b.amount)));
        case '/v1/mint/bolt11':
          return typeof b.quote === 'string' && Array.isArray(b.outputs) ? outcome(mint.mint(b.quote, b.outputs)) : json({ detail: 'quote and outputs required', code: 0 }, 400);
        default:
          return json({ detail: 'not found', code: 0 }, 404);
      }
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, mint, stop: () => server.stop(true) };
}
