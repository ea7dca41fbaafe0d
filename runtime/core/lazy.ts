/**
 * A value built on its first use and kept (issue 19 §4): module-level tables that take
 * milliseconds to build (the Hive payloads' zod schemas) are built when a message first needs
 * them, not while every `hivebox` command loads its modules on the way to READY.
 *
 * JavaScript runs one call at a time, so the first call builds and every later call returns that
 * same value. A build that throws leaves nothing behind (the next call builds again); a build that
 * reads its own value while building throws instead of returning a half-built one.
 */

/** The getter of a value `build` makes once, on the first call. @throws what `build` throws; Error on a re-entrant read. */
export function lazy<T>(build: () => T): () => T {
  let state: 'unbuilt' | 'building' | 'built' = 'unbuilt';
  let value: T;
  return () => {
    if (state === 'built') return value;
    if (state === 'building') throw new Error('lazy value read while it is being built');
    state = 'building';
    try {
      value = build();
      state = 'built';
    } finally {
      if (state === 'building') state = 'unbuilt';
    }
    return value;
  };
}
