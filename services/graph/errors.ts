/**
 * Typed errors of the graph file readers. Every corrupt, truncated or oversized input ends in one of
 * these (returned, never thrown past `loadGraphFile` / the decoders), and nothing is half-loaded.
 */

/** Why a graph file could not be loaded. `offset` is a byte offset in the decompressed data. */
export type GraphLoadError =
  | { readonly kind: 'FileUnreadable'; readonly path: string; readonly reason: string }
  | { readonly kind: 'DecompressFailed'; readonly codec: 'gzip' | 'xz'; readonly reason: string }
  | { readonly kind: 'TooLarge'; readonly what: string; readonly limit: number }
  | { readonly kind: 'UnknownFormat'; readonly reason: string }
  | { readonly kind: 'BadHeader'; readonly reason: string }
  /** A gossip_store record whose crc32c does not match its message (`offset`: the record's header in the file). */
  | { readonly kind: 'BadChecksum'; readonly offset: number }
  | { readonly kind: 'Truncated'; readonly section: string; readonly offset: number }
  | { readonly kind: 'NonCanonicalBigsize'; readonly section: string; readonly offset: number }
  | { readonly kind: 'ValueOutOfRange'; readonly section: string; readonly index: number; readonly value: number; readonly limit: number }
  | { readonly kind: 'TrailingBytes'; readonly count: number }
  | { readonly kind: 'NodeNamesInvalid'; readonly line: number; readonly reason: string }
  | { readonly kind: 'NodeNamesTooShort'; readonly needed: number; readonly have: number }
  | { readonly kind: 'DuplicateNodeId'; readonly node_id: string }
  | { readonly kind: 'BadJson'; readonly reason: string }
  | { readonly kind: 'BadEntry'; readonly index: number; readonly field: string; readonly reason: string }
  | { readonly kind: 'InconsistentChannel'; readonly short_channel_id: string; readonly reason: string };

/** One line for humans (CLI stderr, logs). */
export function describeGraphLoadError(e: GraphLoadError): string {
  switch (e.kind) {
    case 'FileUnreadable':
      return `cannot read ${e.path}: ${e.reason}`;
    case 'DecompressFailed':
      return `${e.codec} decompression failed: ${e.reason}`;
    case 'TooLarge':
      return `${e.what} exceeds the limit of ${e.limit}`;
    case 'UnknownFormat':
      return `unknown graph file format: ${e.reason}`;
    case 'BadHeader':
      return `bad gossmap-compressed header: ${e.reason}`;
    case 'BadChecksum':
      return `gossip_store record at byte ${e.offset} fails its crc32c check`;
    case 'Truncated':
      return `file truncated in ${e.section} at byte ${e.offset}`;
    case 'NonCanonicalBigsize':
      return `non-canonical bigsize in ${e.section} at byte ${e.offset}`;
    case 'ValueOutOfRange':
      return `${e.section}[${e.index}] = ${e.value} is out of range (limit ${e.limit})`;
    case 'TrailingBytes':
      return `${e.count} unexpected bytes after the last section`;
    case 'NodeNamesInvalid':
      return `node list line ${e.line}: ${e.reason}`;
    case 'NodeNamesTooShort':
      return `node list has ${e.have} node ids but the graph uses ${e.needed}`;
    case 'DuplicateNodeId':
      return `node id ${e.node_id} listed twice`;
    case 'BadJson':
      return `not valid JSON: ${e.reason}`;
    case 'BadEntry':
      return `entry ${e.index}: ${e.field}: ${e.reason}`;
    case 'InconsistentChannel':
      return `channel ${e.short_channel_id}: ${e.reason}`;
  }
}

/** Internal carrier for a decoder's error; caught at the decoder's own boundary and returned as a value. */
export class GraphDecodeFailure {
  constructor(readonly error: GraphLoadError) {}
}
