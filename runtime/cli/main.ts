#!/usr/bin/env bun
/**
 * `hivebox` entry point: composition only. `--version` answers before anything else is loaded;
 * `plugin` (started by lightningd, alive as long as it is) re-executes itself once without
 * JavaScriptCore's JIT (plugin-jit.ts) and runs the relay without commander or crypto; otherwise
 * argv is parsed with commander, registering only the named command's module (every module for the
 * overview help or an unknown command), and the crypto backend is selected before the command runs
 * (services/secp256k1/select.ts). Issue 19 §4. With `--json`, a failure is one JSON object on
 * stdout (json-error.ts) and the exit code is unchanged.
 */
import { versionLine } from '../daemon/version.ts';

/** Parse argv with commander and run the command. */
async function runCommand(args: readonly string[]): Promise<void> {
  const [{ Command, CommanderError }, { EXIT }, { COMMANDS }, { jsonError, reportFailure, wantsJson }] = await Promise.all([
    import('commander'),
    import('./exit-codes.ts'),
    import('./registry.ts'),
    import('./json-error.ts'),
  ]);
  const program = new Command('hivebox')
    .description('Hivebox: coordinate Core Lightning nodes as one fleet (the Hive)')
    .version(versionLine(), '-V, --version', 'print version, commit and target')
    .exitOverride()
    .showHelpAfterError()
    .hook('preAction', async () => {
      const { selectCrypto } = await import('../../services/secp256k1/select.ts');
      selectCrypto();
    });
  const named = args[0] !== undefined && Object.hasOwn(COMMANDS, args[0]) ? [COMMANDS[args[0]]!] : Object.values(COMMANDS);
  for (const register of await Promise.all(named.map((load) => load()))) register(program);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode !== 0 && wantsJson()) console.log(jsonError(null, e.message.replace(/^error: /, ''), EXIT.usage));
      process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    reportFailure(null, e instanceof Error ? e.message : String(e), EXIT.failure);
    process.exit(EXIT.failure);
  }
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  console.log(versionLine());
} else if (args[0] === 'plugin' && !args.includes('--help') && !args.includes('-h')) {
  const { reexecWithoutJit } = await import('./plugin-jit.ts');
  reexecWithoutJit();
  const { runPlugin } = await import('../../services/cln-plugin/stdio.ts');
  await runPlugin();
} else {
  await runCommand(args);
}
