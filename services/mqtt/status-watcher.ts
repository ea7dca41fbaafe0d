/**
 * The subscriber side of the status topics, for `hivebox status --watch`: follows
 * `<prefix>/<node>/availability|state|event/#` for one node or all (`+`), validates every inbound
 * state with the publisher's own schema (the LAN is untrusted: a bad payload is counted and shown
 * as such, never rendered), and keeps a per-node view.
 */
import { startMqttSession } from './session.ts';
import { type PublishedState, StatusSnapshotSchema } from './snapshot.ts';

/** What the watcher knows about one node. */
export interface NodeView {
  readonly nodeIdPrefix: string;
  availability: string | null;
  state: PublishedState | null;
  /** Last events, newest first (at most 10): kind and raw JSON text. */
  events: { kind: string; payload: string }[];
  /** State payloads that failed validation. */
  rejected: number;
}

/** How to connect. */
export interface WatchOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM text of the broker's CA. */
  readonly ca?: string;
  readonly prefix: string;
  /** One node id prefix, or `+` for every node on the broker. */
  readonly node: string;
  /** Called after every change with all known nodes. */
  readonly onChange: (nodes: ReadonlyMap<string, NodeView>) => void;
  readonly onError?: (message: string) => void;
}

/** A running watch. */
export interface StatusWatch {
  /** Disconnect and stop reconnecting. */
  stop(): Promise<void>;
}

const EVENTS_KEPT = 10;
const MAX_STATE_BYTES = 64 * 1024;

/** Subscribe (again after every reconnect, every second while the broker is away) and keep views up to date. */
export function watchStatus(opts: WatchOptions): StatusWatch {
  const nodes = new Map<string, NodeView>();
  const base = `${opts.prefix}/${opts.node}`;
  const onError = (line: string) => opts.onError?.(line.replace(/^mqtt: /, ''));
  const session = startMqttSession({
    url: opts.url,
    ...(opts.ca ? { ca: opts.ca } : {}),
    protocol: 'auto',
    client_id: `hivebox_watch_${crypto.randomUUID().slice(0, 8)}`,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    onUp: () =>
      void session.subscribe([`${base}/availability`, `${base}/state`, `${base}/event/#`]).then((r) => {
        if (!r.ok) onError(`subscribe failed: ${r.error}`);
      }),
    onMessage: ({ topic }, text) => onMessage(topic, text),
    log: onError,
  });
  const onMessage = (topic: string, text: string) => {
    const parts = topic.split('/');
    const id = parts[1];
    if (parts[0] !== opts.prefix || !id) return;
    const view = nodes.get(id) ?? { nodeIdPrefix: id, availability: null, state: null, events: [], rejected: 0 };
    nodes.set(id, view);
    if (parts[2] === 'availability' && parts.length === 3) view.availability = text || null;
    else if (parts[2] === 'state' && parts.length === 3) {
      if (!text) view.state = null;
      else view.state = parseState(text) ?? (view.rejected++, view.state);
    } else if (parts[2] === 'event' && parts.length === 4) {
      view.events = [{ kind: parts[3]!, payload: text.slice(0, 500) }, ...view.events].slice(0, EVENTS_KEPT);
    }
    opts.onChange(nodes);
  };
  return { stop: () => session.stop(1000) };
}

function parseState(text: string): PublishedState | null {
  if (text.length > MAX_STATE_BYTES) return null;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const r = StatusSnapshotSchema.safeParse(raw);
    if (!r.success || typeof raw.updated_at !== 'number' || typeof raw.sw_version !== 'string') return null;
    return { ...r.data, updated_at: raw.updated_at, sw_version: raw.sw_version };
  } catch {
    return null;
  }
}
