/** Management store (bun:sqlite): factory and types. */
export * from './mgmt-store.ts';

import { MgmtStore } from './mgmt-store.ts';

/** Open the management database at `path` (`:memory:` for an ephemeral one). */
export function openMgmtStore(path: string): MgmtStore {
  return new MgmtStore(path);
}
