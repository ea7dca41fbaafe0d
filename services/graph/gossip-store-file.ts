/**
 * lightningd's `gossip_store` file on disk behind a `ResidentGossipStore`: each `refresh` reads only
 * the bytes appended since the previous one (plus the file's head, to notice a compacted
 * replacement), so a planner cycle costs what gossipd wrote meanwhile (issue 19 §2).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import { err, type Result } from '../../runtime/core/result.ts';
import { describeGraphLoadError, type GraphLoadError } from './errors.ts';
import { type ApplyReport, GOSSIP_STORE_HEAD_BYTES, ResidentGossipStore, storeIdentity } from './gossip-store.ts';

/** A gossip_store path and its resident graph. */
export class GossipStoreFile {
  private readonly store = new ResidentGossipStore();

  /** @param path lightningd's `<lightning-dir>/gossip_store`. */
  constructor(readonly path: string) {}

  /**
   * Apply what was appended since the last refresh (everything on the first, or after compaction).
   * @returns the report, or `FileUnreadable` / `BadHeader` with the resident graph unchanged.
   */
  refresh(): Result<ApplyReport, GraphLoadError> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      return err({ kind: 'FileUnreadable', path: this.path, reason: e instanceof Error ? e.message : String(e) });
    }
    try {
      const size = fstatSync(fd).size;
      const head = new Uint8Array(Math.min(size, GOSSIP_STORE_HEAD_BYTES));
      readSync(fd, head, 0, head.length, 0);
      const identity = storeIdentity(head);
      const fresh = this.store.nextOffset === 0 || size < this.store.nextOffset || identity !== this.store.fileIdentity;
      const start = fresh ? 0 : this.store.nextOffset;
      const chunk = new Uint8Array(size - start);
      readSync(fd, chunk, 0, chunk.length, start);
      return this.store.applyChunk(chunk, start, identity, size);
    } catch (e) {
      return err({ kind: 'FileUnreadable', path: this.path, reason: e instanceof Error ? e.message : String(e) });
    } finally {
      closeSync(fd);
    }
  }

  /** The live public graph (rebuilt only after a refresh changed it). */
  graph(): Graph {
    return this.store.graph();
  }
}

/**
 * The planner's public-graph source over lightningd's `gossip_store` at `path` (the daemon uses
 * `<dir of lightning.rpc_file>/gossip_store`, where lightningd keeps both): null while the file does
 * not exist (then the planner asks `listchannels`), else the refreshed resident graph or why not.
 */
export function gossipStoreGraph(path: string): () => Result<Graph, string> | null {
  const file = new GossipStoreFile(path);
  return () => {
    if (!existsSync(path)) return null;
    const r = file.refresh();
    return r.ok ? { ok: true, value: file.graph() } : err(describeGraphLoadError(r.error));
  };
}
