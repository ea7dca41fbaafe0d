/**
 * Process exit codes of the `hivebox` CLI. Each failure class has its own code so scripts and
 * systemd can tell them apart.
 */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Generic failure (the operation ran and failed; the message says why). */
  failure: 1,
  /** Malformed input (bad hex, malformed Hive message, bad ticket encoding). */
  malformed: 2,
  /** Input is well-formed but not Hive traffic (`hivebox decode`). */
  notHive: 3,
  /** The node's hive state does not allow the command (not in a hive, already in one, a neophyte inviting). */
  conflict: 4,
  /** Bad command line or configuration. */
  usage: 64,
  /** The daemon or lightningd could not be reached. */
  unavailable: 69,
  /** Try again later: the signer is busy with another approval, or a join is still in progress. */
  tempfail: 75,
  /** The operator or the signer refused (button rejected, timeout). */
  refused: 77,
} as const;
