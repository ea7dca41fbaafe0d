/**
 * The engine's two dispatch tables agree with the rest of the system: every Hive message type has
 * an entry (handler or explicit null), and the `hive-*` commands the engine serves are exactly the
 * ones the CLN plugin registers with lightningd, with the same parameter names.
 */
import { expect, test } from 'bun:test';
import { MSG_TYPE_NAMES } from '../../runtime/core/wire/message-types.ts';
import { MESSAGE_HANDLERS } from '../../runtime/engine/handlers/index.ts';
import { RPC_COMMANDS } from '../../runtime/engine/rpc/index.ts';
import { GenesisParams, InviteParams, JoinParams, NoParams } from '../../runtime/engine/rpc/params.ts';
import { HIVE_RPC_METHODS } from '../../services/cln-plugin/rpc-methods.ts';

test('every message type has a handler entry; the handshake types and FULL_SYNC have handlers', () => {
  expect(Object.keys(MESSAGE_HANDLERS).sort()).toEqual([...MSG_TYPE_NAMES].sort());
  const handled = Object.entries(MESSAGE_HANDLERS).flatMap(([t, h]) => (h ? [t] : []));
  expect(handled.sort()).toEqual(['ATTEST', 'CHALLENGE', 'FULL_SYNC', 'HELLO', 'WELCOME']);
});

test('the engine serves exactly the commands the plugin registers, with the same parameter names', () => {
  expect(Object.keys(RPC_COMMANDS).sort()).toEqual(HIVE_RPC_METHODS.map((m) => m.name).sort());
  const schemas = { 'hive-genesis': GenesisParams, 'hive-invite': InviteParams, 'hive-join': JoinParams, 'hive-status': NoParams, 'hive-members': NoParams };
  for (const m of HIVE_RPC_METHODS) {
    expect(Object.keys(schemas[m.name as keyof typeof schemas].shape).sort()).toEqual(m.params.map((p) => p.name).sort());
  }
});
