/**
 * The message registry (clhive-protocol.md §2.1): all 66 cl-hive types plus Hivebox's three, odd
 * ids in 32769–33000, unique; every type's facts are one spec object named for its key (wire/spec.ts).
 */
import { expect, test } from 'bun:test';
import { HIVE_TYPE_RANGE, MESSAGE_SPECS, MSG_TYPE_NAMES, MSG_TYPES, msgTypeName, specOf } from '../../runtime/core/wire/index.ts';

test('66 cl-hive types plus HIVE_REVOKE, BAN_PEER and JOIN_REFUSED', () => {
  expect(MSG_TYPE_NAMES).toHaveLength(69);
  expect(MSG_TYPES.HIVE_REVOKE).toBe(32905);
  expect(MSG_TYPES.BAN_PEER).toBe(32907);
  expect(MSG_TYPES.JOIN_REFUSED).toBe(32909);
  expect(MSG_TYPES.ARBITRATION_VOTE).toBe(32903);
  expect(msgTypeName(32809)).toBeNull();
  expect(msgTypeName(32817)).toBeNull();
});

test('ids are odd, in range and unique', () => {
  const ids = Object.values(MSG_TYPES);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    expect(id % 2).toBe(1);
    expect(id).toBeGreaterThanOrEqual(HIVE_TYPE_RANGE.min);
    expect(id).toBeLessThanOrEqual(HIVE_TYPE_RANGE.max);
    expect(MSG_TYPES[msgTypeName(id)!]).toBe(id);
  }
});

test('every type has one spec under its own name; a relayable type is signed by its originator', () => {
  expect(Object.keys(MESSAGE_SPECS)).toEqual(MSG_TYPE_NAMES);
  for (const name of MSG_TYPE_NAMES) {
    const spec = specOf(name);
    expect(spec.name).toBe(name);
    expect(spec.id).toBe(MSG_TYPES[name]);
    if (spec.gate?.relay) expect(spec.signing_string).toBeDefined();
    if (spec.event_id_fields) expect(spec.gate).toBeDefined();
  }
});

test('MSG_TYPE_NAMES is in id order', () => {
  const ids = MSG_TYPE_NAMES.map((n) => MSG_TYPES[n]);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
});
