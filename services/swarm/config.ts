/**
 * The `[swarm]` section of the hivebox configuration (issue 10; runtime/config/schema.ts): whether
 * `hivebox run` uses the hyperswarm fallback transport, where its sidecar runs, and what the
 * sidecar is started with (services/swarm/PROTOCOL.md "Starting the sidecar"). Unknown keys are
 * errors. Off by default: Lightning stays the only transport until the operator turns it on.
 */
import { z } from 'zod';
import type { SidecarTarget } from './sidecar-link.ts';

/** `HOST:PORT` of one hyperdht bootstrap node (port 1..65535), as the sidecar's `--bootstrap` takes it. */
const bootstrapNode = z.string().regex(/^[^\s,:]+:([1-9][0-9]{0,4})$/, 'HOST:PORT').refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65_535, 'port 1..65535');

/** `[swarm]`. */
export const SwarmSection = z
  .object({
    /** Run the swarm transport once this node is in a hive. Needs Node (≥ 18) for the sidecar. */
    enabled: z.boolean().default(false),
    /**
     * "" = the daemon spawns `node services/swarm/sidecar/main.mjs` itself and restarts it with
     * backoff (0.5 s doubling to 30 s); a path = attach to the unix socket of
     * systemd/hivebox-swarm.service, `/run/hivebox-swarm/swarm.sock` (that unit owns the key seed).
     */
    sidecar_socket: z.string().default(''),
    /** Spawn mode: the Node (≥ 18) executable, looked up on PATH when bare. */
    node: z.string().min(1).default('node'),
    /** Spawn mode: the sidecar's main.mjs; "" = this checkout's, or the image's /opt/hivebox/services/swarm/sidecar/main.mjs under the compiled binary. */
    script: z.string().default(''),
    /** Spawn mode: file keeping the sidecar's Noise key seed (created mode 0600), so the swarm key survives restarts; "" = a fresh key on every start. */
    seed_file: z.string().default(''),
    /** Spawn mode: hyperdht bootstrap nodes `HOST:PORT`; [] = hyperdht's public bootstrap nodes. */
    bootstrap: z.array(bootstrapNode).max(32).default([]),
    /** Spawn mode: address the DHT socket binds; "" = hyperdht's default (all interfaces). */
    host: z.string().default(''),
    /** Spawn mode: UDP port of the DHT socket; 0 = a fresh random port on every start. */
    port: z.number().int().min(0).max(65_535).default(0),
    /** Spawn mode: most swarm connections (client and server together). */
    max_peers: z.number().int().min(1).max(1_024).default(64),
    /** Spawn mode: re-announce and re-query the hive's topic every this many seconds. */
    refresh_s: z.number().int().min(1).max(3_600).default(60),
    /** A member bound over the swarm without a Lightning connection is dialled over Lightning (`connect`) at its swarm host; off = learned addresses are only logged. */
    autoconnect_lightning: z.boolean().default(false),
    /** Lightning port dialled at a learned swarm host (BOLT 1 default 9735). */
    lightning_port: z.number().int().min(1).max(65_535).default(9_735),
  })
  .strict();

/** Validated `[swarm]` section. */
export type SwarmSettings = z.infer<typeof SwarmSection>;

/**
 * Where the sidecar runs for these settings: the systemd unit's socket when `sidecar_socket` is
 * set (the spawn-mode keys are then unused), else a spawned `node` child with PROTOCOL.md options.
 */
export function sidecarTargetOf(s: SwarmSettings): SidecarTarget {
  if (s.sidecar_socket !== '') return { kind: 'socket', path: s.sidecar_socket };
  const args = [
    ...(s.seed_file !== '' ? ['--seed-file', s.seed_file] : []),
    ...(s.bootstrap.length > 0 ? ['--bootstrap', s.bootstrap.join(',')] : []),
    ...(s.host !== '' ? ['--host', s.host] : []),
    '--port',
    String(s.port),
    '--max-peers',
    String(s.max_peers),
    '--refresh-s',
    String(s.refresh_s),
  ];
  return { kind: 'spawn', node: s.node, ...(s.script !== '' ? { script: s.script } : {}), args };
}
