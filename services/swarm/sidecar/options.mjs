// Command-line options of the sidecar (services/swarm/PROTOCOL.md "Starting the sidecar").

const USAGE = 'usage: node services/swarm/sidecar/main.mjs [--socket PATH] [--seed-file PATH] [--bootstrap HOST:PORT[,HOST:PORT…]] [--host ADDR] [--max-peers N] [--refresh-s S] [--port N]'

/**
 * @typedef {object} SidecarOptions
 * @property {string | null} socket  unix socket path to serve one client on; null = stdio
 * @property {string | null} seedFile  file holding the 32-byte key seed (hex); created 0600 when missing
 * @property {{ host: string, port: number }[] | null} bootstrap  DHT bootstrap nodes; null = hyperdht's public ones
 * @property {string | null} host  address the DHT binds (tests: 127.0.0.1)
 * @property {number} maxPeers  connection cap (client and server connections together)
 * @property {number} refreshS  seconds between topic re-announcements and lookups
 * @property {number} port  UDP port of the DHT socket; 0 = a random free port on each start
 */

/** Integer options: flag → field and accepted range. */
const INTEGER_OPTIONS = {
  '--max-peers': { key: 'maxPeers', min: 1, max: 1024 },
  '--port': { key: 'port', min: 0, max: 65535 },
  '--refresh-s': { key: 'refreshS', min: 1, max: 3600 }
}

/**
 * @param {string[]} argv arguments after the script name
 * @returns {{ ok: true, options: SidecarOptions } | { ok: false, message: string }}
 */
export function parseOptions (argv) {
  /** @type {SidecarOptions} */
  const o = { socket: null, seedFile: null, bootstrap: null, host: null, maxPeers: 64, refreshS: 60, port: 0 }
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]
    const value = argv[i + 1]
    if (value === undefined) return { ok: false, message: `${flag}: missing value\n${USAGE}` }
    const range = INTEGER_OPTIONS[flag]
    if (range) {
      const n = Number(value)
      if (!Number.isSafeInteger(n) || n < range.min || n > range.max) return { ok: false, message: `${flag}: ${range.min}..${range.max}, got ${value}` }
      o[range.key] = n
      continue
    }
    switch (flag) {
      case '--socket': o.socket = value; break
      case '--seed-file': o.seedFile = value; break
      case '--host': o.host = value; break
      case '--bootstrap': {
        const nodes = []
        for (const part of value.split(',').filter(Boolean)) {
          const at = part.lastIndexOf(':')
          const port = Number(part.slice(at + 1))
          if (at <= 0 || !Number.isSafeInteger(port) || port < 1 || port > 65535) return { ok: false, message: `--bootstrap: bad node ${part}` }
          nodes.push({ host: part.slice(0, at), port })
        }
        o.bootstrap = nodes
        break
      }
      default:
        return { ok: false, message: `unknown option ${flag}\n${USAGE}` }
    }
  }
  return { ok: true, options: o }
}
