#!/usr/bin/env bun
/**
 * `hivebox` entry point: composition only. `--version` answers before anything else is loaded;
 * otherwise argv is parsed with commander, registering only the named command's module (every
 * module for the overview help or an unknown command), and the crypto backend is selected before
 * the command runs (services/secp256k1/select.ts).
 */
import { versionLine } from './version.ts';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  console.log(versionLine());
  process.exit(0);
}

const [{ Command, CommanderError }, { EXIT }, { COMMANDS }, { selectCrypto }] = await Promise.all([
  import('commander'),
  import('./exit-codes.ts'),
  import('./registry.ts'),
  import('../../services/secp256k1/select.ts'),
]);

const program = new Command('hivebox')
  .description('Hivebox: coordinate Core Lightning nodes as one fleet (the Hive)')
  .version(versionLine(), '-V, --version', 'print version, commit and target')
  .exitOverride()
  .showHelpAfterError()
  .hook('preAction', () => void selectCrypto());
const named = args[0] !== undefined && Object.hasOwn(COMMANDS, args[0]) ? [COMMANDS[args[0]]!] : Object.values(COMMANDS);
for (const register of await Promise.all(named.map((load) => load()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  console.error(`hivebox: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(EXIT.failure);
}
