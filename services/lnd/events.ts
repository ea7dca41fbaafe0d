/**
 * What the Hivebox plugin does inside lightningd, done by the daemon against LND's streams
 * (issue 18 §2; lightning.proto):
 *  - `SubscribeCustomMessages`: every incoming custom message (types ≥ 32768, plus those in lnd.conf
 *    `protocol.custom-message`) → `sink.custommsg(peer, type ‖ data)`;
 *  - `SubscribePeerEvents`: PEER_ONLINE / PEER_OFFLINE → `sink.connected` / `sink.disconnected`
 *    (peers already connected are reported once from `ListPeers` when the stream opens);
 *  - `ChannelAcceptor`: each open request is answered with `sink.acceptChannel(peer)`; a refusal
 *    carries `CHANNEL_REFUSAL` (lnd sends it to the peer as the error).
 * A stream that ends or fails (lnd restarting) is opened again after `retry_ms`; each outage is logged once.
 */
import type { NodeEvents, NodeEventSink } from '../../runtime/core/ports.ts';
import { toHex } from '../../runtime/core/types.ts';
import { unary, type LndServices } from './client.ts';

/** The error a refused opener sees: the words the plugin's openchannel hook uses (services/cln-plugin `OPENCHANNEL_REFUSAL`), naming no reason. */
export const CHANNEL_REFUSAL = 'Channel refused by this node';

/** How long to wait before opening a failed stream again, ms. */
const RETRY_MS = 2_000;

interface GrpcStream {
  on(event: 'data', fn: (m: Record<string, unknown>) => void): void;
  on(event: 'error' | 'end', fn: (e?: { details?: string; message?: string }) => void): void;
  cancel(): void;
  write?(m: Record<string, unknown>): void;
}

/** LND's node events for a daemon (`NodeBackend.events` of the LND backend). */
export function lndEvents(lnd: LndServices, retry_ms = RETRY_MS): NodeEvents {
  return {
    subscribe(sink: NodeEventSink, log) {
      let stopped = false;
      const open = new Set<GrpcStream>();
      const timers = new Set<ReturnType<typeof setTimeout>>();
      const keep = (name: string, start: () => GrpcStream, onOpen?: () => void) => {
        let failing = false;
        const run = () => {
          if (stopped) return;
          const s = start();
          open.add(s);
          onOpen?.();
          const again = (e?: { details?: string; message?: string }) => {
            open.delete(s);
            if (stopped) return;
            if (!failing) log('warn', 'lnd_stream_lost', { stream: name, error: e?.details ?? e?.message ?? 'ended' });
            failing = true;
            const t = setTimeout(() => {
              timers.delete(t);
              run();
            }, retry_ms);
            timers.add(t);
          };
          s.on('data', () => {
            if (failing) log('info', 'lnd_stream_back', { stream: name });
            failing = false;
          });
          s.on('error', again);
          s.on('end', again);
          return s;
        };
        run();
      };
      const call = (method: string, arg?: Record<string, unknown>) => (lnd.lightning[method] as (a?: Record<string, unknown>) => GrpcStream).call(lnd.lightning, arg);

      keep('SubscribeCustomMessages', () => {
        const s = call('SubscribeCustomMessages', {});
        s.on('data', (m) => {
          if (!(m.peer instanceof Uint8Array) || !(m.data instanceof Uint8Array) || typeof m.type !== 'number' || m.type < 0 || m.type > 0xffff) return;
          sink.custommsg(toHex(m.peer), m.type.toString(16).padStart(4, '0') + toHex(m.data));
        });
        return s;
      });
      keep(
        'SubscribePeerEvents',
        () => {
          const s = call('SubscribePeerEvents', {});
          s.on('data', (m) => {
            if (typeof m.pub_key !== 'string') return;
            if (m.type === 'PEER_ONLINE') sink.connected(m.pub_key);
            else if (m.type === 'PEER_OFFLINE') sink.disconnected(m.pub_key);
          });
          return s;
        },
        () => {
          void unary<{ peers: { pub_key: string }[] }>(lnd.lightning, 'ListPeers', {}, 30_000).then((r) => {
            if (r.ok && !stopped) for (const p of r.value.peers) sink.connected(p.pub_key);
          });
        },
      );
      keep('ChannelAcceptor', () => {
        const s = call('ChannelAcceptor');
        s.on('data', (req) => {
          if (!(req.node_pubkey instanceof Uint8Array)) return;
          const accept = sink.acceptChannel(toHex(req.node_pubkey));
          s.write?.({ pending_chan_id: req.pending_chan_id, accept, error: accept ? '' : CHANNEL_REFUSAL });
        });
        return s;
      });
      return {
        stop() {
          stopped = true;
          for (const t of timers) clearTimeout(t);
          for (const s of open) s.cancel();
          open.clear();
        },
      };
    },
  };
}
