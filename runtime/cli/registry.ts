/**
 * The list of CLI command modules. Each module registers one subcommand on the commander program;
 * adding a command is one line here plus its file under commands/.
 */
import type { Command } from 'commander';
import { configuredEngineFactory } from '../engine/engine-factory.ts';
import { registerActions } from './commands/actions.ts';
import { registerApprove } from './commands/approve.ts';
import { registerDecode } from './commands/decode.ts';
import { registerDemo } from './commands/demo.ts';
import { registerGenesis } from './commands/genesis.ts';
import { registerInvite } from './commands/invite.ts';
import { registerJoin } from './commands/join.ts';
import { registerMembers } from './commands/members.ts';
import { registerPlugin } from './commands/plugin.ts';
import { registerReject } from './commands/reject.ts';
import { registerRun } from './commands/run.ts';
import { registerSigner } from './commands/signer.ts';
import { registerStatus } from './commands/status.ts';
import { registerPlan } from './commands/plan.ts';
import { registerPlanner } from './commands/planner.ts';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order. */
export const COMMANDS: readonly CommandModule[] = [
  (p) => registerRun(p, configuredEngineFactory),
  registerPlugin,
  registerGenesis,
  registerInvite,
  registerJoin,
  registerStatus,
  registerMembers,
  registerActions,
  registerApprove,
  registerReject,
  registerDemo,
  registerDecode,
  registerSigner,
  registerPlan,
  registerPlanner,
];
