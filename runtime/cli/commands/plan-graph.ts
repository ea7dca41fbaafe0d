/**
 * Shared by `hivebox plan` and `hivebox planner …`: resolve the graph file (default: the 2026-02-03
 * mainnet gossmap-compressed snapshot in ../shared/data beside the repo), load it with a progress line
 * on stderr, and turn `--members` into a fleet (default: the graph's three best-connected nodes).
 */
import { basename, join, resolve } from 'node:path';
import { newestScidBlock } from '../../core/planner/age.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../core/planner/config.ts';
import type { FleetMember } from '../../core/planner/share.ts';
import type { Graph } from '../../core/graph/graph.ts';
import { isNodeId } from '../../core/types.ts';
import { describeGraphLoadError, loadGraphFile, type GraphLoadError } from '../../../services/graph/index.ts';
import { EXIT } from '../exit-codes.ts';

/** The repository root (three levels above this file). */
export const REPO_ROOT = resolve(import.meta.dir, '../../..');

/** Default graph: CLN's 2026-02-03 mainnet snapshot in the shared data folder beside the repo. */
export const DEFAULT_GRAPH_PATH = join(REPO_ROOT, '../shared/data/gossip-store-2026-02-03.compressed');

/** A CLI failure: message for stderr and the exit code. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Load `path` with a one-line progress report on stderr. @throws CliFailure (unreadable: 1, corrupt: 2). */
export async function loadGraphWithProgress(path: string, nodesPath: string | undefined): Promise<Graph> {
  const t0 = Bun.nanoseconds();
  process.stderr.write(`loading graph ${basename(path)}:`);
  const loaded = await loadGraphFile(path, {
    ...(nodesPath ? { nodesPath } : {}),
    onProgress: (stage, file) => {
      if (file === path) process.stderr.write(` ${stage}…`);
      else if (stage === 'names') process.stderr.write(` node ids from ${basename(file)}…`);
    },
  });
  if (!loaded.ok) {
    process.stderr.write(' failed\n');
    throw new CliFailure(describeGraphLoadError(loaded.error), exitCodeOf(loaded.error));
  }
  const g = loaded.value.graph;
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  process.stderr.write(` done: ${g.nodeCount.toLocaleString('en-US')} nodes, ${g.channelCount.toLocaleString('en-US')} channels in ${ms.toFixed(0)} ms\n`);
  return g;
}

function exitCodeOf(e: GraphLoadError): number {
  return e.kind === 'FileUnreadable' ? EXIT.failure : EXIT.malformed;
}

/** Parse `--members a,b,c`, or default to the graph's three nodes with the most active channels. @throws CliFailure (usage). */
export function resolveMembers(g: Graph, list: string | undefined): FleetMember[] {
  if (list === undefined) {
    const order = [...g.activeChannelCount.keys()].sort((a, b) => g.activeChannelCount[b]! - g.activeChannelCount[a]! || a - b);
    return order.slice(0, 3).map((n) => ({ node_id: g.nodeIds[n]! }));
  }
  const ids = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = ids.find((id) => !isNodeId(id));
  if (bad !== undefined) throw new CliFailure(`--members: "${bad}" is not a 66-hex node id`, EXIT.usage);
  if (!ids.length) throw new CliFailure('--members: give at least one node id', EXIT.usage);
  return [...new Set(ids)].map((node_id) => ({ node_id }));
}

/** `--blockheight`, else the graph's newest real scid block (its snapshot tip), else 0. @throws CliFailure (usage). */
export function resolveBlockheight(g: Graph, value: string | undefined): number {
  if (value === undefined) return newestScidBlock(g, DEFAULT_PLANNER_CONFIG.min_plausible_scid_block) ?? 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliFailure(`--blockheight: "${value}" is not a block height`, EXIT.usage);
  return n;
}

/** Parse a positive integer option. @throws CliFailure (usage). */
export function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliFailure(`${name}: "${value}" is not a positive integer`, EXIT.usage);
  return n;
}

/** Run a command body, printing a CliFailure's message and exiting with its code. */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof CliFailure)) throw e;
    console.error(`hivebox: ${e.message}`);
    process.exit(e.exitCode);
  }
}
