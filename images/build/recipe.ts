/**
 * The image recipe (images/recipe.toml): its schema, loading, the per-architecture package list,
 * and the cache key of the Debian base root filesystem. An unknown key or a bad value is a
 * {@link RecipeError} naming the key, never a half-read recipe.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** Image architectures (Debian names) and the matching `bun build` binary suffix (dist/hivebox-linux-<x64|arm64>). */
export const IMAGE_ARCHES = { amd64: 'x64', arm64: 'arm64' } as const;
/** A Debian architecture the image is built for. */
export type ImageArch = keyof typeof IMAGE_ARCHES;

const debName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'a Debian package name');
const unitName = z.string().regex(/^[A-Za-z0-9:_.@-]+\.(service|socket|timer|path|target)$/, 'a systemd unit name');
const label = (max: number, re: RegExp) => z.string().min(1).max(max).regex(re);

const ArchSection = z
  .object({
    extra: z.array(debName),
    components: z.array(z.enum(['main', 'contrib', 'non-free', 'non-free-firmware'])).min(1),
  })
  .strict();

/** The whole recipe file. */
export const RecipeSchema = z
  .object({
    debian: z
      .object({
        suite: z.literal('bookworm'),
        mirror: z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
        variant: z.enum(['essential', 'required', 'minbase', 'apt', 'important', 'standard']),
        /** dpkg path-exclude globs (documentation, man pages, translations: SD card space). */
        dpkg_exclude: z.array(z.string().startsWith('/')).default([]),
        /** dpkg path-include globs that override an exclude (licence files stay). */
        dpkg_include: z.array(z.string().startsWith('/')).default([]),
      })
      .strict(),
    packages: z
      .object({
        common: z.array(debName).min(1),
        arch: z.object({ arm64: ArchSection, amd64: ArchSection }).strict(),
      })
      .strict(),
    hivebox: z
      .object({
        enable: z.array(unitName),
        mask: z.array(unitName),
        lightningd_tree: z.string(),
      })
      .strict(),
    disk: z
      .object({
        boot_mib: z.number().int().min(64).max(2048),
        root_free_mib: z.number().int().min(64).max(65536),
        /** FAT volume label: at most 11 upper-case characters. */
        boot_label: label(11, /^[A-Z0-9_-]+$/),
        root_label: label(16, /^[A-Za-z0-9_-]+$/),
        compression: z.enum(['xz', 'zstd']),
        /** xz 0-9 / zstd 1-19; `--compression-level` overrides (CI's throw-away amd64 image uses 1). */
        compression_level: z.number().int().min(0).max(19),
      })
      .strict(),
  })
  .strict();

/** A validated recipe. */
export type Recipe = z.infer<typeof RecipeSchema>;

/** Why a recipe was refused. */
export interface RecipeError {
  readonly kind: 'unreadable' | 'toml_syntax' | 'invalid';
  readonly message: string;
}

/** Parse recipe text (TOML). */
export function parseRecipe(text: string): Result<Recipe, RecipeError> {
  let raw: unknown;
  try {
    raw = Bun.TOML.parse(text);
  } catch (e) {
    return err({ kind: 'toml_syntax', message: `recipe: ${e instanceof Error ? e.message : String(e)}` });
  }
  const r = RecipeSchema.safeParse(raw);
  if (r.success) return ok(r.data);
  const issue = r.error.issues[0]!;
  const where = issue.path.map(String).join('.') || 'recipe';
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return err({ kind: 'invalid', message: `recipe key ${where}: ${issue.message}${keys}` });
}

/** Read and parse a recipe file. */
export function loadRecipe(path: string): Result<Recipe, RecipeError> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return err({ kind: 'unreadable', message: `recipe not readable: ${path}` });
  }
  return parseRecipe(text);
}

/** Every package installed for `arch` (common first, then the architecture's extras), de-duplicated. */
export function packagesFor(recipe: Recipe, arch: ImageArch): string[] {
  return [...new Set([...recipe.packages.common, ...recipe.packages.arch[arch].extra])];
}

/**
 * Cache key of the Debian base root filesystem for `arch`: SHA-256 (hex, first 16 chars) over what
 * decides its contents — suite, variant, dpkg path filters, components, package list and the lock
 * file text (pinned versions), and `builder` (the text of the code that runs mmdebstrap). The
 * mirror URL is not part of it: pinned versions are the same packages from any mirror.
 */
export function baseKey(recipe: Recipe, arch: ImageArch, lockText: string, builder: string): string {
  const { suite, variant, dpkg_exclude, dpkg_include } = recipe.debian;
  const input = JSON.stringify({ arch, suite, variant, dpkg_exclude, dpkg_include, components: recipe.packages.arch[arch].components, packages: packagesFor(recipe, arch), lock: lockText, builder });
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}
