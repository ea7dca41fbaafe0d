/**
 * Container detection and bounded decompression for graph files: gzip (node:zlib, output capped)
 * and xz (the `xz-decompress` WebAssembly build of XZ Embedded, streamed and capped). xz-decompress
 * was chosen over native bindings (@napi-rs/lzma, lzma-native) because it has no native code: the
 * Bun-compiled single binary runs unchanged on x86-64 and on the Raspberry Pi's arm64.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { GraphLoadError } from './errors.ts';
import { GRAPH_LIMITS } from './limits.ts';

/** How a file's bytes are wrapped. */
export type Container = 'gzip' | 'xz' | 'plain';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

/** Detect gzip (1f 8b) and xz (fd 37 7a 58 5a 00) by their magic bytes. */
export function containerOf(bytes: Uint8Array): Container {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (XZ_MAGIC.every((b, i) => bytes[i] === b)) return 'xz';
  return 'plain';
}

/**
 * Unwrap `bytes` (gzip, xz or plain), refusing output above `maxBytes`.
 * @returns the payload, or DecompressFailed (corrupt/truncated stream) / TooLarge.
 */
export async function unwrap(bytes: Uint8Array, maxBytes: number = GRAPH_LIMITS.maxDecompressedBytes): Promise<Result<Uint8Array, GraphLoadError>> {
  const container = containerOf(bytes);
  if (container === 'plain') return ok(bytes);
  if (container === 'gzip') {
    try {
      const { gunzipSync } = await import('node:zlib'); // ~10 ms to load: only for gzip input, never on the way to READY (issue 19 §4)
      return ok(new Uint8Array(gunzipSync(bytes, { maxOutputLength: maxBytes })));
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return err({ kind: 'TooLarge', what: 'decompressed size', limit: maxBytes });
      return err({ kind: 'DecompressFailed', codec: 'gzip', reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return unxz(bytes, maxBytes);
}

async function unxz(bytes: Uint8Array, maxBytes: number): Promise<Result<Uint8Array, GraphLoadError>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const { XzReadableStream } = await import('xz-decompress'); // its WASM loads only for xz input (issue 19 §4)
    const reader = new XzReadableStream(new Blob([bytes]).stream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        return err({ kind: 'TooLarge', what: 'decompressed size', limit: maxBytes });
      }
      chunks.push(value);
    }
  } catch (e) {
    return err({ kind: 'DecompressFailed', codec: 'xz', reason: e instanceof Error ? e.message : String(e) });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return ok(out);
}
