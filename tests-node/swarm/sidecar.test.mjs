// The real sidecar on a local hyperswarm testnet bound to 127.0.0.1 (bun-platform-probe.md §5):
// discovery by topic, frames both ways, drop and block, connection cap, framing errors, unix
// socket mode, persistent key seed. Figures are printed as TAP diagnostics.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import createTestnet from '@hyperswarm/testnet'
import Hyperswarm from 'hyperswarm'
import DHT from 'hyperdht'
import { LineProcess, liveLink, SIDECAR, startSidecar } from './fixtures/line-process.mjs'

let testnet
const procs = []
const topic = () => randomBytes(32).toString('hex')
/** A sidecar on the testnet; `--refresh-s 1` so a lookup missed under load is retried quickly. */
async function sidecar (name, extra = []) {
  const p = await startSidecar(testnet.bootstrap, name, ['--refresh-s', '1', ...extra])
  procs.push(p)
  return p
}
/** Wait limit for discovery: hyperswarm on a loaded VM can need a few refreshes. */
const LONG = { timeout_ms: 30000 }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

before(async () => { testnet = await createTestnet(3, { host: '127.0.0.1' }) })
after(async () => {
  await Promise.all(procs.map((p) => p.stop()))
  await testnet.destroy()
})

test('two sidecars on one topic discover each other and carry frames both ways intact', async (t) => {
  const a = await sidecar('a')
  const b = await sidecar('b')
  const tp = topic()
  const t0 = performance.now()
  b.send({ cmd: 'join', topic: tp, id: 1 })
  await b.waitFor((e) => e.event === 'joined' && e.id === 1)
  a.send({ cmd: 'join', topic: tp, id: 2 })
  const upA = await a.waitFor((e) => e.event === 'peer_up' && e.public_key === b.key, LONG)
  const upB = await b.waitFor((e) => e.event === 'peer_up' && e.public_key === a.key, LONG)
  t.diagnostic(`swarm_discovery_ms ${(Math.max(upA.at_ms, upB.at_ms) - t0).toFixed(1)}`)
  assert.equal(upA.host, '127.0.0.1')
  assert.equal(upA.initiator, true)
  assert.deepEqual(upA.topics, [tp])

  await liveLink(b, a)
  const sinceProbe = await liveLink(a, b)
  a.send({ cmd: 'stats', id: 6 })
  const before = await a.waitFor((e) => e.event === 'stats' && e.id === 6)
  const big = randomBytes(65535)
  a.send({ cmd: 'send', public_key: b.key, data: big.toString('base64') })
  const got = await b.waitFor((e) => e.event === 'frame' && e.public_key === a.key, { since: sinceProbe })
  assert.deepEqual(Buffer.from(got.data, 'base64'), big)

  const rtts = []
  for (let i = 0; i < 20; i++) {
    const payload = Buffer.from(`HIVE{"type":32769,"version":1,"payload":{"i":${i}}}`)
    const since = a.mark()
    const sinceB = b.mark()
    const t1 = performance.now()
    a.send({ cmd: 'send', public_key: b.key, data: payload.toString('base64') })
    const atB = await b.waitFor((e) => e.event === 'frame', { since: sinceB })
    b.send({ cmd: 'send', public_key: a.key, data: atB.data })
    const back = await a.waitFor((e) => e.event === 'frame', { since })
    rtts.push(back.at_ms - t1)
    assert.deepEqual(Buffer.from(back.data, 'base64'), payload)
  }
  t.diagnostic(`swarm_frame_rtt_ms ${median(rtts).toFixed(2)} (median of 20, sidecar to sidecar incl. stdio)`)

  a.send({ cmd: 'stats', id: 7 })
  const stats = await a.waitFor((e) => e.event === 'stats' && e.id === 7)
  assert.equal(stats.connections, 1)
  assert.equal(stats.frames_out - before.frames_out, 21)
  assert.ok(stats.frames_in - before.frames_in >= 20, `frames_in grew by ${stats.frames_in - before.frames_in}`)
})

test('sidecars joining one topic at the same moment still meet (--refresh-s); another topic never meets them', async () => {
  const a = await sidecar('x1')
  const b = await sidecar('x2')
  const c = await sidecar('x3')
  const shared = topic()
  a.send({ cmd: 'join', topic: topic(), id: 1 })
  b.send({ cmd: 'join', topic: shared, id: 1 })
  c.send({ cmd: 'join', topic: shared, id: 1 })
  await Promise.all([a, b, c].map((p) => p.waitFor((e) => e.event === 'joined')))
  await c.waitFor((e) => e.event === 'peer_up' && e.public_key === b.key, LONG)
  await new Promise((r) => setTimeout(r, 1500))
  assert.deepEqual(a.all((e) => e.event === 'peer_up'), [])
})

test('drop with block_s closes the connection and refuses the key, also when it dials directly', async () => {
  const a = await sidecar('blk-a')
  const b = await sidecar('blk-b')
  const tp = topic()
  b.send({ cmd: 'join', topic: tp, id: 1 })
  await b.waitFor((e) => e.event === 'joined')
  // Only a dials (b cannot discover a): when both dial at once, hyperswarm's duplicate resolution
  // can leave each side holding the stream the other closed, which is the gate's job to heal
  // (README "Observed behaviour"), not what this test is about.
  a.send({ cmd: 'connect', public_key: b.key })
  await b.waitFor((e) => e.event === 'peer_up' && e.public_key === a.key, LONG)
  const since = b.mark()
  b.send({ cmd: 'drop', public_key: a.key, reason: 'unbound', block_s: 600 })
  const down = await b.waitFor((e) => e.event === 'peer_down' && e.public_key === a.key, { since })
  assert.equal(down.reason, 'dropped: unbound')
  await a.waitFor((e) => e.event === 'peer_down' && e.public_key === b.key)
  a.send({ cmd: 'connect', public_key: b.key })
  await new Promise((r) => setTimeout(r, 1500))
  assert.deepEqual(b.all((e) => e.event === 'peer_up', since), [])
  b.send({ cmd: 'stats', id: 2 })
  assert.equal((await b.waitFor((e) => e.event === 'stats' && e.id === 2)).blocked, 1)
})

test('--max-peers caps connections', async () => {
  const hub = await sidecar('hub', ['--max-peers', '1'])
  const tp = topic()
  hub.send({ cmd: 'join', topic: tp, id: 1 })
  await hub.waitFor((e) => e.event === 'joined')
  const spokes = await Promise.all([sidecar('s1'), sidecar('s2'), sidecar('s3')])
  for (const s of spokes) s.send({ cmd: 'join', topic: tp })
  await hub.waitFor((e) => e.event === 'peer_up', LONG)
  await new Promise((r) => setTimeout(r, 1000))
  hub.send({ cmd: 'stats', id: 2 })
  assert.equal((await hub.waitFor((e) => e.event === 'stats' && e.id === 2)).connections, 1)
})

test('bad commands and sends to unknown keys are errors; a zero-length frame from a peer drops it', async () => {
  const a = await sidecar('err-a')
  a.send({ cmd: 'send', public_key: 'cd'.repeat(32), data: 'SElWRQ==', id: 3 })
  assert.equal((await a.waitFor((e) => e.event === 'error' && e.id === 3)).code, 'no_connection')
  a.send({ cmd: 'send', public_key: 'cd'.repeat(32), data: Buffer.alloc(65536).toString('base64'), id: 4 })
  assert.equal((await a.waitFor((e) => e.event === 'error' && e.id === 4)).code, 'bad_command')

  const raw = new Hyperswarm({ dht: new DHT({ bootstrap: testnet.bootstrap, host: '127.0.0.1' }) })
  raw.on('connection', (conn) => { conn.on('error', () => {}); conn.write(Buffer.from([0, 0])) })
  const tp = topic()
  a.send({ cmd: 'join', topic: tp, id: 5 })
  await a.waitFor((e) => e.event === 'joined' && e.id === 5)
  raw.join(Buffer.from(tp, 'hex'))
  const rawKey = raw.keyPair.publicKey.toString('hex')
  assert.equal((await a.waitFor((e) => e.event === 'error' && e.code === 'frame_error', LONG)).public_key, rawKey)
  assert.equal((await a.waitFor((e) => e.event === 'peer_down' && e.public_key === rawKey)).reason, 'frame_error')
  await raw.destroy()
})

test('unix socket mode serves one daemon session, refuses a second, and exits when the session ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hivebox-swarm-'))
  const path = join(dir, 'swarm.sock')
  const boot = testnet.bootstrap.map((b) => `${b.host}:${b.port}`).join(',')
  const proc = new LineProcess(process.execPath, [SIDECAR, '--socket', path, '--host', '127.0.0.1', '--bootstrap', boot], 'sock')
  let sock
  for (let i = 0; i < 50 && !sock; i++) {
    sock = await new Promise((resolve) => {
      const s = connect(path, () => resolve(s))
      s.on('error', () => resolve(undefined))
    })
    if (!sock) await new Promise((r) => setTimeout(r, 50))
  }
  assert.ok(sock, 'socket never came up')
  assert.equal(statSync(path).mode & 0o777, 0o600)
  const lines = []
  createInterface({ input: sock }).on('line', (l) => lines.push(JSON.parse(l)))
  const second = await new Promise((resolve) => {
    const s = connect(path)
    createInterface({ input: s }).once('line', (l) => resolve(JSON.parse(l)))
  })
  assert.equal(second.code, 'busy')
  sock.write('{"cmd":"stats","id":1}\n')
  while (!lines.some((e) => e.event === 'stats')) await new Promise((r) => setTimeout(r, 20))
  assert.equal(lines[0].event, 'ready')
  sock.write('{"cmd":"shutdown"}\n')
  assert.deepEqual(await proc.exited, { code: 0, signal: null })
})

test('--seed-file keeps the swarm key across restarts and is written 0600', async () => {
  const seedFile = join(mkdtempSync(join(tmpdir(), 'hivebox-seed-')), 'swarm.seed')
  const first = await sidecar('seed1', ['--seed-file', seedFile])
  await first.stop()
  assert.equal(statSync(seedFile).mode & 0o777, 0o600)
  assert.match(readFileSync(seedFile, 'utf8'), /^[0-9a-f]{64}\n$/)
  const second = await sidecar('seed2', ['--seed-file', seedFile])
  assert.equal(second.key, first.key)
})

test('stdin closing (the daemon died) shuts the sidecar down cleanly', async () => {
  const p = await sidecar('eof')
  p.child.stdin.end()
  assert.deepEqual(await p.exited, { code: 0, signal: null })
  assert.equal(p.events.at(-1).event, 'closed')
})
