#!/usr/bin/env bun
/**
 * `hivebox` entry point: composition only. Parses argv with commander and dispatches to the
 * command modules listed in registry.ts.
 */
import { Command, CommanderError } from 'commander';
import { selectCrypto } from '../../services/secp256k1/select.ts';
import { EXIT } from './exit-codes.ts';
import { COMMANDS } from './registry.ts';
import { versionLine } from './version.ts';

const program = new Command('hivebox')
  .description('Hivebox: coordinate Core Lightning nodes as one fleet (the Hive)')
  .version(versionLine(), '-V, --version', 'print version, commit and target')
  .exitOverride()
  .showHelpAfterError()
  .hook('preAction', () => void selectCrypto());
for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  console.error(`hivebox: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(EXIT.failure);
}
