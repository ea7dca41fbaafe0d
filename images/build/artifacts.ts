/**
 * What a build hands out next to the raw image: the compressed image (xz or zstd), its SHA-256 in
 * `sha256sum` format, and file sizes for build.json.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { describeToolError, runTool } from './exec.ts';

/** Compress `raw` next to itself (`.xz` / `.zst`), removing the raw file unless `keepRaw`. @returns the compressed path. */
export function compressImage(raw: string, kind: 'xz' | 'zstd', level: number, keepRaw: boolean): Result<string, string> {
  const argv = kind === 'xz' ? ['xz', '-T0', `-${Math.min(level, 9)}`, '--force', '--keep', raw] : ['zstd', '-T0', `-${Math.max(level, 1)}`, '--force', '--quiet', raw, '-o', `${raw}.zst`];
  const r = runTool(argv);
  if (!r.ok) return err(describeToolError(r.error));
  if (!keepRaw) runTool(['rm', '-f', raw]);
  return ok(kind === 'xz' ? `${raw}.xz` : `${raw}.zst`);
}

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Write `<file>.sha256` as `sha256sum -c` reads it. @returns the hash. */
export async function writeChecksum(file: string): Promise<string> {
  const hash = await sha256File(file);
  writeFileSync(`${file}.sha256`, `${hash}  ${basename(file)}\n`);
  return hash;
}

/** Size of a file in bytes, and the bytes it occupies on disk (sparse images use less). */
export function fileSizes(path: string): { bytes: number; allocated_bytes: number } {
  const st = statSync(path);
  return { bytes: st.size, allocated_bytes: st.blocks * 512 };
}
