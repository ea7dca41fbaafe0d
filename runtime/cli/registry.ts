/**
 * The CLI command modules, by command name. Each module registers one subcommand on the commander
 * program; adding a command is one line here plus its file under commands/. Modules are imported
 * only when needed (main.ts loads just the named command's module, all of them only for the
 * overview help), so `hivebox --version` and `hivebox run` do not load what other commands use
 * (issue 19 §4).
 */
import type { Command } from 'commander';

/** A function that adds one subcommand (with its `--help`) to the program. */
export type CommandModule = (program: Command) => void;

/** Every subcommand of `hivebox`, in help order, with the import of its module. */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  actions: () => import('./commands/actions.ts').then((m) => m.registerActions),
  advisor: () => import('./commands/advisor.ts').then((m) => m.registerAdvisor),
  approve: () => import('./commands/approve.ts').then((m) => m.registerApprove),
  channels: () => import('./commands/channels.ts').then((m) => m.registerChannels),
  credential: () => import('./commands/credential.ts').then((m) => m.registerCredential),
  decode: () => import('./commands/decode.ts').then((m) => m.registerDecode),
  demo: () => import('./commands/demo.ts').then((m) => m.registerDemo),
  earnings: () => import('./commands/earnings.ts').then((m) => m.registerEarnings),
  firstboot: () => import('./commands/firstboot.ts').then((m) => m.registerFirstboot),
  genesis: () => import('./commands/genesis.ts').then((m) => m.registerGenesis),
  promote: () => import('./commands/governance.ts').then((m) => m.registerPromote),
  vouch: () => import('./commands/governance.ts').then((m) => m.registerVouch),
  ban: () => import('./commands/governance.ts').then((m) => m.registerBan),
  'ban-peer': () => import('./commands/governance.ts').then((m) => m.registerBanPeer),
  revoke: () => import('./commands/governance.ts').then((m) => m.registerRevoke),
  leave: () => import('./commands/governance.ts').then((m) => m.registerLeave),
  intent: () => import('./commands/intent.ts').then((m) => m.registerIntent),
  intents: () => import('./commands/intent.ts').then((m) => m.registerIntents),
  invite: () => import('./commands/invite.ts').then((m) => m.registerInvite),
  join: () => import('./commands/join.ts').then((m) => m.registerJoin),
  members: () => import('./commands/members.ts').then((m) => m.registerMembers),
  mqtt: () => import('./commands/mqtt.ts').then((m) => m.registerMqtt),
  plan: () => import('./commands/plan.ts').then((m) => m.registerPlan),
  planner: () => import('./commands/planner.ts').then((m) => m.registerPlanner),
  plugin: () => import('./commands/plugin.ts').then((m) => m.registerPlugin),
  receipts: () => import('./commands/receipts.ts').then((m) => m.registerReceipts),
  reject: () => import('./commands/reject.ts').then((m) => m.registerReject),
  run: () => import('./commands/run.ts').then((m) => m.registerRun),
  selftest: () => import('./commands/selftest.ts').then((m) => m.registerSelftest),
  signer: () => import('./commands/signer.ts').then((m) => m.registerSigner),
  status: () => import('./commands/status.ts').then((m) => m.registerStatus),
  watch: () => import('./commands/watch.ts').then((m) => m.registerWatch),
};
