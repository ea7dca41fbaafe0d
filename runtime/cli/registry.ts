/**
 * The list of CLI command modules. Each module registers one subcommand on the commander program;
 * adding a command is one line here plus its file under commands/.
 */
import type { Command } from 'commander';
import { registerActions } from './commands/actions.ts';
import { registerAdvisor } from './commands/advisor.ts';
import { registerApprove } from './commands/approve.ts';
import { registerChannels } from './commands/channels.ts';
import { registerCredential } from './commands/credential.ts';
import { registerDecode } from './commands/decode.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEarnings } from './commands/earnings.ts';
import { registerFirstboot } from './commands/firstboot.ts';
import { registerGenesis } from './commands/genesis.ts';
import { registerInvite } from './commands/invite.ts';
import { registerJoin } from './commands/join.ts';
import { registerMembers } from './commands/members.ts';
import { registerMqtt } from './commands/mqtt.ts';
import { registerPlan } from './commands/plan.ts';
import { registerPlanner } from './commands/planner.ts';
import { registerPlugin } from './commands/plugin.ts';
import { registerReceipts } from './commands/receipts.ts';
import { registerReject } from './commands/reject.ts';
import { registerRun } from './commands/run.ts';
import { registerSelftest } from './commands/selftest.ts';
import { registerSigner } from './commands/signer.ts';
import { registerStatus } from './commands/status.ts';
import { registerWatch } from './commands/watch.ts';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order. */
export const COMMANDS: readonly CommandModule[] = [
  registerActions,
  registerAdvisor,
  registerApprove,
  registerChannels,
  registerCredential,
  registerDecode,
  registerDemo,
  registerEarnings,
  registerFirstboot,
  registerGenesis,
  registerInvite,
  registerJoin,
  registerMembers,
  registerMqtt,
  registerPlan,
  registerPlanner,
  registerPlugin,
  registerReceipts,
  registerReject,
  registerRun,
  registerSelftest,
  registerSigner,
  registerStatus,
  registerWatch,
];
