/**
 * The list of CLI command modules. Each module registers one subcommand on the commander program;
 * adding a command is one line here plus its file under commands/.
 */
import type { Command } from 'commander';
import { registerDecode } from './commands/decode.ts';
import { registerFirstboot } from './commands/firstboot.ts';
import { registerPlan } from './commands/plan.ts';
import { registerPlanner } from './commands/planner.ts';
import { registerSelftest } from './commands/selftest.ts';
import { registerSigner } from './commands/signer.ts';
import { registerWatch } from './commands/watch.ts';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order. */
export const COMMANDS: readonly CommandModule[] = [
  registerDecode,
  registerFirstboot,
  registerPlan,
  registerPlanner,
  registerSelftest,
  registerSigner,
  registerWatch,
];
