/**
 * The list of CLI command modules. Each module registers one subcommand on the commander program;
 * adding a command is one line here plus its file under commands/.
 */
import type { Command } from 'commander';
import { registerAdvisor } from './commands/advisor.ts';
import { registerCredential } from './commands/credential.ts';
import { registerReceipts } from './commands/receipts.ts';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order. */
export const COMMANDS: readonly CommandModule[] = [registerCredential, registerReceipts, registerAdvisor];
