// Command-line validation of the sidecar (services/swarm/PROTOCOL.md "Commands").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_LINE_CHARS, parseCommand } from '../../services/swarm/sidecar/commands.mjs'
import { parseOptions } from '../../services/swarm/sidecar/options.mjs'

const KEY = 'ab'.repeat(32)

test('well-formed commands parse, ids are echoed', () => {
  assert.deepEqual(parseCommand(`{"cmd":"join","topic":"${KEY}","id":4}`), { ok: true, command: { id: 4, cmd: 'join', topic: KEY } })
  const send = parseCommand(`{"cmd":"send","public_key":"${KEY}","data":"SElWRQ=="}`)
  assert.equal(send.ok, true)
  assert.deepEqual(send.command.data, Buffer.from('HIVE'))
  assert.deepEqual(parseCommand(`{"cmd":"drop","public_key":"${KEY}","reason":"unbound","block_s":600}`).command, {
    cmd: 'drop', public_key: KEY, reason: 'unbound', block_s: 600
  })
})

test('bad lines are refused with a message and the id when present', () => {
  const bad = [
    'not json',
    '[1]',
    '{"cmd":"launch"}',
    `{"cmd":"join","topic":"${KEY.toUpperCase()}"}`,
    `{"cmd":"connect","public_key":"${KEY.slice(2)}"}`,
    `{"cmd":"send","public_key":"${KEY}","data":"***"}`,
    `{"cmd":"send","public_key":"${KEY}","data":""}`,
    `{"cmd":"send","public_key":"${KEY}","data":"${Buffer.alloc(65536).toString('base64')}"}`,
    `{"cmd":"drop","public_key":"${KEY}","block_s":-1}`,
    'x'.repeat(MAX_LINE_CHARS + 1)
  ]
  for (const line of bad) assert.equal(parseCommand(line).ok, false, line.slice(0, 60))
  assert.equal(parseCommand('{"cmd":"launch","id":9}').id, 9)
})

test('options: bootstrap list, empty bootstrap (standalone DHT), bad values refused', () => {
  assert.deepEqual(parseOptions(['--bootstrap', '127.0.0.1:49737,10.0.0.1:1']).options.bootstrap, [
    { host: '127.0.0.1', port: 49737 }, { host: '10.0.0.1', port: 1 }
  ])
  assert.deepEqual(parseOptions(['--bootstrap', '']).options.bootstrap, [])
  assert.equal(parseOptions(['--bootstrap', 'nohost']).ok, false)
  assert.equal(parseOptions(['--max-peers', '0']).ok, false)
  assert.equal(parseOptions(['--what', 'x']).ok, false)
  assert.equal(parseOptions(['--socket']).ok, false)
})
