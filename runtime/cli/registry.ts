/**
 * The list of CLI command modules. Each module registers one subcommand on the commander program;
 * adding a command is one line here plus its file under commands/.
 */
import type { Command } from 'commander';
import { registerActions } from './commands/actions.ts';
import { registerApprove } from './commands/approve.ts';
import { registerDecode } from './commands/decode.ts';
import { registerReject } from './commands/reject.ts';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order. */
export const COMMANDS: readonly CommandModule[] = [registerDecode, registerActions, registerApprove, registerReject];
