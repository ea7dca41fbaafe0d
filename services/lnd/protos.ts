/**
 * Where LND's .proto files are (the `lightning` package ships them in grpc/protos and loads them
 * by file name, resolving imports such as `import "lightning.proto"` beside each file). From a
 * checkout that is the package's own folder. A compiled `hivebox` binary embeds them
 * (runtime/build/build.ts) as `/$bunfs/root/<stem>-<hash>.proto`, names the imports do not find,
 * so they are copied once under their own names into a folder of the temporary directory.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The .proto files of the `lightning` package in a checkout, or null when not installed (compiled binary). */
export function packageProtoDir(): string | null {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('lightning/package.json')), 'grpc', 'protos');
    return existsSync(join(dir, 'lightning.proto')) ? dir : null;
  } catch {
    return null;
  }
}

/** `<stem>-<hash>.proto` (Bun's name for an embedded entry point) or `<stem>.proto` → `<stem>.proto`; null for other files. */
export function protoNameOf(embeddedName: string): string | null {
  const m = /^([a-z]+)(-[a-z0-9]+)?\.proto$/.exec(embeddedName);
  return m ? `${m[1]}.proto` : null;
}

/**
 * Copy the embedded .proto files (paths) into a new private folder under their own names.
 * @returns the folder, or null when lightning.proto is not among them.
 */
export function unpackProtos(paths: readonly string[], parent = tmpdir()): string | null {
  const protos = paths.map((path) => ({ path, name: protoNameOf(path.slice(path.lastIndexOf('/') + 1)) })).filter((p) => p.name !== null);
  if (!protos.some((p) => p.name === 'lightning.proto')) return null;
  const dir = mkdtempSync(join(parent, 'hivebox-lnd-protos-'));
  for (const p of protos) writeFileSync(join(dir, p.name!), readFileSync(p.path));
  return dir;
}

let unpacked: string | null = null;

/**
 * The folder to load LND's .proto files from: the package's, else the binary's copies unpacked (once per process).
 * @throws Error when neither exists (a binary built without them).
 */
export function lndProtoDir(): string {
  const pkg = packageProtoDir();
  if (pkg) return pkg;
  unpacked ??= unpackProtos((Bun.embeddedFiles as (Blob & { name: string })[]).map((b) => join(dirname(Bun.main), b.name)));
  if (!unpacked) throw new Error("LND's .proto files are not in this binary (rebuild it with `bun run build`)");
  return unpacked;
}
