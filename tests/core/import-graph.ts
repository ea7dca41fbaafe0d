/**
 * The rooms of the source tree and the helpers the boundary test reads the import graph with
 * (ARCHITECTURE.md "Rooms"). A room may import itself and the rooms below it, never above.
 */

/** The rooms, bottom first; each is a list of path prefixes (repository-relative). */
export const ROOMS: readonly (readonly string[])[] = [
  ['runtime/core/'],
  ['hw/', 'services/'],
  ['runtime/node/'],
  ['runtime/config/'],
  ['runtime/daemon/'],
  ['runtime/sim/'],
  ['runtime/demo/', 'runtime/firstboot/'],
  ['runtime/cli/'],
  ['runtime/build/'],
];

/** Files outside the rooms that any room may read (the package manifest, for the version). */
const SHARED = new Set(['package.json']);

/** The index of the room `file` lies in (repository-relative path); -1 outside every room, and lowest for a shared file. */
export function roomOf(file: string): number {
  if (SHARED.has(file)) return 0;
  return ROOMS.findIndex((prefixes) => prefixes.some((p) => file.startsWith(p)));
}

/**
 * The area of `file`: its folder one level inside runtime/core, runtime/node, runtime/sim,
 * services and hw (e.g. `runtime/core/wire`, `services/store`), else its runtime/ folder; files
 * directly inside such a room (runtime/node/engine.ts, hw/clock.ts) form the room's own area.
 */
export function areaOf(file: string): string {
  const p = file.split('/');
  if (p[0] === 'runtime' && ['core', 'node', 'sim'].includes(p[1]!)) return p.length > 3 ? p.slice(0, 3).join('/') : p.slice(0, 2).join('/');
  if (p[0] === 'runtime') return p.slice(0, 2).join('/');
  return p.length > 2 ? p.slice(0, 2).join('/') : p[0]!;
}

/** The package an import specifier names: `@scope/name` or `name` (`node:fs` → `node:fs`). */
export function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The strongly connected components with more than one node (Tarjan), each sorted; sorted by first member. */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
