/**
 * Shared by `hivebox plan`, `hivebox demo` and `hivebox planner …`: resolve the graph file (`--graph`,
 * `[planner] graph`, the copy embedded in a compiled binary, or the 2026-02-03 mainnet
 * gossmap-compressed snapshot in ../shared/data beside the repo), load it with a progress line
 * on stderr, and turn `--members` into a fleet (default: the graph's three best-connected nodes).
 */
import { basename, dirname, join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { reportFailure } from '../json-error.ts';
import { newestScidBlock } from '../../core/planner/age.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../core/planner/config.ts';
import type { FleetMember } from '../../core/planner/share.ts';
import type { Graph } from '../../core/graph/graph.ts';
import { isNodeId } from '../../core/types.ts';
import { describeGraphLoadError, loadGraphFile, type GraphLoadError } from '../../../services/graph/index.ts';
import { EXIT } from '../exit-codes.ts';

/** The repository root (three levels above this file). */
export const REPO_ROOT = resolve(import.meta.dir, '../../..');

/** The default graph's file names: CLN's 2026-02-03 mainnet snapshot and its node map. */
export const DEFAULT_GRAPH_FILES = ['gossip-store-2026-02-03.compressed', 'gossip-store-2026-02-03-node-map.xz'] as const;

/** Default graph in a checkout: the snapshot in the shared data folder beside the repo. */
export const DEFAULT_GRAPH_PATH = join(REPO_ROOT, '../shared/data', DEFAULT_GRAPH_FILES[0]);

/**
 * The copy of the default graph embedded in a compiled binary (runtime/build/build.ts adds the
 * files as extra entry points when ../shared/data was at hand at build time; Bun names each
 * `<stem>-<hash>.<ext>` under the binary's /$bunfs/root). @returns graph and node map paths, or null.
 */
export function embeddedGraph(): { graph: string; nodes: string } | null {
  const found = DEFAULT_GRAPH_FILES.map((file) => {
    const dot = file.lastIndexOf('.');
    const [stem, ext] = [file.slice(0, dot), file.slice(dot)];
    const blob = Bun.embeddedFiles.find((b) => {
      const name = (b as Blob & { name: string }).name;
      return name === file || (name.startsWith(`${stem}-`) && name.endsWith(ext) && /^-[a-z0-9]+$/.test(name.slice(stem.length, -ext.length)));
    });
    return blob ? join(dirname(Bun.main), (blob as Blob & { name: string }).name) : null;
  });
  return found[0] && found[1] ? { graph: found[0], nodes: found[1] } : null;
}

/**
 * Which graph `hivebox plan` and `hivebox demo` read: `--graph` (with `--nodes`), else `[planner]
 * graph` from the configuration (`--config`, $HIVEBOX_CONFIG, HIVEBOX_PLANNER_GRAPH), else the copy
 * embedded in the binary, else the checkout's ../shared/data. @throws CliFailure (usage) for a bad
 * configuration, or when a compiled binary without an embedded graph is given none.
 */
export function resolveGraphSource(flags: { graph?: string; nodes?: string; config?: string }): { graph: string; nodes?: string } {
  const withNodes = (graph: string) => ({ graph, ...(flags.nodes ? { nodes: flags.nodes } : {}) });
  if (flags.graph) return withNodes(flags.graph);
  const cfg = loadConfig({ file: flags.config, env: process.env, home: process.env.HOME });
  if (!cfg.ok) throw new CliFailure(cfg.error.message, EXIT.usage);
  if (cfg.value.planner.graph) return withNodes(cfg.value.planner.graph);
  const embedded = embeddedGraph();
  if (embedded) return { graph: embedded.graph, nodes: flags.nodes ?? embedded.nodes };
  if (import.meta.dir.startsWith('/$bunfs/')) throw new CliFailure('this binary was built without the mainnet graph: pass --graph FILE or set [planner] graph', EXIT.usage);
  return withNodes(DEFAULT_GRAPH_PATH);
}

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
    reportFailure(null, e.message, e.exitCode);
    process.exit(e.exitCode);
  }
}
