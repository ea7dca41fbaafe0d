// The hyperswarm side of the sidecar: one Hyperswarm instance, its connections, length-prefixed
// frames on each Noise stream, key blocks, and counters. It only moves bytes; deciding which peer
// is a fleet member is the daemon's job (runtime/core/swarm/gate.ts).

import Hyperswarm from 'hyperswarm'
import DHT from 'hyperdht'
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from './framing.mjs'

/** Protocol version announced in `ready` (services/swarm/PROTOCOL.md). */
export const PROTOCOL_VERSION = 1
/** A connection whose unsent bytes exceed this is not written to (`backpressure` error). */
export const MAX_BUFFERED_BYTES = 1 << 20
/** A dropped connection gets this long to flush what we queued before it is destroyed. */
export const DROP_GRACE_MS = 1000
/** Every connection sends an empty Noise frame this often when it has nothing else to send. */
export const KEEPALIVE_MS = 2000
/**
 * A connection that has received nothing (not even a keep-alive) for this long is destroyed.
 * hyperswarm's duplicate resolution sometimes leaves a stream open on one side only; that side
 * would keep it, refuse the peer's new dials as duplicates and never see peer_down. Live peers send
 * keep-alives at least every 5 s (hyperdht's default; ours 2 s), so only such a dead stream goes
 * quiet this long; destroying it lets hyperswarm dial again.
 */
export const IDLE_TIMEOUT_MS = 7000

const hex = (buf) => Buffer.from(buf).toString('hex')

/**
 * @typedef {(event: Record<string, unknown>) => void} Emit  writes one event line to the daemon
 * @typedef {{ conn: import('stream').Duplex & { remotePublicKey: Buffer, rawStream: { remoteHost: string, remotePort: number } }, reason: string, dropped: boolean }} Entry
 */

export class SwarmHost {
  /**
   * @param {import('./options.mjs').SidecarOptions} options
   * @param {Buffer | undefined} seed 32-byte key seed (stable swarm key), or undefined for a fresh key
   * @param {Emit} emit
   */
  constructor (options, seed, emit) {
    this.options = options
    this.emit = emit
    /** @type {Map<string, Entry>} */
    this.conns = new Map()
    /** @type {Map<string, number>} swarm key hex → blocked until (ms since epoch) */
    this.blocks = new Map()
    /** @type {Map<string, { refresh: (o: object) => Promise<void> }>} topic hex → hyperswarm PeerDiscovery */
    this.topics = new Map()
    this.counters = { frames_in: 0, frames_out: 0, bytes_in: 0, bytes_out: 0, frames_refused: 0, connections_total: 0, connections_refused: 0 }
    this.started_ms = Date.now()
    // hyperdht would take 49737.. by default. A sidecar restarted after a crash then reuses the dead
    // one's port, and peers still holding streams to that address leave the new connections
    // half-open for seconds (seen on the local testnet); a fresh random port avoids that.
    const dhtOptions = { port: options.port === 0 ? [0, 0] : options.port }
    if (options.bootstrap) dhtOptions.bootstrap = options.bootstrap
    if (options.host) dhtOptions.host = options.host
    this.swarm = new Hyperswarm({
      seed,
      maxPeers: options.maxPeers,
      dht: new DHT(dhtOptions),
      firewall: (remotePublicKey) => this.isBlocked(hex(remotePublicKey))
    })
    this.swarm.on('connection', (conn, info) => this.onConnection(conn, info))
    this.refreshTimer = setInterval(() => this.refreshTopics(), options.refreshS * 1000)
    this.refreshTimer.unref()
  }

  /**
   * Re-announce and re-query every joined topic. hyperswarm refreshes every 10 minutes; two
   * members that join at the same moment can each query before the other's announce lands, so
   * the sidecar refreshes on its own, shorter interval (`--refresh-s`).
   */
  refreshTopics () {
    for (const discovery of this.topics.values()) discovery.refresh({ client: true, server: true }).catch(() => {})
  }

  /** Wait for the DHT socket, then announce `ready` with our Noise public key. */
  async start () {
    await this.swarm.dht.ready()
    this.emit({
      event: 'ready',
      version: PROTOCOL_VERSION,
      public_key: hex(this.swarm.keyPair.publicKey),
      max_frame_bytes: MAX_FRAME_BYTES,
      dht: { host: this.swarm.dht.host, port: this.swarm.dht.port }
    })
  }

  /** @param {string} key */
  isBlocked (key) {
    const until = this.blocks.get(key)
    return until !== undefined && until > Date.now()
  }

  /** @param {Entry['conn']} conn @param {{ client: boolean, topics: Buffer[] }} info */
  onConnection (conn, info) {
    const key = hex(conn.remotePublicKey)
    if (!this.conns.has(key) && this.conns.size >= this.options.maxPeers) {
      this.counters.connections_refused++
      conn.on('error', () => {})
      conn.destroy()
      return
    }
    /** @type {Entry} */
    const entry = { conn, reason: 'closed', dropped: false }
    conn.setKeepAlive(KEEPALIVE_MS)
    conn.setTimeout(IDLE_TIMEOUT_MS)
    this.conns.set(key, entry)
    this.counters.connections_total++
    this.emit({
      event: 'peer_up',
      public_key: key,
      host: conn.rawStream.remoteHost,
      port: conn.rawStream.remotePort,
      initiator: info.client,
      topics: info.topics.map(hex)
    })
    const decoder = new FrameDecoder()
    conn.on('data', (chunk) => {
      let frames
      try {
        frames = decoder.push(chunk)
      } catch (e) {
        entry.reason = 'frame_error'
        this.emit({ event: 'error', code: 'frame_error', message: e.message, public_key: key })
        conn.destroy()
        return
      }
      if (entry.dropped) return
      for (const frame of frames) {
        this.counters.frames_in++
        this.counters.bytes_in += frame.length
        this.emit({ event: 'frame', public_key: key, data: frame.toString('base64') })
      }
    })
    // A Noise stream is a streamx Duplex: the peer's end() ends only our readable side, and 'close'
    // waits for our writable side too. Finish ours at once, or a peer that dropped us leaves this
    // side half-open (no peer_down, no redial) until UDX gives up on the silent stream.
    conn.on('end', () => conn.end())
    conn.on('error', (e) => { if (entry.reason === 'closed') entry.reason = `error: ${e.code || e.message}` })
    conn.on('close', () => {
      if (this.conns.get(key) !== entry) return
      this.conns.delete(key)
      this.emit({ event: 'peer_down', public_key: key, reason: entry.reason })
    })
  }

  /**
   * Execute one parsed command (see commands.mjs). Failures become `error` events; never throws.
   * @param {import('./commands.mjs').Command} c
   */
  async handle (c) {
    const reply = (event) => this.emit(c.id === undefined ? event : { ...event, id: c.id })
    try {
      switch (c.cmd) {
        case 'join': {
          const discovery = this.swarm.join(Buffer.from(c.topic, 'hex'), { server: true, client: true })
          this.topics.set(c.topic, discovery)
          await discovery.flushed()
          reply({ event: 'joined', topic: c.topic })
          return
        }
        case 'leave':
          this.topics.delete(c.topic)
          await this.swarm.leave(Buffer.from(c.topic, 'hex'))
          reply({ event: 'left', topic: c.topic })
          return
        case 'connect':
          this.swarm.joinPeer(Buffer.from(c.public_key, 'hex'))
          return
        case 'send':
          this.send(c, reply)
          return
        case 'drop':
          this.drop(c)
          return
        case 'stats':
          reply({ event: 'stats', ...this.stats() })
      }
    } catch (e) {
      reply({ event: 'error', code: 'swarm_error', message: `${c.cmd}: ${e.message}` })
    }
  }

  /** @param {{ public_key: string, data: Buffer }} c @param {(e: object) => void} reply */
  send (c, reply) {
    const entry = this.conns.get(c.public_key)
    if (!entry) {
      this.counters.frames_refused++
      reply({ event: 'error', code: 'no_connection', message: 'no connection to that key', public_key: c.public_key })
      return
    }
    if (entry.conn.writableLength > MAX_BUFFERED_BYTES) {
      this.counters.frames_refused++
      reply({ event: 'error', code: 'backpressure', message: 'peer is not reading', public_key: c.public_key })
      return
    }
    entry.conn.write(encodeFrame(c.data))
    this.counters.frames_out++
    this.counters.bytes_out += c.data.length
  }

  /**
   * Close the connection to a key and, for `block_s` > 0, refuse it (both directions) until then.
   * Frames already queued (our binding) are flushed first, so the peer learns why; its further
   * frames are ignored, and the stream is destroyed after DROP_GRACE_MS whatever the peer does.
   */
  drop (c) {
    if (c.block_s > 0) {
      this.blocks.set(c.public_key, Date.now() + c.block_s * 1000)
      setTimeout(() => this.unblock(c.public_key), c.block_s * 1000).unref()
    }
    const entry = this.conns.get(c.public_key)
    if (!entry) return
    entry.reason = `dropped: ${c.reason}`
    entry.dropped = true
    entry.conn.end()
    setTimeout(() => entry.conn.destroy(), DROP_GRACE_MS).unref()
  }

  /** @param {string} key */
  unblock (key) {
    if (this.isBlocked(key)) return
    this.blocks.delete(key)
    this.swarm.peers.get(key)?.ban(false)
  }

  stats () {
    return {
      public_key: hex(this.swarm.keyPair.publicKey),
      connections: this.conns.size,
      connecting: this.swarm.connecting,
      topics: [...this.topics.keys()],
      blocked: [...this.blocks.keys()].filter((k) => this.isBlocked(k)).length,
      uptime_ms: Date.now() - this.started_ms,
      ...this.counters
    }
  }

  /** Leave everything and close every connection and the DHT socket. */
  async close () {
    clearInterval(this.refreshTimer)
    await this.swarm.destroy()
  }
}
