/**
 * LND's .proto files in a compiled binary: the build embeds all of the `lightning` package's, Bun
 * renames them `<stem>-<hash>.proto`, and they are unpacked under their own names so the imports
 * between them (router.proto → lightning.proto, walletkit.proto → signer.proto) resolve.
 */
import { afterAll, expect, test } from 'bun:test';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { buildArgv, lndProtoFiles } from '../../runtime/build/build.ts';
import { packageProtoDir, protoNameOf, unpackProtos } from '../../services/lnd/protos.ts';

const dir = mkdtempSync(join(tmpdir(), 'hbx-protos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the build embeds every LND .proto file', () => {
  const files = lndProtoFiles();
  expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(readdirSync(packageProtoDir()!).filter((f) => f.endsWith('.proto')).sort());
  expect(buildArgv('x64', 'abc1234')).toContain(files.find((f) => f.endsWith('/lightning.proto'))!);
});

test('embedded names map back to proto names; other files are not protos', () => {
  expect(protoNameOf('router-8f3k2m1a.proto')).toBe('router.proto');
  expect(protoNameOf('lightning.proto')).toBe('lightning.proto');
  expect(protoNameOf('gossip-store-2026-02-03-ab12.compressed')).toBeNull();
});

test('unpacked from hashed names, router.proto and walletkit.proto load with their imports', () => {
  const src = packageProtoDir()!;
  const paths = readdirSync(src).map((f) => {
    const p = join(dir, `${f.replace('.proto', '')}-x1y2z3.proto`);
    copyFileSync(join(src, f), p);
    return p;
  });
  const out = unpackProtos([...paths, join(dir, 'unrelated.txt')], dir)!;
  expect(readdirSync(out).sort()).toEqual(readdirSync(src).sort());
  for (const f of ['router.proto', 'walletkit.proto']) expect(() => loadSync(join(out, f), { includeDirs: [out] })).not.toThrow();
  expect(unpackProtos([join(dir, 'unrelated.txt')], dir)).toBeNull();
});
