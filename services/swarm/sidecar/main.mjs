#!/usr/bin/env node
// hivebox swarm sidecar: runs hyperswarm for the Bun daemon, which cannot load it (udx-native needs
// libuv; bun-platform-probe.md §5). Speaks the JSON-lines protocol of services/swarm/PROTOCOL.md on
// stdio (spawned by the daemon) or on a unix socket (run by systemd/hivebox-swarm.service).
// One session per process: when the daemon's stream ends, the sidecar shuts down and exits 0.

import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { parseCommand } from './commands.mjs'
import { parseOptions } from './options.mjs'
import { SwarmHost } from './swarm-host.mjs'

/** Read the 32-byte seed (64 hex) at `path`, creating it with mode 0600 when missing. */
function loadSeed (path) {
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim()
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path}: expected 64 lowercase hex characters`)
    return Buffer.from(text, 'hex')
  }
  const seed = randomBytes(32)
  writeFileSync(`${path}.tmp`, seed.toString('hex') + '\n', { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
  return seed
}

/**
 * Run one daemon session over `input` (command lines) and `write` (event lines) until the input
 * ends, a `shutdown` arrives, or `stop` is called.
 */
async function runSession (input, write, options, seed) {
  const emit = (event) => write(JSON.stringify(event) + '\n')
  const host = new SwarmHost(options, seed, emit)
  let closing = null
  const stop = () => { closing ??= host.close().then(() => emit({ event: 'closed' })); return closing }
  for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => stop().then(() => process.exit(0)))
  await host.start()
  const lines = createInterface({ input, crlfDelay: Infinity })
  for await (const line of lines) {
    if (!line.trim()) continue
    const parsed = parseCommand(line)
    if (!parsed.ok) {
      emit({ event: 'error', code: 'bad_command', message: parsed.message, ...(parsed.id === undefined ? {} : { id: parsed.id }) })
      continue
    }
    if (parsed.command.cmd === 'shutdown') break
    host.handle(parsed.command)
  }
  await stop()
}

function serveSocket (path, options, seed) {
  if (existsSync(path)) unlinkSync(path)
  let busy = false
  const server = createServer((socket) => {
    if (busy) {
      socket.end(JSON.stringify({ event: 'error', code: 'busy', message: 'another daemon session is active' }) + '\n')
      return
    }
    busy = true
    socket.on('error', () => {})
    runSession(socket, (line) => socket.write(line), options, seed)
      .catch((e) => process.stderr.write(`swarm sidecar: ${e.stack || e}\n`))
      .finally(() => { socket.end(); server.close(); process.exit(0) })
  })
  server.listen(path, () => chmodSync(path, 0o600))
  process.once('exit', () => { try { unlinkSync(path) } catch {} })
}

const parsed = parseOptions(process.argv.slice(2))
if (!parsed.ok) {
  process.stderr.write(parsed.message + '\n')
  process.exit(2)
}
const { options } = parsed
const seed = options.seedFile ? loadSeed(options.seedFile) : undefined
if (options.socket) {
  serveSocket(options.socket, options, seed)
} else {
  process.stdout.on('error', () => process.exit(0))
  runSession(process.stdin, (line) => process.stdout.write(line), options, seed)
    .then(() => process.exit(0))
    .catch((e) => { process.stderr.write(`swarm sidecar: ${e.stack || e}\n`); process.exit(1) })
}
