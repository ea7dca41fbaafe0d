/**
 * Constants of the simulated lightningd and the network around it. Numbers that mirror lightningd
 * cite CLN v26.06; the rest are simulation choices.
 */

/** The lightningd version whose behaviour simnet reproduces (getinfo `version`, LIGHTNINGD_VERSION). */
export const CLN_VERSION = 'v26.06';

/** Timeouts and size limits of the simulated lightningd. */
export const SIMNET_LIMITS = {
  /** lightningd gives a plugin 60 s for getmanifest and 60 s for init (a-day-in-the-life-of-a-plugin.md "Timeouts"). */
  plugin_handshake_ms: 60_000,
  /** How long a hook call may take before simnet gives up on it (lightningd waits forever; tests should not). */
  hook_timeout_ms: 30_000,
  /** Passthrough commands: lightningd has no timeout; simnet caps at 10 min so a hung plugin cannot hang a test forever. */
  passthrough_timeout_ms: 600_000,
  /** Grace between the `shutdown` notification and SIGKILL on node stop / `plugin stop` (lightningd waits up to 30 s). */
  plugin_shutdown_grace_ms: 1_000,
  /** Largest JSON object read from a plugin's stdout or a client request. */
  max_plugin_frame_chars: 64 * 1024 * 1024,
  /** BOLT 1: a message is at most 65 535 bytes. */
  max_message_bytes: 65_535,
} as const;

/** Defaults of a simulated node (CLN defaults: fee-base 1000 msat, fee-per-satoshi 10, cltv-delta 34). */
export const SIM_NODE_DEFAULTS = {
  fee_base_msat: 1000,
  fee_ppm: 10,
  cltv_expiry_delta: 34,
  /** init features of a v26.06 node (doc/schemas/getinfo.json example `our_features.init`). */
  init_features: '800898882a8a59a1',
  /** Chain tip reported by getinfo (mainnet, early 2026). */
  blockheight: 934_000,
} as const;
