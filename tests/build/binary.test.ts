/**
 * The single binary. Building takes seconds and downloads the arm64 runtime once, so `bun test`
 * does not build: .ci/steps/20-binaries.sh does (both targets, arm64 under qemu) and then runs this
 * file again. When dist/ holds the x64 binary, it is run here from an empty temp folder, and its
 * `plugin` command as lightningd starts it (re-executed in place without the JIT, flags intact).
 */
import { expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath, buildArgv, ENTRY, TARGETS } from '../../runtime/build/build.ts';
import { LIGHTNINGD_DEV_FLAGS, startAsLightningd } from '../cln/fixtures/plugin-jit.ts';

test('build argv: compile, per-target runtime, commit baked in as a JS string literal', () => {
  const argv = buildArgv('arm64', 'abc1234');
  expect(argv.slice(1, 3)).toEqual(['build', '--compile']);
  expect(argv).toContain('--target=bun-linux-arm64');
  expect(argv[argv.indexOf('--define') + 1]).toBe('HIVEBOX_COMMIT="abc1234"');
  expect(argv).toContain(ENTRY);
  expect(argv.at(-1)).toBe(binaryPath('arm64'));
  expect(binaryPath('x64')).toEndWith('dist/hivebox-linux-x64');
  expect(Object.values(TARGETS)).toEqual(['bun-linux-x64', 'bun-linux-arm64']);
});

const x64 = binaryPath('x64');
test.skipIf(process.arch !== 'x64' || !existsSync(x64))('dist/hivebox-linux-x64 runs from an empty folder: --version and selftest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-empty-'));
  try {
    const v = Bun.spawnSync([x64, '--version'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
    expect(v.stdout.toString().trim()).toMatch(/^hivebox \d+\.\d+\.\d+ \([0-9a-f]{7,}(-dirty)?\) linux-x64$/);
    const s = Bun.spawnSync([x64, 'selftest'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
    expect(s.exitCode).toBe(0);
    expect(JSON.parse(s.stdout.toString())).toMatchObject({ ok: true, target: 'linux-x64', lnsign: { ok: true }, sqlite: { ok: true }, hid: { ok: true } });
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.skipIf(process.arch !== 'x64' || !existsSync(x64))('dist/hivebox-linux-x64 plugin: the spawned pid runs the binary again with BUN_JSC_useJIT=false, args not doubled; an operator\'s value is kept', async () => {
  const seen = await startAsLightningd([x64, 'plugin'], undefined);
  expect(seen.environ).toContain('BUN_JSC_useJIT=false');
  expect(seen.cmdline).toEqual([x64, 'plugin', ...LIGHTNINGD_DEV_FLAGS]);
  expect(seen.stderr).not.toContain('could not re-execute');
  const kept = await startAsLightningd([x64, 'plugin'], 'true');
  expect(kept.environ).toContain('BUN_JSC_useJIT=true');
  expect(kept.environ).not.toContain('BUN_JSC_useJIT=false');
});
