/**
 * `hivebox plugin` from the checkout (services/cln-plugin/hivebox-plugin → `bun runtime/cli/main.ts
 * plugin`) re-executes itself in place without JavaScriptCore's JIT (runtime/cli/plugin-jit.ts): the
 * pid lightningd spawned ends up running with `BUN_JSC_useJIT=false`, lightningd's flags intact, and
 * an operator's own value stays. The compiled binary's side is in tests/build/binary.test.ts.
 */
import { expect, test } from 'bun:test';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../services/cln-plugin/executable.ts';
import { LIGHTNINGD_DEV_FLAGS, startAsLightningd } from './fixtures/plugin-jit.ts';

test('the checkout wrapper: the spawned pid runs main.ts plugin again with BUN_JSC_useJIT=false and lightningd\'s flags', async () => {
  const seen = await startAsLightningd([HIVEBOX_PLUGIN_EXECUTABLE], undefined);
  expect(seen.environ).toContain('BUN_JSC_useJIT=false');
  expect(seen.cmdline[0]).toBe(process.execPath);
  expect(seen.cmdline.slice(-4)).toEqual([expect.stringMatching(/\/runtime\/cli\/main\.ts$/), 'plugin', ...LIGHTNINGD_DEV_FLAGS]);
  expect(seen.stderr).not.toContain('could not re-execute');
});

test('an operator\'s BUN_JSC_useJIT=true is kept (no re-execution)', async () => {
  const seen = await startAsLightningd([HIVEBOX_PLUGIN_EXECUTABLE], 'true');
  expect(seen.environ).toContain('BUN_JSC_useJIT=true');
  expect(seen.environ).not.toContain('BUN_JSC_useJIT=false');
});
