/**
 * Traffic classified once (runtime/core/wire/traffic.ts; issue 14 item 4): the plugin's forward
 * decision, the daemon's router and the management engine all read this one function.
 */
import { expect, test } from 'bun:test';
import { encodeRevocationGossip } from '../../runtime/core/mgmt/revocation-gossip.ts';
import { toHex } from '../../runtime/core/types.ts';
import { classifyTraffic, classifyTrafficHex, MGMT_CREDENTIAL_REVOKE_TYPE, MSG_TYPES } from '../../runtime/core/wire/index.ts';
import { classifyPayload } from '../../services/cln-plugin/hive-traffic.ts';
import { bytesOf } from '../sim/craft.ts';

const hello = { pubkey: `02${'11'.repeat(32)}`, protocol_version: 1, ticket: 'dGlja2V0' };

test('both Hive framings are hive; a spec-framed MGMT_CREDENTIAL_REVOKE is revocation, a cl-hive-framed one hive', () => {
  expect(classifyTraffic(bytesOf('HELLO', hello, 'spec'))).toBe('hive');
  expect(classifyTraffic(bytesOf('HELLO', hello, 'clhive'))).toBe('hive');
  expect(MGMT_CREDENTIAL_REVOKE_TYPE).toBe(MSG_TYPES.MGMT_CREDENTIAL_REVOKE);
  const spec = bytesOf('MGMT_CREDENTIAL_REVOKE', { credential_id: 'c1' }, 'spec');
  expect(classifyTraffic(spec)).toBe('revocation');
  expect(classifyTraffic(bytesOf('MGMT_CREDENTIAL_REVOKE', { credential_id: 'c1' }, 'clhive'))).toBe('hive');
});

test('49152 and 49153 are management by type alone; anything else is foreign', () => {
  expect(classifyTrafficHex('c000ff')).toBe('management');
  expect(classifyTrafficHex('C001')).toBe('management');
  expect(classifyTrafficHex('c002')).toBe('foreign');
  expect(classifyTrafficHex('0007aabb')).toBe('foreign');
  expect(classifyTrafficHex('8011' + '00000000')).toBe('foreign');
  expect(classifyTrafficHex('zz')).toBe('foreign');
  expect(classifyTrafficHex('')).toBe('foreign');
});

test('the plugin forwards exactly what the core classifies, after its own hex checks', () => {
  const spec = toHex(bytesOf('HELLO', hello, 'spec'));
  expect(classifyPayload(spec, 1_000_000)).toBe('hive');
  expect(classifyPayload(spec, 10)).toBe('foreign');
  expect(classifyPayload(`${spec}0`, 1_000_000)).toBe('foreign');
  expect(classifyPayload('c000', 100)).toBe('management');
});

test('a revocation gossip as the management engine sends it is revocation traffic', () => {
  const revocation = { credential_id: 'cred-1', issuer: 'did:key:z6Mk', reason: 'lost key' };
  const r = encodeRevocationGossip(revocation, `02${'22'.repeat(32)}`, 'ab'.repeat(16), 1_760_000_000);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  expect(classifyTraffic(r.value)).toBe('revocation');
});
