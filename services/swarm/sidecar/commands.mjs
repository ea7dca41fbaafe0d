// Validation of the daemon's command lines (services/swarm/PROTOCOL.md "Commands"): one JSON
// object per line; anything else becomes an `error` event with code `bad_command` and changes nothing.

import { MAX_FRAME_BYTES } from './framing.mjs'

const HEX32 = /^[0-9a-f]{64}$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
/** Longest command line accepted: a base64 65,535-byte frame plus the JSON around it. */
export const MAX_LINE_CHARS = 90000

/**
 * @typedef {{ cmd: 'join' | 'leave', topic: string, id?: number }
 *   | { cmd: 'connect', public_key: string, id?: number }
 *   | { cmd: 'send', public_key: string, data: Buffer, id?: number }
 *   | { cmd: 'drop', public_key: string, reason: string, block_s: number, id?: number }
 *   | { cmd: 'stats' | 'shutdown', id?: number }} Command
 */

/**
 * Parse and check one line.
 * @param {string} line
 * @returns {{ ok: true, command: Command } | { ok: false, message: string, id?: number }}
 */
export function parseCommand (line) {
  if (line.length > MAX_LINE_CHARS) return { ok: false, message: `line longer than ${MAX_LINE_CHARS} characters` }
  let v
  try {
    v = JSON.parse(line)
  } catch {
    return { ok: false, message: 'not JSON' }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'not a JSON object' }
  const id = Number.isSafeInteger(v.id) ? v.id : undefined
  const fail = (message) => ({ ok: false, message, id })
  const base = id === undefined ? {} : { id }
  switch (v.cmd) {
    case 'join':
    case 'leave':
      if (typeof v.topic !== 'string' || !HEX32.test(v.topic)) return fail('topic must be 64 lowercase hex')
      return { ok: true, command: { ...base, cmd: v.cmd, topic: v.topic } }
    case 'connect':
      if (typeof v.public_key !== 'string' || !HEX32.test(v.public_key)) return fail('public_key must be 64 lowercase hex')
      return { ok: true, command: { ...base, cmd: 'connect', public_key: v.public_key } }
    case 'send': {
      if (typeof v.public_key !== 'string' || !HEX32.test(v.public_key)) return fail('public_key must be 64 lowercase hex')
      if (typeof v.data !== 'string' || !BASE64.test(v.data)) return fail('data must be base64')
      const data = Buffer.from(v.data, 'base64')
      if (data.length === 0 || data.length > MAX_FRAME_BYTES) return fail(`data must decode to 1..${MAX_FRAME_BYTES} bytes`)
      return { ok: true, command: { ...base, cmd: 'send', public_key: v.public_key, data } }
    }
    case 'drop': {
      if (typeof v.public_key !== 'string' || !HEX32.test(v.public_key)) return fail('public_key must be 64 lowercase hex')
      const block = v.block_s ?? 0
      if (!Number.isSafeInteger(block) || block < 0 || block > 86400) return fail('block_s must be an integer 0..86400')
      const reason = typeof v.reason === 'string' ? v.reason.slice(0, 64) : 'dropped'
      return { ok: true, command: { ...base, cmd: 'drop', public_key: v.public_key, reason, block_s: block } }
    }
    case 'stats':
    case 'shutdown':
      return { ok: true, command: { ...base, cmd: v.cmd } }
    default:
      return fail(`unknown cmd ${JSON.stringify(String(v.cmd)).slice(0, 40)}`)
  }
}
