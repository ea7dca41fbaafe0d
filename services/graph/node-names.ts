/**
 * Node ids and aliases by node index, for graph formats that carry only indexes (gossmap-compressed).
 * Two sources: CLN's node map (`gossmap-compress --output-node-map`: one `index:node_id:alias` line
 * per node, e.g. `gossip-store-2026-02-03-node-map.xz`), or a CLN `listnodes` JSON whose order is
 * the index order (shared/data `listnodes-2026-02-03.derived.json.gz`). Both are validated: lowercase
 * 66-hex ids, consecutive indexes, no duplicates.
 */
import { isNodeId } from '../../runtime/core/types.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { GraphLoadError } from './errors.ts';
import { GRAPH_LIMITS } from './limits.ts';

/** Node ids (66-hex) and aliases ('' when unknown), index = node index. */
export interface NodeNames {
  readonly ids: readonly string[];
  readonly aliases: readonly string[];
}

function checkUnique(ids: readonly string[]): Result<void, GraphLoadError> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return err({ kind: 'DuplicateNodeId', node_id: id });
    seen.add(id);
  }
  return ok(undefined);
}

function clampAlias(alias: string): string {
  return alias.length > GRAPH_LIMITS.maxAliasChars ? alias.slice(0, GRAPH_LIMITS.maxAliasChars) : alias;
}

/**
 * Parse CLN's node map text. Line k (1-based) must be `k-1:<node_id>:<alias>`; the alias may contain ':'.
 * @returns NodeNames, or NodeNamesInvalid (line number, reason) / DuplicateNodeId / TooLarge.
 */
export function parseNodeMap(text: string): Result<NodeNames, GraphLoadError> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > GRAPH_LIMITS.maxNodes) return err({ kind: 'TooLarge', what: 'node map lines', limit: GRAPH_LIMITS.maxNodes });
  const ids = new Array<string>(lines.length);
  const aliases = new Array<string>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c1 = line.indexOf(':');
    const c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
    if (c2 < 0) return err({ kind: 'NodeNamesInvalid', line: i + 1, reason: 'expected index:node_id:alias' });
    if (line.slice(0, c1) !== String(i)) return err({ kind: 'NodeNamesInvalid', line: i + 1, reason: `index must be ${i}` });
    const id = line.slice(c1 + 1, c2);
    if (!isNodeId(id)) return err({ kind: 'NodeNamesInvalid', line: i + 1, reason: 'node_id is not 66 lowercase hex starting 02/03' });
    ids[i] = id;
    aliases[i] = clampAlias(line.slice(c2 + 1));
  }
  const unique = checkUnique(ids);
  return unique.ok ? ok({ ids, aliases }) : unique;
}

/**
 * Read `{"nodes":[{"nodeid","alias"?},…]}` (CLN listnodes) in listing order.
 * @returns NodeNames, or BadJson / BadEntry / DuplicateNodeId / TooLarge.
 */
export function nodeNamesFromListNodes(json: unknown): Result<NodeNames, GraphLoadError> {
  const nodes = (json as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return err({ kind: 'BadJson', reason: 'expected an object with a "nodes" array (CLN listnodes)' });
  if (nodes.length > GRAPH_LIMITS.maxNodes) return err({ kind: 'TooLarge', what: 'listnodes entries', limit: GRAPH_LIMITS.maxNodes });
  const ids = new Array<string>(nodes.length);
  const aliases = new Array<string>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as { nodeid?: unknown; alias?: unknown } | null;
    if (!isNodeId(node?.nodeid)) return err({ kind: 'BadEntry', index: i, field: 'nodeid', reason: 'not a 66-hex node id' });
    if (node.alias !== undefined && typeof node.alias !== 'string') return err({ kind: 'BadEntry', index: i, field: 'alias', reason: 'not a string' });
    ids[i] = node.nodeid;
    aliases[i] = clampAlias(node.alias ?? '');
  }
  const unique = checkUnique(ids);
  return unique.ok ? ok({ ids, aliases }) : unique;
}
