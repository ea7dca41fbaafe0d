/**
 * The `hive-*` commands the engine serves are exactly the ones the CLN plugin registers with
 * lightningd, with the same parameter names.
 */
import { expect, test } from 'bun:test';
import { RPC_COMMANDS } from '../../runtime/engine/rpc/index.ts';
import { GenesisParams, InviteParams, JoinParams, NoParams } from '../../runtime/engine/rpc/params.ts';
import { HIVE_RPC_METHODS } from '../../services/cln-plugin/rpc-methods.ts';

test('the engine serves exactly the commands the plugin registers, with the same parameter names', () => {
  expect(Object.keys(RPC_COMMANDS).sort()).toEqual(HIVE_RPC_METHODS.map((m) => m.name).sort());
  const schemas = { 'hive-genesis': GenesisParams, 'hive-invite': InviteParams, 'hive-join': JoinParams, 'hive-status': NoParams, 'hive-members': NoParams };
  for (const m of HIVE_RPC_METHODS) {
    expect(Object.keys(schemas[m.name as keyof typeof schemas].shape).sort()).toEqual(m.params.map((p) => p.name).sort());
  }
});
