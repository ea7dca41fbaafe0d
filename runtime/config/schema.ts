/**
 * The hivebox configuration: one TOML file, every key with a default (issue 3 §3 "Configuration").
 * Sections are strict: an unknown key is an error naming it. Other subsystems add their section
 * here as one more entry of `CONFIG_SCHEMA`.
 */
import { z } from 'zod';
import { DEFAULT_SIGNER_CONFIG, SignerConfig } from '../../hw/host/signer-config.ts';
import { LndSection } from '../../services/lnd/config.ts';
import { MgmtSection } from '../node/mgmt/config.ts';
import { MqttSection } from '../../services/mqtt/config.ts';
import { SwarmSection } from '../../services/swarm/config.ts';
import { SupervisorSection } from './supervisor.ts';
import { HiveSection } from '../node/hive/config.ts';
import { BOX_PATHS } from './box-paths.ts';
import { PlannerSection } from '../node/planner/planner-settings.ts';

/** `[lightning]`: how the daemon reaches lightningd. */
export const LightningSection = z
  .object({
    /** Path of lightningd's `lightning-rpc` socket (`~` expands to $HOME). */
    rpc_file: z.string().min(1).default('~/.lightning/bitcoin/lightning-rpc'),
    /** Per-call timeout for lightningd RPCs, ms. */
    rpc_timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();

/** `[daemon]`: the `hivebox run` process. */
export const DaemonSection = z
  .object({
    /** Unix socket the plugin connects to (the plugin option `hivebox-socket` must match). */
    ipc_socket: z.string().min(1).default('/run/hivebox/plugin.sock'),
    /** File mode of the IPC socket (0o660: lightningd's user and hivebox's group). */
    ipc_socket_mode: z.number().int().min(0).max(0o777).default(0o660),
    /** Period of the engine tick, ms. */
    tick_ms: z.number().int().min(50).max(3_600_000).default(1_000),
    /** On SIGTERM, how long to wait for in-flight events before closing, ms. */
    shutdown_grace_ms: z.number().int().min(0).max(60_000).default(5_000),
    /** First-boot enrolment: the hive role `hivebox firstboot` wrote (runtime/daemon/hive-role.ts); no file = no enrolment. */
    hive_role_file: z.string().min(1).default(BOX_PATHS.hiveRole),
    /** Seconds between enrolment attempts that can succeed later (signer unplugged, no connected peer yet). */
    hive_role_retry_s: z.number().int().min(1).max(3_600).default(60),
    /** Inbound custom messages per second from one member (services/daemon-ipc/inbound-budget.ts; bursts of 2 s). */
    inbound_member_msgs_per_s: z.number().int().min(1).max(100_000).default(500),
    /** Inbound custom-message bytes per second from one member. */
    inbound_member_bytes_per_s: z.number().int().min(1_000).max(1_000_000_000).default(4_000_000),
    /** Inbound custom messages per second from one peer that is not a member (candidates, advisors, strangers). */
    inbound_nonmember_msgs_per_s: z.number().int().min(1).max(100_000).default(10),
    /** Inbound custom-message bytes per second from one non-member (a 65,535-byte message always fits a burst). */
    inbound_nonmember_bytes_per_s: z.number().int().min(1_000).max(1_000_000_000).default(65_536),
    /** Inbound custom messages per second from all non-members together. */
    inbound_nonmember_total_msgs_per_s: z.number().int().min(1).max(100_000).default(100),
    /** Most events waiting in the daemon's queue (non-members may fill half); beyond it custom messages are dropped and counted. */
    inbound_queue_max: z.number().int().min(10).max(1_000_000).default(2_000),
  })
  .strict();

/** `[log]`: structured logs on stderr (journald picks them up under systemd). */
export const LogSection = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .strict();

/** The whole file. */
export const CONFIG_SCHEMA = z
  .object({
    lightning: LightningSection.prefault({}),
    /** `[lnd]`: LND over gRPC instead of lightningd; off by default (services/lnd/config.ts). */
    lnd: LndSection.prefault({}),
    daemon: DaemonSection.prefault({}),
    log: LogSection.prefault({}),
    /** `[hive]`: membership store and handshake (runtime/node/hive/config.ts). */
    hive: HiveSection.prefault({}),
    /** `[planner]`: the daemon's planner loop and thresholds (runtime/node/planner/planner-settings.ts). */
    planner: PlannerSection.prefault({}),
    /** `[signer]`: how the daemon reaches the fleet signer (hw/host/signer-config.ts). */
    signer: SignerConfig.default(DEFAULT_SIGNER_CONFIG),
    /** `[supervisor]`: systemd notifications, health probes and restarts (runtime/config/supervisor.ts). */
    supervisor: SupervisorSection.prefault({}),
    /** `[mqtt]`: LAN status publishing; off while `url` is unset (services/mqtt/config.ts). */
    mqtt: MqttSection.prefault({}),
    /** `[mgmt]`: remote management, spec 002 (runtime/node/mgmt/config.ts). */
    mgmt: MgmtSection.prefault({}),
    /** `[swarm]`: the hyperswarm fallback transport; off by default (services/swarm/config.ts). */
    swarm: SwarmSection.prefault({}),
  })
  .strict();

/** A fully defaulted, validated configuration. */
export type HiveboxConfig = z.infer<typeof CONFIG_SCHEMA>;
