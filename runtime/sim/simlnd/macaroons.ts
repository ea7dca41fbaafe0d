/**
 * LND macaroons for the simulated LND (lnd/macaroons/service.go, lnd/docs/macaroons.md): a v2
 * binary macaroon whose identifier is version byte 3 followed by the protobuf `MacaroonId`
 * {nonce, storageId, ops[{entity, actions[]}]}; the permissions live in `ops`. The server checks
 * the HMAC chain with its root key, then that every permission the RPC needs is in `ops`.
 * Errors are LND's texts (rpcperms/interceptor.go, macaroons/service.go).
 */
import { importMacaroon, newMacaroon } from 'macaroon';
import protobuf from 'protobufjs';
import { exportBinaryV2 } from '../../../services/l402/binary-v2.ts';

/** An LND permission: `entity:action`, e.g. `offchain:write`. */
export type LndPermission = `${string}:${string}`;

/** The permissions of lnd's `admin.macaroon` (lnd/lnd.go adminPermissions, the entities Hivebox uses). */
export const ADMIN_PERMISSIONS: readonly LndPermission[] = ['info:read', 'info:write', 'peers:read', 'peers:write', 'offchain:read', 'offchain:write', 'onchain:read', 'onchain:write', 'invoices:read', 'invoices:write', 'message:read', 'message:write', 'signer:generate', 'signer:read'];

/** LND's macaroon identifier version (macaroons.LatestVersion). */
const MACAROON_ID_VERSION = 3;

const MacaroonId = protobuf.Root.fromJSON({
  nested: {
    MacaroonId: { fields: { nonce: { type: 'bytes', id: 1 }, storageId: { type: 'bytes', id: 2 }, ops: { rule: 'repeated', type: 'Op', id: 3 } } },
    Op: { fields: { entity: { type: 'string', id: 1 }, actions: { rule: 'repeated', type: 'string', id: 2 } } },
  },
}).lookupType('MacaroonId');

/** Mint a macaroon granting `permissions` under `rootKey` (what `lncli bakemacaroon` writes), v2 binary. */
export function bakeMacaroon(rootKey: Uint8Array, permissions: readonly LndPermission[], nonce: Uint8Array): Uint8Array {
  const byEntity = new Map<string, string[]>();
  for (const p of permissions) {
    const [entity, action] = p.split(':') as [string, string];
    byEntity.set(entity, [...(byEntity.get(entity) ?? []), action]);
  }
  const ops = [...byEntity].map(([entity, actions]) => ({ entity, actions }));
  const body = MacaroonId.encode(MacaroonId.create({ nonce, storageId: new TextEncoder().encode('0'), ops })).finish();
  const identifier = new Uint8Array(1 + body.length);
  identifier[0] = MACAROON_ID_VERSION;
  identifier.set(body, 1);
  return exportBinaryV2(newMacaroon({ identifier, location: 'lnd', rootKey, version: 2 }));
}

/**
 * Check the `macaroon` metadata (hex) against `rootKey` and the permissions an RPC needs.
 * @returns null when allowed, else LND's error text.
 */
export function checkMacaroon(macaroonHex: readonly string[], rootKey: Uint8Array, needed: readonly LndPermission[]): string | null {
  if (macaroonHex.length !== 1) return `expected 1 macaroon, got ${macaroonHex.length}`;
  let ops: { entity: string; actions: string[] }[];
  try {
    const mac = importMacaroon(Buffer.from(macaroonHex[0]!, 'hex'));
    mac.verify(rootKey, () => 'caveat not satisfied');
    const id = mac.identifier;
    if (id[0] !== MACAROON_ID_VERSION) return 'invalid macaroon version';
    ops = (MacaroonId.toObject(MacaroonId.decode(id.subarray(1)), { arrays: true }) as { ops: { entity: string; actions: string[] }[] }).ops;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return why.includes('signature') ? 'verification failed: signature mismatch after caveat verification' : `cannot get macaroon: ${why}`;
  }
  const granted = new Set(ops.flatMap((o) => o.actions.map((a) => `${o.entity}:${a}`)));
  return needed.every((p) => granted.has(p)) ? null : 'permission denied';
}
