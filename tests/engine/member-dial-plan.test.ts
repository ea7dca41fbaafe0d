/**
 * Which members the engine dials (runtime/node/hive/member-links.ts): gossiped `host:port`,
 * `[v6]:port` and onion addresses are split for `connect`; connected members, ourselves, members
 * without a usable address and members tried within the retry interval are skipped.
 */
import { expect, test } from 'bun:test';
import { membersToDial, parseAddress } from '../../runtime/node/hive/member-links.ts';

test('addresses: ipv4, [ipv6], onion; junk and bad ports refused', () => {
  expect(parseAddress('127.0.0.1:9736')).toEqual({ host: '127.0.0.1', port: 9736 });
  expect(parseAddress('[2001:db8::1]:9735')).toEqual({ host: '2001:db8::1', port: 9735 });
  expect(parseAddress('abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion:9735')?.port).toBe(9735);
  for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'a b:1', '[::1:9735', '']) expect(parseAddress(bad)).toBeNull();
});

test('dial plan: only members that are not us, not connected, have an address and were not tried lately', () => {
  const us = '02'.padEnd(66, 'a');
  const [m1, m2, m3, m4] = ['b', 'c', 'd', 'e'].map((x) => '03'.padEnd(66, x));
  const members = [
    { node_id: us, addresses: ['10.0.0.1:9735'] },
    { node_id: m1!, addresses: ['10.0.0.2:9735'] },
    { node_id: m2!, addresses: ['junk', '10.0.0.3:9735'] },
    { node_id: m3!, addresses: [] },
    { node_id: m4!, addresses: ['10.0.0.5:9735'] },
  ];
  const plan = membersToDial(members, us, new Set([m1!]), new Map([[m4!, 950]]), 1000, 60);
  expect(plan).toEqual([{ node_id: m2!, host: '10.0.0.3', port: 9735 }]);
  expect(membersToDial(members, us, new Set([m1!]), new Map([[m4!, 900]]), 1000, 60).map((t) => t.node_id)).toEqual([m2!, m4!]);
});
